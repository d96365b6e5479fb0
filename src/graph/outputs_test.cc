#include "graph/outputs.h"

#include <gtest/gtest.h>

namespace kb::graph {
namespace {

ImageGraph Make(const std::vector<std::pair<std::string, std::string>>& defs,
                const std::vector<std::string>& regexes) {
  std::vector<std::unique_ptr<Image>> images;
  for (const auto& [name, parent] : defs) {
    auto img = std::make_unique<Image>();
    img->name = name;
    img->path = "/w/" + name;
    img->dockerfile = "FROM " + (parent.empty() ? std::string("debian:13")
                                                : "kolla/" + parent + ":t");
    images.push_back(std::move(img));
  }
  ImageGraph g;
  g.Link(std::move(images), {"kolla", "", "t", {}});
  FilterSettings s;
  s.regexes = regexes;
  g.Filter(s, nullptr);
  return g;
}

TEST(OutputsTest, ListImagesNumbersMatchedImages) {
  ImageGraph g = Make({{"cron", "base"}, {"base", ""}, {"x", "base"}},
                      {"^cron$"});
  EXPECT_EQ(ListImages(g), "1 : cron\n2 : base\n");
}

TEST(OutputsTest, ListDependenciesIsPythonJsonWithoutNewline) {
  ImageGraph g = Make({{"base", ""}, {"cron", "base"}}, {"^cron$"});
  EXPECT_EQ(ListDependencies(g), "{\n  \"base\": [\n    \"cron\"\n  ]\n}");
}

TEST(OutputsTest, ListDependenciesShowsEveryRoot) {
  ImageGraph g = Make({{"base", ""}, {"zzz-external", ""}, {"a", "base"},
                       {"b", "a"}},
                      {"zzz|b"});
  EXPECT_EQ(ListDependencies(g),
            "{\n  \"base\": [\n    {\n      \"a\": [\n        \"b\"\n"
            "      ]\n    }\n  ],\n  \"zzz-external\": []\n}");
}

TEST(OutputsTest, NothingMatched) {
  ImageGraph g = Make({{"base", ""}}, {"^nosuchimage$"});
  EXPECT_EQ(ListDependencies(g), "Nothing matched!\n");
}

TEST(OutputsTest, DotHasOneStatementPerLineAndQuotesDashes) {
  ImageGraph g = Make({{"base", ""}, {"nova-api", "base"}}, {});
  EXPECT_EQ(DependencyDot(g),
            "// Container Images Dependency\ndigraph {\n\trankdir=LR\n"
            "\tbase\n\t\"nova-api\"\n\tbase -> \"nova-api\"\n}\n");
}

}  // namespace
}  // namespace kb::graph
