// Python calling conventions for kolla's native template helpers.
#ifndef KB_KOLLA_PYTHON_CALL_H_
#define KB_KOLLA_PYTHON_CALL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tmpl/value.h"

namespace kb::kolla {

/// The signature of a Python function: its name, its parameter names in
/// order, and how many of them (from the front) have no default.
/// `hidden` counts leading parameters the caller never passes, such as the
/// `context` of a pass_context function; they appear in Python's messages.
struct PySignature {
  std::string name;
  std::vector<std::string> params;
  size_t required = 0;
  size_t hidden = 0;
};

/// Binds positional and keyword arguments to the parameters of `sig` as
/// Python does, one slot per parameter (nullopt where the default applies).
/// `leading` are values already bound to the first parameters (a filter's
/// piped value). Raises TypeError through tmpl::Raise with Python's
/// wording ("f() missing 1 required positional argument: 'x'").
std::vector<std::optional<tmpl::Value>> BindArgs(
    const PySignature& sig, const tmpl::CallArgs& args,
    std::vector<tmpl::Value> leading = {});

/// Raises AttributeError "'<type>' object has no attribute '<name>'".
[[noreturn]] void RaiseNoAttribute(const tmpl::Value& v, std::string_view name);

/// The items Python's `for x in v` yields for a list, tuple, dict (its
/// keys) or str (its characters); Undefined yields nothing, as Jinja's
/// Undefined does. Raises TypeError "'int' object is not iterable" else.
std::vector<tmpl::Value> IterItems(const tmpl::Value& v);

}  // namespace kb::kolla

#endif  // KB_KOLLA_PYTHON_CALL_H_
