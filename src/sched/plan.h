// Which images can be built now, and in what order: a ready set ordered by
// the longest chain of work still below each image (its critical path).
// Not thread-safe; the Scheduler guards it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/image.h"

namespace kb::sched {

class Plan {
 public:
  /// `durations` holds each image's build time in seconds from an earlier
  /// run; images without one count as `default_duration`.
  explicit Plan(std::map<std::string, double> durations = {},
                double default_duration = 60.0);

  /// Adds an image to build. A parent that is not in the plan counts as
  /// done (it was skipped, or it is not ours).
  void Add(graph::Image* img);

  /// Computes priorities and the first ready set. REQUIRES: all Add()s done.
  void Prepare();

  /// Removes and returns the ready image with the longest critical path
  /// (ties: the larger subtree, then the name), or nullptr.
  graph::Image* PopReady();

  /// Records the end of `img`'s build. On success its waiting children may
  /// become ready; on failure every image in the plan below it is given
  /// kParentError and returned (they will never be ready).
  std::vector<graph::Image*> Finish(graph::Image* img, bool ok);

  bool Empty() const { return remaining_ == 0; }
  size_t ready_count() const { return ready_.size(); }
  double CriticalPath(const graph::Image* img) const;

 private:
  struct Node {
    graph::Image* img = nullptr;
    int waiting_on = 0;        // parents in the plan not yet built
    double critical = 0;       // own duration + the longest child chain
    int subtree = 0;
    bool finished = false;
  };
  double ComputeCritical(Node& n);
  std::vector<graph::Image*> Deps(const graph::Image* img) const;
  std::vector<graph::Image*> Dependents(const graph::Image* img) const;

  std::map<std::string, double> durations_;
  double default_duration_;
  std::map<const graph::Image*, Node> nodes_;
  std::vector<graph::Image*> ready_;
  size_t remaining_ = 0;
};

}  // namespace kb::sched
