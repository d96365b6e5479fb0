#include "tmpl/environment.h"

#include <gtest/gtest.h>

namespace tmpl {
namespace {

std::string Render(const std::string& src, Value ctx = Value::NewDict(),
                   Options opts = {}) {
  Environment env(opts);
  auto t = env.FromString(src, "t");
  if (!t.ok()) return "EXC " + t.error().error_class + ": " + t.error().message;
  auto r = env.Render(*t.value(), ctx);
  if (!r.ok()) return "EXC " + r.error().error_class + ": " + r.error().message;
  return r.value();
}

TEST(EnvironmentTest, PrintsText) { EXPECT_EQ(Render("a{{ 1 + 2 }}b"), "a3b"); }

}  // namespace
}  // namespace tmpl
