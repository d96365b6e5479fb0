#include "kolla/yaml_value.h"

#include <gtest/gtest.h>

namespace kb::kolla {
namespace {

std::string Parse(const std::string& text) {
  auto v = ParseYaml(text, "t.yaml");
  if (!v.ok()) return v.error().error_class + ": " + v.error().message;
  return v.value().Repr();
}

TEST(ParseYamlTest, PlainScalarsResolveLikePyYaml) {
  EXPECT_EQ(Parse("a: True\nb: yes\nc: off\nd: 1\ne: 0x1f\nf: 1.5\n"
                  "g: ~\nh:\ni: null\nj: text\nk: 010\nl: 1_000\n"),
            "{'a': True, 'b': True, 'c': False, 'd': 1, 'e': 31, 'f': 1.5, "
            "'g': None, 'h': None, 'i': None, 'j': 'text', 'k': 8, "
            "'l': 1000}");
}

TEST(ParseYamlTest, QuotedAndBlockScalarsStayStrings) {
  EXPECT_EQ(Parse("a: 'yes'\nb: \"1\"\nc: |\n  x\n  y\nd: !!str 2\n"),
            "{'a': 'yes', 'b': '1', 'c': 'x\\ny\\n', 'd': '2'}");
}

TEST(ParseYamlTest, KeepsOrderAndNesting) {
  EXPECT_EQ(Parse("z:\n  b: [1, two]\n  a: {x: 1}\n"),
            "{'z': {'b': [1, 'two'], 'a': {'x': 1}}}");
}

TEST(ParseYamlTest, MergeKeys) {
  EXPECT_EQ(Parse("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n"),
            "{'base': {'x': 1, 'y': 2}, 'c': {'x': 1, 'y': 3}}");
}

TEST(ParseYamlTest, EmptyDocumentIsNone) { EXPECT_EQ(Parse(""), "None"); }

TEST(ParseYamlTest, SyntaxErrorNamesFileAndLine) {
  EXPECT_EQ(Parse("a: [b\n"),
            "YAMLError: cannot parse 't.yaml': end of sequence flow not "
            "found at line 2, column 1");
}

TEST(ParseYamlTest, UnknownTagIsRefused) {
  EXPECT_EQ(Parse("a: !!python/object x\n"),
            "YAMLError: cannot parse 't.yaml': could not determine a "
            "constructor for the tag 'tag:yaml.org,2002:python/object' at "
            "line 1, column 4");
}

TEST(LoadYamlFileTest, MissingFile) {
  auto v = LoadYamlFile("/nonexistent/repos.yaml");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().error_class, "FileNotFoundError");
  EXPECT_EQ(v.error().message,
            "[Errno 2] No such file or directory: '/nonexistent/repos.yaml'");
}

}  // namespace
}  // namespace kb::kolla
