// Binding call arguments to parameter names for builtin functions.
#ifndef KB_TMPL_ARGS_H_
#define KB_TMPL_ARGS_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "tmpl/error.h"
#include "tmpl/value.h"

namespace tmpl {

/// Binds `args` to `names` (positional first, then keywords). Missing ones
/// are nullopt. Extra or unknown arguments, and fewer than `required`, raise
/// TypeError naming `fname`.
inline std::vector<std::optional<Value>> BindArgs(
    const std::string& fname, const CallArgs& args,
    std::initializer_list<const char*> names, size_t required = 0) {
  std::vector<std::optional<Value>> out(names.size());
  if (args.args.size() > names.size()) {
    Raise("TypeError", fname + "() takes at most " +
                           std::to_string(names.size()) + " argument(s) (" +
                           std::to_string(args.args.size()) + " given)");
  }
  for (size_t i = 0; i < args.args.size(); ++i) out[i] = args.args[i];
  for (const auto& [k, v] : args.kwargs) {
    size_t i = 0;
    bool found = false;
    for (const char* n : names) {
      if (k == n) {
        if (out[i]) {
          Raise("TypeError", fname + "() got multiple values for argument '" +
                                 k + "'");
        }
        out[i] = v;
        found = true;
        break;
      }
      ++i;
    }
    if (!found) {
      Raise("TypeError",
            fname + "() got an unexpected keyword argument '" + k + "'");
    }
  }
  for (size_t i = 0; i < required; ++i) {
    if (!out[i]) {
      Raise("TypeError", fname + "() missing required argument '" +
                             *(names.begin() + i) + "'");
    }
  }
  return out;
}

}  // namespace tmpl

#endif  // KB_TMPL_ARGS_H_
