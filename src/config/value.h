// Typed option values and oslo.config's type conversions (types.py).

#ifndef KB_CONFIG_VALUE_H_
#define KB_CONFIG_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kb::config {

using StrList = std::vector<std::string>;
using StrDict = std::vector<std::pair<std::string, std::string>>;

/// A value as oslo.config holds it: None (monostate), a string, a bool, an
/// int, a list of strings (ListOpt and MultiOpt) or a dict (DictOpt, keys
/// in the order written).
using Value =
    std::variant<std::monostate, std::string, bool, int64_t, StrList, StrDict>;

/// What Python's str() gives for the value, which is what interpolation
/// pastes into another value: None -> "None", True -> "True",
/// ['a'] -> "['a']", {'k': 'v'} -> "{'k': 'v'}".
std::string PyStr(const Value& v);
/// Python's repr() of a str: 'a', "it's", with escapes.
std::string PyRepr(std::string_view s);

/// The value types of oslo_config/types.py. Each conversion either returns
/// the typed value or the exact ValueError text oslo would raise.
enum class OptKind { kString, kBool, kInt, kList, kDict, kMulti };

struct TypeSpec {
  OptKind kind = OptKind::kString;
  std::vector<std::string> choices;  // kString only; empty = any
  std::optional<int64_t> min, max;   // kInt only
};

/// repr() of the oslo type, as `argument --x: Invalid <repr> value: v`
/// prints it: "String(choices=['json', 'none'])", "Integer(min=1)",
/// "Boolean", "List of String", "Dict of String", "String".
std::string TypeRepr(const TypeSpec& t);

struct ConvertResult {
  Value value;
  std::string error;  // non-empty: oslo's ValueError text
  bool ok() const { return error.empty(); }
};

/// Converts a raw value (a string from a file, a bool from a CLI flag, a
/// list for a MultiOpt, or an already typed default) like `opt.type(v)`.
ConvertResult Convert(const TypeSpec& t, const Value& raw);

/// The single conversions, on strings.
ConvertResult ParseBool(std::string_view s);
ConvertResult ParseInt(std::string_view s, std::optional<int64_t> min,
                       std::optional<int64_t> max);
ConvertResult ParseList(std::string_view s);
ConvertResult ParseDict(std::string_view s);

}  // namespace kb::config

#endif  // KB_CONFIG_VALUE_H_
