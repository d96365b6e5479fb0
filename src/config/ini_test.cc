#include "config/ini.h"

#include <gtest/gtest.h>

namespace kb::config {
namespace {

IniFile MustParse(const std::string& text) {
  IniFile f;
  std::string err;
  EXPECT_TRUE(ParseIni("t.conf", text, &f, &err)) << err;
  return f;
}

std::string ParseErr(const std::string& text) {
  IniFile f;
  std::string err;
  EXPECT_FALSE(ParseIni("t.conf", text, &f, &err));
  return err;
}

TEST(IniTest, KeysValuesCommentsAndSeparators) {
  IniFile f = MustParse(
      "# comment\n"
      "[DEFAULT]\n"
      "; other comment\n"
      "a = 1\n"
      "b: x = y\n"
      "c=d:e\n");
  const auto& d = f.sections.at("DEFAULT");
  EXPECT_EQ(d.at("a")[0].value, "1");
  EXPECT_EQ(d.at("a")[0].line, 4);
  EXPECT_EQ(d.at("b")[0].value, "x = y");  // ':' came first
  EXPECT_EQ(d.at("c")[0].value, "d:e");
}

TEST(IniTest, ContinuationLinesJoinWithNewline) {
  IniFile f = MustParse(
      "[profiles]\n"
      "mine = cron,\n"
      "    fluentd\n"
      "\tnova\n"
      "\n"
      "other = x\n");
  EXPECT_EQ(f.sections.at("profiles").at("mine")[0].value,
            "cron,\nfluentd\nnova");
}

TEST(IniTest, MatchingQuotesAreRemovedOnce) {
  IniFile f = MustParse(
      "[DEFAULT]\n"
      "a = \"true\"\n"
      "b = 'x'\n"
      "c = \"x'\n"
      "d = \"\n");
  const auto& d = f.sections.at("DEFAULT");
  EXPECT_EQ(d.at("a")[0].value, "true");
  EXPECT_EQ(d.at("b")[0].value, "x");
  EXPECT_EQ(d.at("c")[0].value, "\"x'");
  EXPECT_EQ(d.at("d")[0].value, "");
}

TEST(IniTest, RepeatedKeysAndSectionsKeepEveryValue) {
  IniFile f = MustParse(
      "[DEFAULT]\n"
      "regex = a\n"
      "[Keystone-Base]\n"
      "x = 1\n"
      "[DEFAULT]\n"
      "regex = b\n");
  const auto& r = f.sections.at("DEFAULT").at("regex");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].value, "b");
  EXPECT_EQ(f.sections.count("keystone-base"), 1u);
  EXPECT_EQ(f.raw_sections[1], "Keystone-Base");
}

TEST(IniTest, CrLfAndLoneCr) {
  IniFile f = MustParse("[DEFAULT]\r\na = 1\r\rb = 2\r");
  EXPECT_EQ(f.sections.at("DEFAULT").at("a")[0].value, "1");
  EXPECT_EQ(f.sections.at("DEFAULT").at("b")[0].line, 4);
}

TEST(IniTest, Errors) {
  EXPECT_EQ(ParseErr("a = 1\n"),
            "t.conf:1: section must be started before assignment");
  EXPECT_EQ(ParseErr("[DEFAULT]\nnovalue\n"),
            "t.conf:2: no ':' or '=' found in assignment");
  EXPECT_EQ(ParseErr("[DEFAULT]\n = 1\n"),
            "t.conf:2: unexpected continuation line");
  EXPECT_EQ(ParseErr("[DEFAULT]\n= 1\n"), "t.conf:2: key cannot be empty");
  EXPECT_EQ(ParseErr("[DEFAULT\n"),
            "t.conf:1: invalid section (must end with ])");
  EXPECT_EQ(ParseErr("[]\n"), "t.conf:1: empty section name");
}

TEST(IniTest, NormalizeGroupName) {
  EXPECT_EQ(NormalizeGroupName("DEFAULT"), "DEFAULT");
  EXPECT_EQ(NormalizeGroupName("Default"), "default");
  EXPECT_EQ(NormalizeGroupName("Nova-Base"), "nova-base");
}

}  // namespace
}  // namespace kb::config
