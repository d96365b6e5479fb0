#include "report/summary.h"

#include <gtest/gtest.h>

namespace kb::report {
namespace {

using graph::ImageStatus;

graph::ImageGraph Make(
    const std::vector<std::pair<std::string, ImageStatus>>& images) {
  std::vector<std::unique_ptr<graph::Image>> v;
  for (const auto& [name, st] : images) {
    auto img = std::make_unique<graph::Image>();
    img->name = name;
    img->path = "/w/" + name;
    img->status = st;
    v.push_back(std::move(img));
  }
  graph::ImageGraph g;
  g.Link(std::move(v), {"kolla", "", "t", {}});
  return g;
}

TEST(SummaryTest, JsonIsUpstreamsShapeAndOrder) {
  graph::ImageGraph g = Make({{"haproxy", ImageStatus::kParentError},
                              {"base", ImageStatus::kBuilt},
                              {"fluentd", ImageStatus::kError},
                              {"cron", ImageStatus::kPushError},
                              {"keystone", ImageStatus::kSkipped},
                              {"ovsdpdk", ImageStatus::kUnbuildable},
                              {"nova", ImageStatus::kUnmatched}});
  Summary s = MakeSummary(g, {"fluentd"});
  EXPECT_EQ(SummaryJson(s, 0),
            "{\"built\": [{\"name\": \"base\"}], \"failed\": [{\"name\": "
            "\"cron\", \"status\": \"push_error\"}, {\"name\": \"fluentd\", "
            "\"status\": \"error\"}, {\"name\": \"haproxy\", \"status\": "
            "\"parent_error\"}], \"not_matched\": [{\"name\": \"nova\"}], "
            "\"skipped\": [{\"name\": \"keystone\"}], \"unbuildable\": "
            "[{\"name\": \"ovsdpdk\"}]}");
  EXPECT_EQ(SummaryExitCode(s), 1);
}

TEST(SummaryTest, IndentedJsonMatchesPython) {
  graph::ImageGraph g = Make({{"base", ImageStatus::kBuilt}});
  EXPECT_EQ(SummaryJson(MakeSummary(g, {}), 4),
            "{\n    \"built\": [\n        {\n            \"name\": \"base\"\n"
            "        }\n    ],\n    \"failed\": [],\n    \"not_matched\": [],\n"
            "    \"skipped\": [],\n    \"unbuildable\": []\n}");
}

TEST(SummaryTest, AllowedToFailKeepsExitZeroAndUnchangedIsSkipped) {
  graph::ImageGraph g = Make({{"fluentd", ImageStatus::kError},
                              {"cron", ImageStatus::kUnchanged}});
  Summary s = MakeSummary(g, {"fluentd"});
  EXPECT_EQ(SummaryExitCode(s), 0);
  ASSERT_EQ(s.skipped.size(), 1u);
  EXPECT_EQ(s.skipped[0].reason, "unchanged");
  EXPECT_NE(SummaryJson(s, 0).find(
                "\"skipped\": [{\"name\": \"cron\", \"reason\": \"unchanged\"}]"),
            std::string::npos);
}

}  // namespace
}  // namespace kb::report
