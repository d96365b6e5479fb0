// Builds the planned images on several threads in dependency order and
// pushes each one as soon as it is built, while the others build.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "graph/image.h"
#include "report/reporter.h"
#include "sched/plan.h"

namespace kb::sched {

/// What one attempt at building or pushing an image ended with.
struct Outcome {
  /// kBuilt, kUnchanged, kError, kConnectionError or kPushError.
  graph::ImageStatus status = graph::ImageStatus::kError;
  std::string message;  // why it failed, for the terminal
};

/// Does the work for one image. Called from several threads at once, each
/// with a different image.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual Outcome Build(graph::Image& img, int attempt) = 0;
  virtual Outcome Push(graph::Image& img, int attempt) = 0;
};

struct SchedulerOptions {
  int threads = 8;
  int push_threads = 1;
  int retries = 3;  // further attempts after the first
  bool push = false;
};

class Scheduler {
 public:
  Scheduler(Plan* plan, Worker* worker, report::Reporter* reporter,
            SchedulerOptions opts);

  /// Runs until every image is built, failed or skipped, or until Stop()
  /// and the builds already running have ended. Returns each image's build
  /// time in seconds.
  std::map<std::string, double> Run();

  /// Starts no new build (the first Ctrl-C). Safe from a signal-watching
  /// thread.
  void Stop();
  bool stopped() const { return stop_; }

 private:
  void BuildLoop();
  void PushLoop();
  void RunBuild(graph::Image* img);

  Plan* plan_;
  Worker* worker_;
  report::Reporter* reporter_;
  SchedulerOptions opts_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<graph::Image*> push_queue_;
  int building_ = 0;
  int pushing_ = 0;
  std::atomic<bool> stop_{false};
  std::map<std::string, double> durations_;
};

}  // namespace kb::sched
