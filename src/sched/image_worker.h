// The work of one image: its sources, plugins and additions, its content
// digest, the engine build, and the push. This is upstream's BuildTask and
// PushTask, without the status bookkeeping (the Scheduler does that).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine_client.h"
#include "report/reporter.h"
#include "sched/scheduler.h"
#include "sources/sources.h"

namespace kb::sched {

struct WorkerSettings {
  bool nocache = false;
  bool forcerm = true;  // not --keep
  bool pull = true;     // root images only, as upstream
  std::optional<std::string> network_mode, platform;
  std::vector<std::pair<std::string, std::string>> buildargs;
  /// Labels for every image; per-image title/description are added here.
  std::vector<std::pair<std::string, std::string>> labels;
  /// Labels that change on every run (creation time, build date): sent,
  /// but left out of the content digest.
  std::vector<std::string> volatile_labels;
  sources::FetchOptions fetch;
  /// Skip an image whose digest label matches the image in the engine.
  bool reuse_unchanged = true;
  /// --squash: after each build, `squash_command --tag <name> <name>
  /// [--cleanup] --from-layer <parent id> [--tmp-dir <dir>]` (upstream's
  /// utils.squash through docker-squash). A failure is the image's error.
  bool squash = false;
  bool squash_cleanup = true;
  std::optional<std::string> squash_tmp_dir;
  std::string squash_command = "docker-squash";
  std::string registry_auth;  // X-Registry-Auth value
  int timeout_seconds = 120;
  /// Set by another thread to abort the running builds (second Ctrl-C).
  const std::atomic<bool>* cancel = nullptr;
};

/// The label holding an image's content digest.
inline constexpr char kDigestLabel[] = "io.kolla-build.digest";

class ImageWorker : public Worker {
 public:
  ImageWorker(engine::EngineClient* engine, report::Reporter* reporter,
              WorkerSettings settings);

  Outcome Build(graph::Image& img, int attempt) override;
  Outcome Push(graph::Image& img, int attempt) override;

  /// The digest computed for `name` in this run ("" when none).
  std::string DigestOf(const std::string& name);

 private:
  std::optional<std::string> PrepareContext(graph::Image& img);
  std::optional<std::string> Squash(const graph::Image& img);
  std::string ParentDigest(const graph::Image& img);

  engine::EngineClient* engine_;
  report::Reporter* reporter_;
  WorkerSettings settings_;
  std::mutex mu_;
  std::map<std::string, std::string> digests_;
};

/// sha256 over everything that decides the image: the Dockerfile and every
/// file of the context (paths, modes, link targets, contents, in sorted
/// order), the build args, the labels (but `volatile_labels`) and the
/// parent's digest. Returns "" when the folder cannot be read.
std::string ContextDigest(
    const std::string& dir,
    const std::vector<std::pair<std::string, std::string>>& buildargs,
    const std::vector<std::pair<std::string, std::string>>& labels,
    const std::vector<std::string>& volatile_labels,
    const std::string& parent_digest);

/// Runs `argv` (no shell; argv[0] looked up in PATH) with stdin from
/// /dev/null, an unblocked signal mask, and each line of its stdout and
/// stderr passed to `line`. Returns its exit status, 128 + the signal that
/// ended it, or -1 when it cannot start.
int RunCommand(const std::vector<std::string>& argv,
               const std::function<void(const std::string&)>& line);

}  // namespace kb::sched
