#include "engine/fake_engine_client.h"

#include <cstdint>
#include <cstdio>

namespace kb::engine {

using nlohmann::json;

void FakeEngineClient::ScriptBuild(const std::string& tag, BuildScript script) {
  std::lock_guard<std::mutex> lock(mu_);
  build_scripts_[tag] = std::move(script);
}

void FakeEngineClient::FailBuild(const std::string& tag,
                                 const std::string& error, int times,
                                 bool connection_error) {
  std::lock_guard<std::mutex> lock(mu_);
  BuildResult result;
  result.error = error;
  result.connection_error = connection_error;
  failures_[tag] = Failure{result, times};
}

void FakeEngineClient::ScriptPush(const std::string& repo,
                                  const std::string& tag,
                                  std::vector<json> messages,
                                  std::optional<EngineError> error) {
  std::lock_guard<std::mutex> lock(mu_);
  push_scripts_[repo + ":" + tag] =
      PushScript{std::move(messages), std::move(error)};
}

void FakeEngineClient::AddImage(const std::string& name, ImageInfo info) {
  std::lock_guard<std::mutex> lock(mu_);
  images_[name] = std::move(info);
}

void FakeEngineClient::SetPingError(std::optional<EngineError> error) {
  std::lock_guard<std::mutex> lock(mu_);
  ping_error_ = std::move(error);
}

void FakeEngineClient::SetBuildHook(
    std::function<void(const BuildRequest&)> hook) {
  std::lock_guard<std::mutex> lock(mu_);
  build_hook_ = std::move(hook);
}

std::string FakeEngineClient::FakeImageId(const std::string& tag) {
  // FNV-1a, stretched to 64 hex digits: stable across runs and platforms.
  std::string id = "sha256:";
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char c : tag) h = (h ^ c) * 1099511628211ull;
    h = (h ^ static_cast<uint64_t>(round)) * 1099511628211ull;
    char part[17];
    std::snprintf(part, sizeof part, "%016llx",
                  static_cast<unsigned long long>(h));
    id += part;
  }
  return id;
}

std::vector<BuildRequest> FakeEngineClient::builds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return builds_;
}

std::vector<FakeEngineClient::PushCall> FakeEngineClient::pushes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pushes_;
}

std::vector<std::string> FakeEngineClient::inspected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return inspected_;
}

std::optional<EngineError> FakeEngineClient::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  return ping_error_;
}

BuildResult FakeEngineClient::Build(const BuildRequest& request,
                                    const StreamCallback& on_msg) {
  BuildScript script;
  std::function<void(const BuildRequest&)> hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    builds_.push_back(request);
    hook = build_hook_;
    if (ping_error_) {
      BuildResult result;
      result.error = ping_error_->message;
      result.connection_error = ping_error_->connection;
      return result;
    }
    auto failure = failures_.find(request.tag);
    if (failure != failures_.end() && failure->second.times > 0) {
      --failure->second.times;
      script.result = failure->second.result;
      script.messages = {
          json{{"stream", "Step 1/1 : RUN false\n"}},
          json{{"errorDetail", {{"message", script.result.error}}},
               {"error", script.result.error}}};
    } else if (auto it = build_scripts_.find(request.tag);
               it != build_scripts_.end()) {
      script = it->second;
    } else {
      script.result.ok = true;
      script.result.image_id = FakeImageId(request.tag);
      script.messages = {json{{"stream", "Step 1/1 : FROM base\n"}},
                         json{{"aux", {{"ID", script.result.image_id}}}}};
    }
  }
  if (hook) hook(request);
  if (on_msg) {
    for (const json& msg : script.messages) on_msg(msg);
  }
  if (request.cancel && request.cancel->load()) {
    BuildResult cancelled;
    cancelled.error = "engine: POST /build: cancelled";
    cancelled.cancelled = true;
    return cancelled;
  }
  if (script.result.ok) {
    // Built images are found by later inspections, labels included.
    ImageInfo info;
    info.id = script.result.image_id;
    for (const auto& [key, value] : request.labels) info.labels[key] = value;
    std::lock_guard<std::mutex> lock(mu_);
    images_[request.tag] = info;
  }
  return script.result;
}

std::optional<ImageInfo> FakeEngineClient::InspectImage(
    const std::string& name, std::optional<EngineError>* err) {
  std::lock_guard<std::mutex> lock(mu_);
  inspected_.push_back(name);
  if (ping_error_) {
    if (err) *err = ping_error_;
    return std::nullopt;
  }
  auto it = images_.find(name);
  if (it == images_.end()) return std::nullopt;
  return it->second;
}

std::optional<EngineError> FakeEngineClient::Push(
    const std::string& repo, const std::string& tag,
    const std::string& registry_auth_b64, const StreamCallback& on_msg) {
  PushScript script;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pushes_.push_back(PushCall{repo, tag,
                               registry_auth_b64.empty()
                                   ? std::string(kAnonymousRegistryAuth)
                                   : registry_auth_b64});
    if (ping_error_) return ping_error_;
    if (auto it = push_scripts_.find(repo + ":" + tag);
        it != push_scripts_.end()) {
      script = it->second;
    } else if (!images_.count(repo + ":" + tag)) {
      // As dockerd answers for an image that was never built: 200, then an
      // error object in the stream.
      std::string text =
          "An image does not exist locally with the tag: " + repo;
      script.messages = {
          json{{"status", "The push refers to repository [" + repo + "]"}},
          json{{"errorDetail", {{"message", text}}}, {"error", text}}};
      script.error =
          EngineError{"engine: POST /images/" + repo + "/push: " + text, false};
    } else {
      script.messages = {
          json{{"status", "The push refers to repository [" + repo + "]"}},
          json{{"status", tag + ": digest: sha256:0 size: 1"}}};
    }
  }
  if (on_msg) {
    for (const json& msg : script.messages) on_msg(msg);
  }
  return script.error;
}

}  // namespace kb::engine
