#include "config/value.h"

#include <gtest/gtest.h>

namespace kb::config {
namespace {

// B027: oslo.config 9.0.0's Boolean, List, Dict and Integer types.

TEST(ParseBoolTest, AcceptsOsloSpellingsInAnyCase) {
  for (const char* s : {"yes", "Yes", "ON", "1", "true", "TRUE"}) {
    ConvertResult r = ParseBool(s);
    ASSERT_TRUE(r.ok()) << s;
    EXPECT_EQ(std::get<bool>(r.value), true) << s;
  }
  for (const char* s : {"no", "OFF", "0", "false", "False"}) {
    ConvertResult r = ParseBool(s);
    ASSERT_TRUE(r.ok()) << s;
    EXPECT_EQ(std::get<bool>(r.value), false) << s;
  }
}

TEST(ParseBoolTest, RejectsOtherWords) {
  for (const char* s : {"t", "y", "2", "enabled", ""}) {
    EXPECT_FALSE(ParseBool(s).ok()) << s;
  }
  EXPECT_EQ(ParseBool("t").error, "Unexpected boolean value 't'");
}

TEST(ParseListTest, SplitsOnEveryCommaAndStrips) {
  EXPECT_EQ(std::get<StrList>(ParseList("a, b ,c").value),
            (StrList{"a", "b", "c"}));
  EXPECT_EQ(std::get<StrList>(ParseList("a,,b").value),
            (StrList{"a", "", "b"}));
  EXPECT_EQ(std::get<StrList>(ParseList("a,").value), (StrList{"a"}));
  EXPECT_EQ(std::get<StrList>(ParseList("\"a,b\",c").value),
            (StrList{"\"a", "b\"", "c"}));
  EXPECT_EQ(std::get<StrList>(ParseList("").value), StrList{});
  EXPECT_EQ(std::get<StrList>(ParseList("cron,\nfluentd").value),
            (StrList{"cron", "fluentd"}));
}

TEST(ParseDictTest, PairsSplitOnFirstColon) {
  EXPECT_EQ(std::get<StrDict>(ParseDict("HTTP_PROXY:http://proxy.example:3128,"
                                        "NO_PROXY:localhost")
                                  .value),
            (StrDict{{"HTTP_PROXY", "http://proxy.example:3128"},
                     {"NO_PROXY", "localhost"}}));
  EXPECT_EQ(std::get<StrDict>(ParseDict("a:1, b : 2").value),
            (StrDict{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(std::get<StrDict>(ParseDict("a:").value), (StrDict{{"a", ""}}));
  EXPECT_EQ(std::get<StrDict>(ParseDict("").value), StrDict{});
}

TEST(ParseDictTest, OsloQuirksAndErrors) {
  EXPECT_EQ(std::get<StrDict>(ParseDict("a:1,,b:2").value),
            (StrDict{{"a", "1"}, {",b", "2"}}));
  const std::string pairs =
      "Value should be NAME:VALUE pairs separated by \",\"";
  EXPECT_EQ(ParseDict("a").error, pairs);
  EXPECT_EQ(ParseDict("a=1").error, pairs);
  // The comma inside quotes still splits; "y\"" has no colon.
  EXPECT_EQ(ParseDict("k:\"x,y\"").error, pairs);
  EXPECT_EQ(ParseDict("a:1,a:2").error, "Duplicate key a");
  EXPECT_EQ(ParseDict(":x").error, "Key name should not be empty");
}

TEST(ParseIntTest, PythonIntWithBounds) {
  EXPECT_EQ(std::get<int64_t>(ParseInt(" 12 ", 1, std::nullopt).value), 12);
  EXPECT_EQ(
      std::get<int64_t>(ParseInt("1_0", std::nullopt, std::nullopt).value), 10);
  EXPECT_EQ(std::get<int64_t>(ParseInt("-3", std::nullopt, std::nullopt).value),
            -3);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      ParseInt("  ", 1, std::nullopt).value));
  EXPECT_EQ(ParseInt("0", 1, std::nullopt).error,
            "Should be greater than or equal to 1");
  EXPECT_FALSE(ParseInt("x", std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(ParseInt("1.5", std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(ParseInt("_1", std::nullopt, std::nullopt).ok());
}

TEST(TypeReprTest, MatchesOsloRepr) {
  TypeSpec base{
      OptKind::kString, {"centos", "debian", "rocky", "ubuntu"}, {}, {}};
  EXPECT_EQ(TypeRepr(base),
            "String(choices=['centos', 'debian', 'rocky', 'ubuntu'])");
  TypeSpec threads{OptKind::kInt, {}, 1, std::nullopt};
  EXPECT_EQ(TypeRepr(threads), "Integer(min=1)");
  EXPECT_EQ(TypeRepr(TypeSpec{OptKind::kBool, {}, {}, {}}), "Boolean");
  EXPECT_EQ(TypeRepr(TypeSpec{OptKind::kDict, {}, {}, {}}), "Dict of String");
  EXPECT_EQ(TypeRepr(TypeSpec{OptKind::kList, {}, {}, {}}), "List of String");
}

TEST(PyStrTest, PythonStrOfValues) {
  EXPECT_EQ(PyStr(Value()), "None");
  EXPECT_EQ(PyStr(Value(true)), "True");
  EXPECT_EQ(PyStr(Value(int64_t{8})), "8");
  EXPECT_EQ(PyStr(Value(StrList{"a", "it's"})), "['a', \"it's\"]");
  EXPECT_EQ(PyStr(Value(StrDict{{"k", "v"}})), "{'k': 'v'}");
}

}  // namespace
}  // namespace kb::config
