// What the engine's tests compare for one render: the output, or
// "EXC Class: message" when loading or rendering fails.
#ifndef KB_TMPL_TEST_RENDER_H_
#define KB_TMPL_TEST_RENDER_H_

#include <memory>
#include <string>

#include "tmpl/environment.h"

namespace tmpl {

inline std::string OutputOrError(
    Environment& env, const Result<std::shared_ptr<const Template>>& t,
    const Value& ctx) {
  if (!t.ok()) return "EXC " + t.error().error_class + ": " + t.error().message;
  auto r = env.Render(*t.value(), ctx);
  if (!r.ok()) return "EXC " + r.error().error_class + ": " + r.error().message;
  return r.value();
}

/// Renders `src` (named "t") in `env`.
inline std::string RenderIn(Environment& env, const std::string& src,
                            const Value& ctx = Value::NewDict()) {
  return OutputOrError(env, env.FromString(src, "t"), ctx);
}

/// Renders `src` in a fresh environment with `opts`.
inline std::string RenderWith(const std::string& src,
                              const Value& ctx = Value::NewDict(),
                              Options opts = {}) {
  Environment env(opts);
  return RenderIn(env, src, ctx);
}

}  // namespace tmpl

#endif  // KB_TMPL_TEST_RENDER_H_
