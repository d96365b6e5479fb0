#include "sched/scheduler.h"

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace kb::sched {

using graph::Image;
using graph::ImageStatus;
using report::Level;

namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

bool Succeeded(ImageStatus s) {
  return s == ImageStatus::kBuilt || s == ImageStatus::kUnchanged;
}

}  // namespace

Scheduler::Scheduler(Plan* plan, Worker* worker, report::Reporter* reporter,
                     SchedulerOptions opts)
    : plan_(plan), worker_(worker), reporter_(reporter), opts_(opts) {}

void Scheduler::Stop() {
  stop_ = true;
  cv_.notify_all();
}

std::map<std::string, double> Scheduler::Run() {
  plan_->Prepare();
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, opts_.threads); ++i)
    threads.emplace_back([this] { BuildLoop(); });
  if (opts_.push) {
    for (int i = 0; i < std::max(1, opts_.push_threads); ++i)
      threads.emplace_back([this] { PushLoop(); });
  }
  for (auto& t : threads) t.join();
  return durations_;
}

void Scheduler::BuildLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Sleep until there is an image to build, or nothing more can come.
    cv_.wait(lock, [&] {
      return stop_ || plan_->ready_count() > 0 ||
             (plan_->Empty() || building_ == 0);
    });
    if (stop_ || plan_->Empty()) break;
    Image* img = plan_->PopReady();
    if (!img) {
      if (building_ == 0) break;  // [this is a bug] nothing can become ready
      continue;
    }
    ++building_;
    lock.unlock();
    RunBuild(img);
    lock.lock();
    --building_;
    bool ok = Succeeded(img->status);
    for (Image* c : plan_->Finish(img, ok)) {
      reporter_->Event(Level::kError, c->name,
                       "not built: " + c->reason + " (parent_error)");
    }
    if (ok && opts_.push) push_queue_.push_back(img);
    cv_.notify_all();
  }
  cv_.notify_all();
}

void Scheduler::RunBuild(Image* img) {
  img->status = ImageStatus::kBuilding;
  auto start = std::chrono::steady_clock::now();
  Outcome out;
  for (int attempt = 1; attempt <= opts_.retries + 1; ++attempt) {
    if (attempt > 1) {
      if (stop_) break;
      reporter_->Event(Level::kWarning, img->name,
                       "attempt " + std::to_string(attempt) + " of " +
                           std::to_string(opts_.retries + 1) + " after: " +
                           out.message);
    }
    out = worker_->Build(*img, attempt);
    if (Succeeded(out.status)) break;
  }
  double took = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  img->status = out.status;
  if (out.status == ImageStatus::kBuilt) {
    reporter_->Event(Level::kInfo, img->name, "built in " + Seconds(took));
  } else if (out.status == ImageStatus::kUnchanged) {
    img->reason = "unchanged";
    reporter_->Event(Level::kInfo, img->name,
                     "unchanged, not rebuilt (" + out.message + ")");
  } else {
    reporter_->Event(Level::kError, img->name,
                     out.message + " (" +
                         std::string(graph::StatusName(out.status)) + ")");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (out.status == ImageStatus::kBuilt) durations_[img->name] = took;
}

void Scheduler::PushLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] {
      return !push_queue_.empty() ||
             ((plan_->Empty() || stop_) && building_ == 0);
    });
    if (push_queue_.empty()) break;
    Image* img = push_queue_.front();
    push_queue_.pop_front();
    ++pushing_;
    lock.unlock();

    reporter_->Event(Level::kInfo, img->name, "pushing");
    Outcome out;
    for (int attempt = 1; attempt <= opts_.retries + 1; ++attempt) {
      out = worker_->Push(*img, attempt);
      if (Succeeded(out.status)) break;
      if (attempt <= opts_.retries)
        reporter_->Event(Level::kWarning, img->name,
                         "push attempt " + std::to_string(attempt) +
                             " failed: " + out.message);
    }
    if (Succeeded(out.status)) {
      reporter_->Event(Level::kInfo, img->name, "pushed");
    } else {
      reporter_->Event(Level::kError, img->name,
                       out.message + " (" +
                           std::string(graph::StatusName(out.status)) + ")");
    }

    lock.lock();
    if (!Succeeded(out.status)) img->status = out.status;
    --pushing_;
    cv_.notify_all();
  }
  cv_.notify_all();
}

}  // namespace kb::sched
