#include "kolla/python_call.h"

#include <gtest/gtest.h>

#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

using testing::RaisedBy;
using testing::Str;

const PySignature kRepos{"handle_repos", {"reponames", "mode"}, 2, 1};

TEST(BindArgsTest, PositionalAndKeyword) {
  tmpl::CallArgs args;
  args.args.push_back(Str("a"));
  args.kwargs.emplace_back("mode", Str("enable"));
  auto slots = BindArgs(kRepos, args);
  EXPECT_EQ(slots[0]->AsStr(), "a");
  EXPECT_EQ(slots[1]->AsStr(), "enable");
}

TEST(BindArgsTest, PythonMessages) {
  tmpl::CallArgs none;
  EXPECT_EQ(RaisedBy([&] { BindArgs(kRepos, none); }),
            "TypeError: handle_repos() missing 2 required positional "
            "arguments: 'reponames' and 'mode'");
  tmpl::CallArgs three;
  three.args = {Str("a"), Str("b"), Str("c")};
  EXPECT_EQ(RaisedBy([&] { BindArgs(kRepos, three); }),
            "TypeError: handle_repos() takes 3 positional arguments but 4 "
            "were given");
  tmpl::CallArgs twice;
  twice.args = {Str("a")};
  twice.kwargs = {{"reponames", Str("b")}};
  EXPECT_EQ(RaisedBy([&] { BindArgs(kRepos, twice); }),
            "TypeError: handle_repos() got multiple values for argument "
            "'reponames'");
  tmpl::CallArgs unknown;
  unknown.kwargs = {{"modes", Str("b")}};
  EXPECT_EQ(RaisedBy([&] { BindArgs(kRepos, unknown); }),
            "TypeError: handle_repos() got an unexpected keyword argument "
            "'modes'");
}

TEST(IterItemsTest, PythonIteration) {
  EXPECT_EQ(IterItems(Str("aé")).size(), 2u);
  EXPECT_TRUE(IterItems(tmpl::Value::Undefined("x")).empty());
  EXPECT_EQ(RaisedBy([] { IterItems(tmpl::Value::Int(1)); }),
            "TypeError: 'int' object is not iterable");
}

}  // namespace
}  // namespace kb::kolla
