// Small string helpers with Python's meaning where the name says so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::util {

/// Python's str.split(sep): every occurrence splits; empty parts are kept.
std::vector<std::string> Split(std::string_view s, std::string_view sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
/// Python's str.strip() for ASCII whitespace.
std::string Trim(std::string_view s);
std::string ReplaceAll(std::string s, std::string_view from,
                       std::string_view to);
/// JSON string literal of `s` as Python's json.dumps writes it by default
/// (ensure_ascii: non-ASCII as \uXXXX escapes, UTF-16 surrogates).
std::string PyJsonQuote(std::string_view s);

}  // namespace kb::util
