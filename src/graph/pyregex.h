// Regular expressions with Python `re` syntax and re.search semantics, on
// PCRE2. Users write kolla's image filters in Python syntax: `{,2}`, `\Z`,
// `(?P<name>...)`, lookbehind, inline flags.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kb::graph {

class PyRegex {
 public:
  /// Compiles `pattern`. On failure returns nullptr and sets `err` to a
  /// one-line message with the offending offset.
  static std::unique_ptr<PyRegex> Compile(std::string_view pattern,
                                          std::string* err);
  ~PyRegex();
  PyRegex(const PyRegex&) = delete;
  PyRegex& operator=(const PyRegex&) = delete;

  /// re.search: true when the pattern matches anywhere in `subject`.
  bool Search(std::string_view subject) const;

  const std::string& pattern() const { return pattern_; }

 private:
  PyRegex() = default;
  std::string pattern_;
  void* code_ = nullptr;   // pcre2_code_8
  void* match_ = nullptr;  // pcre2_match_data_8
};

/// Rewrites the Python-only spellings of `pattern` into PCRE2's. Exposed for
/// tests.
std::string TranslatePythonRegex(std::string_view pattern);

}  // namespace kb::graph
