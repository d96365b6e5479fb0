#include "sched/plan.h"

#include <gtest/gtest.h>

#include <memory>

namespace kb::sched {
namespace {

using graph::Image;

class PlanTest : public ::testing::Test {
 protected:
  Image* Add(const std::string& name, Image* parent) {
    images_.push_back(std::make_unique<Image>());
    Image* img = images_.back().get();
    img->name = name;
    img->parent = parent;
    if (parent) parent->children.push_back(img);
    return img;
  }
  std::vector<std::unique_ptr<Image>> images_;
};

TEST_F(PlanTest, ChildWaitsForParent) {
  Image* base = Add("base", nullptr);
  Image* cron = Add("cron", base);
  Plan plan;
  plan.Add(base);
  plan.Add(cron);
  plan.Prepare();
  EXPECT_EQ(plan.PopReady(), base);
  EXPECT_EQ(plan.PopReady(), nullptr);
  plan.Finish(base, true);
  EXPECT_EQ(plan.PopReady(), cron);
  plan.Finish(cron, true);
  EXPECT_TRUE(plan.Empty());
}

TEST_F(PlanTest, ParentOutsideThePlanCountsAsDone) {
  Image* base = Add("base", nullptr);
  Image* cron = Add("cron", base);
  Plan plan;
  plan.Add(cron);
  plan.Prepare();
  EXPECT_EQ(plan.PopReady(), cron);
}

TEST_F(PlanTest, LongestChainFirst) {
  // a -> a1 -> a2 is longer than b, so a starts first even though b's
  // single build is the longest.
  Image* a = Add("a", nullptr);
  Image* a1 = Add("a1", a);
  Image* a2 = Add("a2", a1);
  Image* b = Add("b", nullptr);
  Plan plan({{"a", 10}, {"a1", 10}, {"a2", 10}, {"b", 25}});
  for (Image* i : {a, a1, a2, b}) plan.Add(i);
  plan.Prepare();
  EXPECT_DOUBLE_EQ(plan.CriticalPath(a), 30);
  EXPECT_EQ(plan.PopReady(), a);
  EXPECT_EQ(plan.PopReady(), b);
}

TEST_F(PlanTest, WithoutHistoryTheBiggerSubtreeWins) {
  Image* a = Add("a", nullptr);
  Add("a1", a);
  Image* b = Add("b", nullptr);
  Image* b1 = Add("b1", b);
  Image* b2 = Add("b2", b);
  Plan plan;
  for (auto& i : images_) plan.Add(i.get());
  plan.Prepare();
  (void)b1;
  (void)b2;
  EXPECT_EQ(plan.PopReady(), b);
}

TEST_F(PlanTest, FailureGivesDescendantsParentError) {
  Image* base = Add("base", nullptr);
  Image* mid = Add("mid", base);
  Image* leaf = Add("leaf", mid);
  Image* other = Add("other", nullptr);
  Plan plan;
  for (auto& i : images_) plan.Add(i.get());
  plan.Prepare();
  ASSERT_EQ(plan.PopReady(), base);
  auto failed = plan.Finish(base, false);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(mid->status, graph::ImageStatus::kParentError);
  EXPECT_EQ(leaf->status, graph::ImageStatus::kParentError);
  EXPECT_EQ(plan.PopReady(), other);
  plan.Finish(other, true);
  EXPECT_TRUE(plan.Empty());
}

}  // namespace
}  // namespace kb::sched
