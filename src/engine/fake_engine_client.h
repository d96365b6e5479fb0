// An in-memory EngineClient for tests of the scheduler and the CLI: it
// replays scripted build and push streams and records every request. It
// proves nothing about a real daemon (the e2e tests do that).

#ifndef KB_ENGINE_FAKE_ENGINE_CLIENT_H_
#define KB_ENGINE_FAKE_ENGINE_CLIENT_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine_client.h"

namespace kb::engine {

class FakeEngineClient : public EngineClient {
 public:
  /// What one build of a tag does: the messages handed to the callback, in
  /// order, then the result.
  struct BuildScript {
    std::vector<nlohmann::json> messages;
    BuildResult result;
  };

  struct PushCall {
    std::string repo, tag, registry_auth_b64;
  };

  /// Builds of `tag` replay `script`. Unscripted tags succeed with
  /// "Step 1/1" and an aux ID message and image id FakeImageId(tag).
  void ScriptBuild(const std::string& tag, BuildScript script);
  /// The next `times` builds of `tag` fail with `error` (for retries); then
  /// the tag's script (or the default success) applies again.
  void FailBuild(const std::string& tag, const std::string& error,
                 int times = 1, bool connection_error = false);
  /// Pushes of repo:tag fail with `error` (`messages` replayed first).
  void ScriptPush(const std::string& repo, const std::string& tag,
                  std::vector<nlohmann::json> messages,
                  std::optional<EngineError> error);
  /// An image InspectImage() finds (as if built before this run).
  void AddImage(const std::string& name, ImageInfo info);
  /// Ping() (and so every call of a real client) fails with `error`.
  void SetPingError(std::optional<EngineError> error);
  void SetHasBuildx(bool has) { has_buildx_ = has; }
  /// Runs inside every Build() before it answers, on the calling thread
  /// (to block, count concurrency or trip a cancel flag).
  void SetBuildHook(std::function<void(const BuildRequest&)> hook);

  /// "sha256:" + 64 hex digits derived from the tag.
  static std::string FakeImageId(const std::string& tag);

  /// Requests so far, in arrival order.
  std::vector<BuildRequest> builds() const;
  std::vector<PushCall> pushes() const;
  std::vector<std::string> inspected() const;

  std::optional<EngineError> Ping() override;
  BuildResult Build(const BuildRequest& request,
                    const StreamCallback& on_msg) override;
  std::optional<ImageInfo> InspectImage(
      const std::string& name, std::optional<EngineError>* err) override;
  std::optional<EngineError> Push(const std::string& repo,
                                  const std::string& tag,
                                  const std::string& registry_auth_b64,
                                  const StreamCallback& on_msg) override;
  bool HasBuildx() override { return has_buildx_; }

 private:
  struct PushScript {
    std::vector<nlohmann::json> messages;
    std::optional<EngineError> error;
  };
  struct Failure {
    BuildResult result;
    int times;
  };

  mutable std::mutex mu_;
  std::map<std::string, BuildScript> build_scripts_;
  std::map<std::string, Failure> failures_;
  std::map<std::string, PushScript> push_scripts_;
  std::map<std::string, ImageInfo> images_;
  std::optional<EngineError> ping_error_;
  std::function<void(const BuildRequest&)> build_hook_;
  bool has_buildx_ = false;
  std::vector<BuildRequest> builds_;
  std::vector<PushCall> pushes_;
  std::vector<std::string> inspected_;
};

}  // namespace kb::engine

#endif  // KB_ENGINE_FAKE_ENGINE_CLIENT_H_
