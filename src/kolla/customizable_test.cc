#include "kolla/customizable.h"

#include <gtest/gtest.h>

#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

using testing::FakeContext;
using testing::RaisedBy;
using testing::Str;
using testing::StrList;

tmpl::Value Call(FakeContext& ctx, const tmpl::Value& input,
                 const char* call_type = "packages") {
  tmpl::CallArgs args;
  args.args.push_back(Str(call_type));
  return Customizable(ctx, input, args);
}

TEST(CustomizableTest, AppendsAndRemovesInPlace) {
  FakeContext ctx;
  ctx.Set("image_name", Str("nova-api"))
      .Set("nova_api_packages_append", StrList({"b", "c"}))
      .Set("nova_api_packages_remove", StrList({"a", "zz"}));
  tmpl::Value list = StrList({"a", "x"});
  tmpl::Value out = Call(ctx, list);
  EXPECT_EQ(out.Repr(), "['x', 'b', 'c']");
  EXPECT_EQ(list.Repr(), "['x', 'b', 'c']");  // the same list, changed
}

TEST(CustomizableTest, OverrideWinsAndLeavesInputAlone) {
  FakeContext ctx;
  ctx.Set("image_name", Str("my-img"))
      .Set("my_img_packages_override", StrList({"O"}))
      .Set("my_img_packages_append", StrList({"b"}));
  tmpl::Value list = StrList({"a", "c"});
  EXPECT_EQ(Call(ctx, list).Repr(), "['O']");
  EXPECT_EQ(list.Repr(), "['a', 'c']");
}

// B014: the exact sequence of BUGS.md, with one shared list.
TEST(CustomizableTest, B014AliasedListIsAppendedTwice) {
  FakeContext ctx;
  ctx.Set("image_name", Str("my-img"))
      .Set("my_img_packages_append", StrList({"b"}))
      .Set("my_img_packages_remove", StrList({"c", "zz"}));
  tmpl::Value p = StrList({"a", "c"});
  tmpl::Value q = p;
  std::string out = "1:" + Call(ctx, p).ToStr();
  out += " 2:" + Call(ctx, p).ToStr();
  out += " q:" + q.ToStr();
  out += "|" + Call(ctx, tmpl::Value::Undefined("missing")).ToStr();
  out += "|" + Call(ctx, StrList({"x"})).ToStr();
  EXPECT_EQ(out,
            "1:['a', 'b'] 2:['a', 'b', 'b'] q:['a', 'b', 'b']||['x', 'b']");
}

TEST(CustomizableTest, UndefinedInputIsReturnedAsIs) {
  FakeContext ctx;  // not even image_name is needed
  tmpl::Value out = Call(ctx, tmpl::Value::Undefined("pkgs"));
  EXPECT_TRUE(out.is_undefined());
}

TEST(CustomizableTest, NothingSetReturnsTheSameList) {
  FakeContext ctx;
  ctx.Set("image_name", Str("base"));
  tmpl::Value list = StrList({"a"});
  tmpl::Value out = Call(ctx, list);
  out.ListItems().push_back(Str("z"));
  EXPECT_EQ(list.Repr(), "['a', 'z']");
}

TEST(CustomizableTest, StringInputWithAppendFailsLikeUpstream) {
  FakeContext ctx;
  ctx.Set("image_name", Str("my-img"))
      .Set("my_img_packages_append", StrList({"b"}));
  EXPECT_EQ(RaisedBy([&] { Call(ctx, Str("abc")); }),
            "AttributeError: 'str' object has no attribute 'extend'");
}

TEST(CustomizableTest, TupleInputWithFoundRemovalFails) {
  FakeContext ctx;
  ctx.Set("image_name", Str("i")).Set("i_packages_remove", StrList({"a"}));
  tmpl::Value tuple = tmpl::Value::NewTuple({Str("a")});
  EXPECT_EQ(RaisedBy([&] { Call(ctx, tuple); }),
            "AttributeError: 'tuple' object has no attribute 'remove'");
  // Nothing to remove: the tuple passes through.
  EXPECT_EQ(Call(ctx, tmpl::Value::NewTuple({Str("b")})).Repr(), "('b',)");
}

TEST(CustomizableTest, RemovesOnlyFirstOccurrencePerItem) {
  FakeContext ctx;
  ctx.Set("image_name", Str("i")).Set("i_packages_remove", StrList({"a"}));
  EXPECT_EQ(Call(ctx, StrList({"a", "b", "a"})).Repr(), "['b', 'a']");
}

TEST(CustomizableTest, MissingImageNameIsKeyError) {
  FakeContext ctx;
  EXPECT_EQ(RaisedBy([&] { Call(ctx, StrList({"a"})); }),
            "KeyError: 'image_name'");
}

TEST(CustomizableTest, MissingCallTypeIsTypeError) {
  FakeContext ctx;
  tmpl::CallArgs args;
  EXPECT_EQ(RaisedBy([&] { Customizable(ctx, StrList({}), args); }),
            "TypeError: customizable() missing 1 required positional "
            "argument: 'call_type'");
}

// Upstream's filter is pass_context: names set inside a loop, macro or
// `with` (even `image_name`) are not seen; top-level `set`s and the render
// arguments are.
TEST(CustomizableTest, SeesTheRenderContextNotLocals) {
  tmpl::Environment env;
  env.AddFilter("customizable", Customizable);
  auto t = env.FromString(
      "{% set img_packages_remove = ['a'] %}"
      "{% for i in [1] %}{% set img_packages_append = ['loop'] %}"
      "{% set image_name = 'other' %}"
      "L:{{ ['a', 'b'] | customizable('packages') }}{% endfor %}"
      "{% macro m(img_packages_override) %}"
      "M:{{ ['a'] | customizable('packages') }}{% endmacro %}{{ m(['mo']) }}"
      "{% with img_packages_override = ['w'] %}"
      "W:{{ ['a', 'c'] | customizable('packages') }}{% endwith %}"
      "T:{{ ['a', 'd'] | customizable('packages') }}",
      "t.j2");
  ASSERT_TRUE(t.ok());
  tmpl::Value vars = tmpl::Value::NewDict();
  vars.DictSet("image_name", Str("img"));
  vars.DictSet("img_packages_append", StrList({"ctx"}));
  auto out = env.Render(*t.value(), vars);
  ASSERT_TRUE(out.ok()) << out.error().Format();
  EXPECT_EQ(out.value(),
            "L:['b', 'ctx']M:['ctx']W:['c', 'ctx']T:['d', 'ctx']");
}

}  // namespace
}  // namespace kb::kolla
