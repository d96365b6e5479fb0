// Errors leaving the template engine, and the private exception that
// carries them out of deep recursion.
#ifndef KB_TMPL_ERROR_H_
#define KB_TMPL_ERROR_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tmpl {

/// Every failure leaving the engine.
struct Error {
  std::string error_class;    // Jinja2/Python class name: "TemplateSyntaxError",
                              // "UndefinedError", "TemplateNotFound", ...
  std::string message;        // Jinja2's message text
  std::string template_name;  // as loaded ("" for none)
  int line = 0;               // 1-based, 0 when unknown
  int column = 0;             // 1-based, 0 when unknown
  std::string source_line;    // the template's line, for the caret

  /// "name:line:col: ClassName: message\n  <line>\n  <caret>" (STYLE 6.6).
  /// Without a location only "ClassName: message" is given.
  std::string Format() const;

  /// The class first, as Python prints an exception's last line:
  /// "ClassName: message\n  at name:line:col\n  <line>\n  <caret>" (the
  /// location lines only when known). kolla-render's contract.
  std::string FormatClassFirst() const;

 private:
  // "\n  <line>\n  <caret>", or "" without a source line.
  std::string Excerpt() const;
};

/// A value or an Error.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  /// REQUIRES: ok().
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  /// REQUIRES: !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// The private exception used inside the engine. Environment catches it and
/// turns it into an Error; it never leaves the library.
struct TemplateException {
  Error error;
  bool located = false;  // true once line/template have been filled in
};

/// Raised from inside a native function/filter to fail the render with a
/// Jinja2 error class ("TemplateRuntimeError", "TypeError", ...). The engine
/// adds the template name, line and column of the call.
[[noreturn]] void Raise(std::string error_class, std::string message);

}  // namespace tmpl

#endif  // KB_TMPL_ERROR_H_
