#include "sched/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

namespace kb::sched {
namespace {

using graph::Image;
using graph::ImageStatus;

class NullReporter : public report::Reporter {
 public:
  void Event(report::Level, std::string_view, std::string_view) override {}
  void Output(std::string_view, std::string_view) override {}
};

// Scripted outcomes, recording the order of calls and the concurrency.
class FakeWorker : public Worker {
 public:
  Outcome Build(Image& img, int attempt) override {
    if (on_build) on_build(img);
    {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(img.name);
      ++running;
      max_running = std::max(max_running, running);
      if (img.parent) {
        // The parent must be done before the child starts.
        EXPECT_TRUE(img.parent->status == ImageStatus::kBuilt)
            << img.name << " started before " << img.parent->name;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard<std::mutex> lock(mu);
    --running;
    auto f = fail_times.find(img.name);
    if (f != fail_times.end() && attempt <= f->second)
      return {ImageStatus::kError, "scripted failure"};
    return {ImageStatus::kBuilt, ""};
  }
  Outcome Push(Image& img, int attempt) override {
    std::lock_guard<std::mutex> lock(mu);
    pushed.insert(img.name);
    if (push_fail.count(img.name)) return {ImageStatus::kPushError, "denied"};
    return {ImageStatus::kBuilt, ""};
  }

  std::mutex mu;
  std::vector<std::string> order;
  std::set<std::string> pushed, push_fail;
  std::map<std::string, int> fail_times;
  int running = 0, max_running = 0;
  std::function<void(Image&)> on_build;
};

class SchedulerTest : public ::testing::Test {
 protected:
  Image* Add(const std::string& name, Image* parent) {
    images_.push_back(std::make_unique<Image>());
    Image* img = images_.back().get();
    img->name = name;
    img->parent = parent;
    img->status = ImageStatus::kMatched;
    if (parent) parent->children.push_back(img);
    plan_.Add(img);
    return img;
  }
  Plan plan_;
  FakeWorker worker_;
  NullReporter reporter_;
  std::vector<std::unique_ptr<Image>> images_;
};

TEST_F(SchedulerTest, BuildsInDependencyOrderOnSeveralThreads) {
  Image* base = Add("base", nullptr);
  for (int i = 0; i < 4; ++i) Add("c" + std::to_string(i), base);
  Scheduler s(&plan_, &worker_, &reporter_, {4, 1, 0, false});
  s.Run();
  EXPECT_EQ(worker_.order.front(), "base");
  EXPECT_EQ(worker_.order.size(), 5u);
  EXPECT_GE(worker_.max_running, 2);
  for (auto& i : images_) EXPECT_EQ(i->status, ImageStatus::kBuilt);
}

TEST_F(SchedulerTest, RetriesThenGivesUpAndFailsChildren) {
  Image* base = Add("base", nullptr);
  Image* child = Add("child", base);
  Image* other = Add("other", nullptr);
  worker_.fail_times = {{"base", 10}, {"other", 1}};
  Scheduler s(&plan_, &worker_, &reporter_, {2, 1, 2, false});
  s.Run();
  EXPECT_EQ(base->status, ImageStatus::kError);
  EXPECT_EQ(child->status, ImageStatus::kParentError);
  EXPECT_EQ(other->status, ImageStatus::kBuilt);  // second attempt worked
  int base_attempts = 0;
  for (auto& n : worker_.order) base_attempts += n == "base";
  EXPECT_EQ(base_attempts, 3);
}

TEST_F(SchedulerTest, PushesEachBuiltImageAndRecordsPushErrors) {
  Image* base = Add("base", nullptr);
  Image* child = Add("child", base);
  worker_.push_fail = {"child"};
  Scheduler s(&plan_, &worker_, &reporter_, {2, 1, 1, true});
  s.Run();
  EXPECT_EQ(worker_.pushed, (std::set<std::string>{"base", "child"}));
  EXPECT_EQ(base->status, ImageStatus::kBuilt);
  EXPECT_EQ(child->status, ImageStatus::kPushError);
}

TEST_F(SchedulerTest, StopStartsNoNewBuild) {
  Image* base = Add("base", nullptr);
  Image* child = Add("child", base);
  Scheduler s(&plan_, &worker_, &reporter_, {2, 1, 0, false});
  // The first Ctrl-C arrives while base is building.
  worker_.on_build = [&](Image&) { s.Stop(); };
  s.Run();
  EXPECT_EQ(base->status, ImageStatus::kBuilt);
  EXPECT_EQ(child->status, ImageStatus::kMatched);
}

}  // namespace
}  // namespace kb::sched
