// The public façade of the template engine: options, registries, loader,
// template cache and rendering (Jinja2's Environment).
#ifndef KB_TMPL_ENVIRONMENT_H_
#define KB_TMPL_ENVIRONMENT_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tmpl/error.h"
#include "tmpl/loader.h"
#include "tmpl/parser.h"
#include "tmpl/value.h"

namespace tmpl {

class Environment;

/// What a native function or filter sees of the render it runs in.
class CallContext {
 public:
  virtual ~CallContext() = default;
  /// Looks a name up as the template would at this point (locals, then the
  /// render context, then globals). Missing names give an Undefined value.
  virtual Value Resolve(std::string_view name) const = 0;
  /// Looks a name up in the render context only, as Jinja's `name in
  /// context` / `context[name]` in a pass_context function: the top-level
  /// names of the running template chain (its top-level `set`, `import`,
  /// `macro`), then the render arguments, then the globals. Locals of
  /// loops, macros, `with` and blocks are not seen. Missing names give an
  /// Undefined value.
  virtual Value ResolveContext(std::string_view name) const = 0;
  /// True when output is being autoescaped at this point.
  virtual bool autoescape() const = 0;
  /// The environment rendering.
  virtual Environment& environment() const = 0;
};

/// A template test ("defined", "divisibleby", ...): the tested value first,
/// then the test's own arguments.
using NativeTest =
    std::function<bool(CallContext&, const Value& input, CallArgs&)>;

struct Options {
  bool trim_blocks = false;
  bool lstrip_blocks = false;
  bool keep_trailing_newline = false;
  bool strict_undefined = false;
  bool autoescape = false;
  bool sandboxed = true;  // SandboxedEnvironment rules (kolla's)
};

/// A parsed template: parsed once, immutable, shareable across renders of
/// the Environment that made it.
class Template {
 public:
  Template(std::string name, std::string source, ParsedTemplate parsed,
           Environment* env);
  const std::string& name() const { return name_; }
  const ParsedTemplate& parsed() const { return parsed_; }
  /// The source line `line` (1-based), for error carets.
  std::string SourceLine(int line) const;
  Environment* environment() const { return env_; }

 private:
  std::string name_;
  std::string source_;  // normalized
  ParsedTemplate parsed_;
  Environment* env_;
};

class Environment {
 public:
  explicit Environment(Options opts = {});
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  void SetLoader(std::shared_ptr<Loader> loader);
  void AddGlobal(std::string name, Value v);
  void AddFilter(std::string name, NativeFilter fn);
  void AddTest(std::string name, NativeTest fn);

  /// Parsed once per name; later calls return the cached Template. Fails
  /// with TemplateNotFound or TemplateSyntaxError.
  Result<std::shared_ptr<const Template>> GetTemplate(const std::string& name);
  /// Parses `source` (not cached); `name` is used in error messages.
  Result<std::shared_ptr<const Template>> FromString(std::string source,
                                                     std::string name);
  /// Renders with `context` (a dict Value) as the template's context.
  Result<std::string> Render(const Template& tmpl, const Value& context);

  const Options& options() const { return opts_; }
  /// The globals dict (range, dict, namespace, ... and AddGlobal's).
  const Value& globals() const { return globals_; }
  const NativeFilter* FindFilter(const std::string& name) const;
  const NativeTest* FindTest(const std::string& name) const;
  /// Loads and parses `name`, throwing TemplateException on failure (used
  /// by the evaluator for extends/include/import).
  std::shared_ptr<const Template> LoadOrThrow(const std::string& name);

 private:
  std::shared_ptr<const Template> Compile(std::string source,
                                          std::string name);

  Options opts_;
  std::shared_ptr<Loader> loader_;
  Value globals_;
  std::unordered_map<std::string, NativeFilter> filters_;
  std::unordered_map<std::string, NativeTest> tests_;
  std::unordered_map<std::string, std::shared_ptr<const Template>> cache_;
};

/// A Template as a Value, so `{% extends parent_template %}` works when the
/// context holds one.
Value TemplateValue(std::shared_ptr<const Template> tmpl);

/// The Template held by a TemplateValue, or null.
std::shared_ptr<const Template> TemplateFromValue(const Value& v);

// Registration of the builtin filters, tests and globals (filters.cc,
// tests.cc, globals.cc).
void RegisterBuiltinFilters(Environment& env);
void RegisterBuiltinTests(Environment& env);
void RegisterBuiltinGlobals(Environment& env);

}  // namespace tmpl

#endif  // KB_TMPL_ENVIRONMENT_H_
