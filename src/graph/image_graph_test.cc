#include "graph/image_graph.h"

#include <gtest/gtest.h>

#include <map>

namespace kb::graph {
namespace {

NamingSettings Naming() { return {"kolla", "", "t", {}}; }

// Builds a graph from (name, parent name) pairs; a parent of "" is a root
// built FROM an outside image.
ImageGraph Make(const std::vector<std::pair<std::string, std::string>>& defs) {
  std::vector<std::unique_ptr<Image>> images;
  for (const auto& [name, parent] : defs) {
    auto img = std::make_unique<Image>();
    img->name = name;
    img->path = "/w/" + name;
    img->dockerfile = "FROM " + (parent.empty() ? std::string("debian:13")
                                                : "kolla/" + parent + ":t") +
                      "\n";
    images.push_back(std::move(img));
  }
  ImageGraph g;
  EXPECT_EQ(g.Link(std::move(images), Naming()), "");
  return g;
}

std::map<std::string, std::string> Statuses(const ImageGraph& g) {
  std::map<std::string, std::string> out;
  for (const auto& i : g.images())
    out[i->name] = std::string(StatusName(i->status));
  return out;
}

const std::vector<std::pair<std::string, std::string>> kTree = {
    {"base", ""},
    {"openstack-base", "base"},
    {"keystone-base", "openstack-base"},
    {"keystone", "keystone-base"},
    {"keystone-fernet", "keystone-base"},
    {"barbican-base", "openstack-base"},
    {"barbican-api", "barbican-base"},
    {"barbican-keystone-listener", "barbican-base"},
    {"cron", "base"},
};

TEST(ImageGraphTest, LinksParentsByCanonicalName) {
  ImageGraph g = Make(kTree);
  EXPECT_EQ(g.Find("keystone")->parent->name, "keystone-base");
  EXPECT_EQ(g.Find("base")->children.size(), 2u);
  EXPECT_EQ(g.Find("base")->parent, nullptr);
}

TEST(ImageGraphTest, RegexMatchesAncestorsToo) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.regexes = {"^cron$"};
  ASSERT_EQ(g.Filter(s, nullptr), "");
  auto st = Statuses(g);
  EXPECT_EQ(st["cron"], "matched");
  EXPECT_EQ(st["base"], "matched");
  EXPECT_EQ(st["keystone"], "unmatched");
}

TEST(ImageGraphTest, SkipParentsKeepsNamedImageWithoutWantedChildren) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.regexes = {"^barbican-base$"};
  s.skip_parents = true;
  std::vector<std::string> warnings;
  ASSERT_EQ(g.Filter(s, &warnings), "");
  auto st = Statuses(g);
  EXPECT_EQ(st["barbican-base"], "matched");
  EXPECT_EQ(st["openstack-base"], "skipped");
  EXPECT_EQ(st["base"], "skipped");
  EXPECT_EQ(st["barbican-api"], "unmatched");
  ASSERT_EQ(warnings.size(), 1u);
}

TEST(ImageGraphTest, SkipParentsAsUpstreamWhenChildrenAreBuilt) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.regexes = {"keystone"};
  s.skip_parents = true;
  ASSERT_EQ(g.Filter(s, nullptr), "");
  auto st = Statuses(g);
  EXPECT_EQ(st["keystone"], "matched");
  EXPECT_EQ(st["keystone-fernet"], "matched");
  EXPECT_EQ(st["barbican-keystone-listener"], "matched");
  EXPECT_EQ(st["keystone-base"], "skipped");
  EXPECT_EQ(st["barbican-base"], "skipped");
  EXPECT_EQ(st["openstack-base"], "skipped");
  EXPECT_EQ(st["base"], "skipped");
}

TEST(ImageGraphTest, UnbuildableSpreadsToChildren) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.base = "rocky";
  s.base_arch = "x86_64";
  s.unbuildable = {{"rocky", {"keystone-base"}},
                   {"rocky+aarch64", {"cron"}},
                   {"debian", {"base"}}};
  ASSERT_EQ(g.Filter(s, nullptr), "");
  auto st = Statuses(g);
  EXPECT_EQ(st["keystone-base"], "unbuildable");
  EXPECT_EQ(st["keystone"], "unbuildable");
  EXPECT_EQ(st["cron"], "matched");
  EXPECT_EQ(st["base"], "matched");
}

TEST(ImageGraphTest, ProfilesAreIgnoredWhenRegexesAreGiven) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.regexes = {"^cron$"};
  s.profile_patterns = {"keystone"};
  std::vector<std::string> warnings;
  ASSERT_EQ(g.Filter(s, &warnings), "");
  EXPECT_EQ(Statuses(g)["keystone"], "unmatched");
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(ImageGraphTest, InvalidRegexIsReported) {
  ImageGraph g = Make(kTree);
  FilterSettings s;
  s.regexes = {"("};
  EXPECT_NE(g.Filter(s, nullptr), "");
}

TEST(ImageGraphTest, CyclesAreFoundAndMarked) {
  ImageGraph g = Make({{"cyca", "cycb"}, {"cycb", "cyca"}, {"base", ""},
                       {"self", "self"}});
  auto cycles = g.FindCycles();
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0], "cyca -> cycb -> cyca");
  EXPECT_EQ(cycles[1], "self -> self");
  EXPECT_EQ(g.Find("cyca")->status, ImageStatus::kError);
  EXPECT_EQ(g.Find("base")->status, ImageStatus::kUnprocessed);
}

TEST(ImageGraphTest, DuplicateNamesAreAnError) {
  std::vector<std::unique_ptr<Image>> images;
  for (const char* p : {"/w/a/x", "/w/b/x"}) {
    auto img = std::make_unique<Image>();
    img->name = "x";
    img->path = p;
    images.push_back(std::move(img));
  }
  ImageGraph g;
  EXPECT_EQ(g.Link(std::move(images), Naming()),
            "two image folders are both named 'x': '/w/a/x' and '/w/b/x'");
}

}  // namespace
}  // namespace kb::graph
