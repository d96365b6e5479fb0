// EngineClient over the Docker Engine HTTP API.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "engine/context_tar.h"
#include "engine/engine_client.h"
#include "engine/http.h"
#include "engine/label_fold.h"
#include "util/fs.h"

namespace kb::engine {
namespace {

using nlohmann::json;

// "1.41" -> {1, 41}; {0, 0} when malformed.
std::pair<int, int> ParseVersion(const std::string& v) {
  int major = 0, minor = 0;
  if (std::sscanf(v.c_str(), "%d.%d", &major, &minor) != 2) return {0, 0};
  return {major, minor};
}

// The daemon's {"message": ...} of an HTTP error, else the body as text.
std::string ErrorText(const HttpResponse& response) {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("message") &&
      body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  std::string text = response.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text.empty() ? "(no message)" : text;
}

// The error text of a stream object, when it is an error object: the
// errorDetail message, else the error string, without the line end podman
// adds.
std::optional<std::string> StreamError(const json& msg) {
  if (!msg.is_object()) return std::nullopt;
  std::optional<std::string> text;
  if (msg.contains("errorDetail") && msg["errorDetail"].is_object()) {
    const json& detail = msg["errorDetail"];
    if (detail.contains("message") && detail["message"].is_string()) {
      text = detail["message"].get<std::string>();
    }
  }
  if (!text && msg.contains("error")) {
    const json& error = msg["error"];
    text = error.is_string() ? error.get<std::string>() : error.dump();
  }
  while (text && !text->empty() &&
         (text->back() == '\n' || text->back() == '\r')) {
    text->pop_back();
  }
  return text;
}

// The image id announced by a build stream object, if any: aux.ID, or the
// classic builder's "Successfully built <id>" line.
std::optional<std::string> BuiltImageId(const json& msg) {
  if (!msg.is_object()) return std::nullopt;
  if (msg.contains("aux") && msg["aux"].is_object() &&
      msg["aux"].contains("ID") && msg["aux"]["ID"].is_string()) {
    return msg["aux"]["ID"].get<std::string>();
  }
  if (msg.contains("stream") && msg["stream"].is_string()) {
    constexpr std::string_view kPrefix = "Successfully built ";
    std::string line = msg["stream"].get<std::string>();
    if (line.rfind(kPrefix, 0) == 0) {
      std::string id = line.substr(kPrefix.size());
      while (!id.empty() &&
             (id.back() == '\n' || id.back() == '\r' || id.back() == ' ')) {
        id.pop_back();
      }
      if (!id.empty()) return id;
    }
  }
  return std::nullopt;
}

std::string JsonObject(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  json object = json::object();
  for (const auto& [key, value] : pairs) object[key] = value;
  return object.dump();
}

class DockerClient : public EngineClient {
 public:
  DockerClient(Endpoint endpoint, int timeout_seconds,
               std::optional<std::string> setup_error)
      : endpoint_(std::move(endpoint)),
        timeout_(timeout_seconds > 0 ? timeout_seconds : 120),
        setup_error_(std::move(setup_error)) {}

  std::optional<EngineError> Ping() override;
  BuildResult Build(const BuildRequest& request,
                    const StreamCallback& on_msg) override;
  std::optional<ImageInfo> InspectImage(
      const std::string& name, std::optional<EngineError>* err) override;
  std::optional<EngineError> Push(const std::string& repo,
                                  const std::string& tag,
                                  const std::string& registry_auth_b64,
                                  const StreamCallback& on_msg) override;
  bool HasBuildx() override { return HasBuildxPlugin(DefaultCliPluginDirs()); }

 private:
  // "/v1.NN" for the negotiated version, negotiating first if needed.
  std::optional<EngineError> ApiPrefix(std::string* prefix);
  // The EngineError for a response that failed; nullopt when it is a
  // success (2xx/3xx and complete). `what` is "GET /version" and the like.
  std::optional<EngineError> Failure(const std::string& what,
                                     const HttpResponse& response) const;

  const Endpoint endpoint_;
  const long timeout_;
  const std::optional<std::string> setup_error_;
  std::mutex mu_;
  std::optional<std::string> api_version_;  // guarded by mu_
  bool podman_ = false;  // guarded by mu_; /version names Podman's engine
};

std::optional<EngineError> DockerClient::Failure(
    const std::string& what, const HttpResponse& response) const {
  if (response.cancelled) {
    return EngineError{"engine: " + what + ": cancelled", false};
  }
  if (response.status >= 400) {
    return EngineError{"engine: " + what + ": " +
                           std::to_string(response.status) + ": " +
                           ErrorText(response),
                       false};
  }
  if (response.failure) {
    if (response.connection_failed && response.status == 0) {
      return EngineError{"engine: cannot connect to " + endpoint_.display +
                             ": " + *response.failure,
                         true};
    }
    return EngineError{"engine: " + what + ": " + *response.failure,
                       response.connection_failed};
  }
  return std::nullopt;
}

std::optional<EngineError> DockerClient::Ping() {
  if (setup_error_) return EngineError{"engine: " + *setup_error_, false};
  HttpRequest request;
  request.target = "/version";
  request.connect_timeout_seconds = timeout_;
  request.timeout_seconds = timeout_;
  HttpResponse response = Perform(endpoint_, request);
  if (auto err = Failure("GET /version", response)) return err;

  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("ApiVersion") ||
      !body["ApiVersion"].is_string()) {
    return EngineError{"engine: GET /version: no 'ApiVersion' in the answer",
                       false};
  }
  std::string version = MinApiVersion(body["ApiVersion"].get<std::string>(),
                                      std::string(kMaxApiVersion));
  bool podman = false;
  if (auto c = body.find("Components"); c != body.end() && c->is_array()) {
    for (const json& component : *c)
      if (component.is_object() &&
          component.value("Name", "") == "Podman Engine")
        podman = true;
  }
  std::lock_guard<std::mutex> lock(mu_);
  api_version_ = version;
  podman_ = podman;
  return std::nullopt;
}

std::optional<EngineError> DockerClient::ApiPrefix(std::string* prefix) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (api_version_) {
      *prefix = "/v" + *api_version_;
      return std::nullopt;
    }
  }
  if (auto err = Ping()) return err;
  std::lock_guard<std::mutex> lock(mu_);
  *prefix = "/v" + *api_version_;
  return std::nullopt;
}

BuildResult DockerClient::Build(const BuildRequest& req,
                                const StreamCallback& on_msg) {
  BuildResult result;
  auto fail = [&result](const EngineError& err) {
    result.error = err.message;
    result.connection_error = err.connection;
    return result;
  };
  std::string prefix;
  if (auto err = ApiPrefix(&prefix)) return fail(*err);
  ContextTar tar;
  std::vector<std::pair<std::string, std::string>> labels = req.labels;
  bool podman;
  {
    std::lock_guard<std::mutex> lock(mu_);
    podman = podman_;
  }
  // Podman applies the parameter's labels without steps of their own.
  if (!labels.empty() && !podman) {
    std::string read_error;  // an unreadable file fails in the tar below
    if (auto text = util::ReadFile(req.context_dir + "/Dockerfile",
                                   &read_error)) {
      if (auto folded = FoldLabels(*text, labels)) {
        tar.ReplaceFile("Dockerfile", std::move(folded->dockerfile));
        labels = std::move(folded->rest);
      }
    }
  }
  if (auto err = tar.Open(req.context_dir)) {
    return fail({"engine: POST /build: " + *err, false});
  }

  // An untagged build is allowed; "t=" alone would be an invalid name.
  std::string query = req.tag.empty() ? "" : "t=" + UrlEscape(req.tag) + "&";
  query += std::string("nocache=") + (req.nocache ? "1" : "0");
  query += std::string("&rm=") + (req.rm ? "1" : "0");
  query += std::string("&forcerm=") + (req.forcerm ? "1" : "0");
  query += std::string("&pull=") + (req.pull ? "1" : "0");
  if (req.network_mode) query += "&networkmode=" + UrlEscape(*req.network_mode);
  if (req.platform) query += "&platform=" + UrlEscape(*req.platform);
  if (!req.buildargs.empty()) {
    query += "&buildargs=" + UrlEscape(JsonObject(req.buildargs));
  }
  if (!labels.empty()) {
    query += "&labels=" + UrlEscape(JsonObject(labels));
  }

  // Each object is looked at and handed on as soon as it is complete, so
  // the log is live (B034).
  JsonStreamDecoder decoder;
  std::optional<std::string> stream_error;
  std::string image_id;
  std::optional<std::string> callback_error;
  StreamCallback handle = [&](const json& msg) {
    if (auto text = StreamError(msg); text && !stream_error) {
      stream_error = text;
    }
    if (auto id = BuiltImageId(msg)) image_id = *id;
    if (!on_msg || callback_error) return;
    try {
      on_msg(msg);
    } catch (const std::exception& e) {
      callback_error = e.what();
    } catch (...) {
      callback_error = "unknown exception";
    }
  };

  HttpRequest request;
  request.method = "POST";
  request.target = prefix + "/build?" + query;
  request.headers = {"Content-Type: application/x-tar"};
  if (!req.registry_config_b64.empty()) {
    request.headers.push_back("X-Registry-Config: " + req.registry_config_b64);
  }
  request.body = [&tar](char* out, size_t size) { return tar.Read(out, size); };
  request.on_data = [&](std::string_view bytes) {
    decoder.Feed(bytes, handle);
    return !callback_error.has_value();
  };
  request.connect_timeout_seconds =
      req.timeout_seconds.value_or(static_cast<int>(timeout_));
  request.cancel = req.cancel;
  HttpResponse response = Perform(endpoint_, request);

  if (!tar.error().empty()) {
    return fail({"engine: POST /build: " + tar.error(), false});
  }
  if (callback_error) {
    return fail(
        {"engine: POST /build: output callback failed: " + *callback_error,
         false});
  }
  if (auto err = Failure("POST /build", response)) {
    result.cancelled = response.cancelled;
    return fail(*err);
  }
  if (stream_error) return fail({*stream_error, false});
  if (decoder.error()) {
    return fail({"engine: POST /build: " + *decoder.error(), false});
  }
  if (decoder.pending()) {
    return fail(
        {"engine: POST /build: the output ended inside a message", true});
  }
  if (image_id.empty()) {
    return fail({"engine: POST /build: the output names no image id", false});
  }

  // The classic builder only prints a short id; ask for the full one.
  if (image_id.rfind("sha256:", 0) != 0) {
    std::optional<EngineError> err;
    std::optional<ImageInfo> info = InspectImage(image_id, &err);
    if (!info) {
      return fail(err.value_or(EngineError{
          "engine: image '" + image_id + "' vanished after its build", false}));
    }
    image_id = info->id;
  }
  result.ok = true;
  result.image_id = image_id;
  return result;
}

std::optional<ImageInfo> DockerClient::InspectImage(
    const std::string& name, std::optional<EngineError>* err) {
  auto fail = [err](EngineError e) -> std::optional<ImageInfo> {
    if (err) *err = std::move(e);
    return std::nullopt;
  };
  std::string prefix;
  if (auto e = ApiPrefix(&prefix)) return fail(*e);
  HttpRequest request;
  request.target = prefix + "/images/" + name + "/json";
  request.connect_timeout_seconds = timeout_;
  request.timeout_seconds = timeout_;
  HttpResponse response = Perform(endpoint_, request);
  if (response.status == 404 && !response.failure) return std::nullopt;
  std::string what = "GET /images/" + name + "/json";
  if (auto e = Failure(what, response)) return fail(*e);

  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("Id") || !body["Id"].is_string()) {
    return fail({"engine: " + what + ": no 'Id' in the answer", false});
  }
  ImageInfo info;
  info.id = body["Id"].get<std::string>();
  if (body.contains("Config") && body["Config"].is_object()) {
    const json& labels = body["Config"].value("Labels", json());
    if (labels.is_object()) {
      for (const auto& [key, value] : labels.items()) {
        if (value.is_string()) info.labels[key] = value.get<std::string>();
      }
    }
  }
  return info;
}

std::optional<EngineError> DockerClient::Push(
    const std::string& repo, const std::string& tag,
    const std::string& registry_auth_b64, const StreamCallback& on_msg) {
  std::string prefix;
  if (auto err = ApiPrefix(&prefix)) return err;
  std::string what = "POST /images/" + repo + "/push";

  JsonStreamDecoder decoder;
  std::optional<std::string> stream_error;
  std::optional<std::string> callback_error;
  StreamCallback handle = [&](const json& msg) {
    if (auto text = StreamError(msg); text && !stream_error) {
      stream_error = text;
    }
    if (!on_msg || callback_error) return;
    try {
      on_msg(msg);
    } catch (const std::exception& e) {
      callback_error = e.what();
    } catch (...) {
      callback_error = "unknown exception";
    }
  };

  HttpRequest request;
  request.method = "POST";
  request.target = prefix + "/images/" + repo + "/push";
  if (!tag.empty()) request.target += "?tag=" + UrlEscape(tag);
  // B037: always present; daemons >= 28.3.3 drop an anonymous push without.
  request.headers = {"X-Registry-Auth: " +
                     (registry_auth_b64.empty()
                          ? std::string(kAnonymousRegistryAuth)
                          : registry_auth_b64)};
  request.on_data = [&](std::string_view bytes) {
    decoder.Feed(bytes, handle);
    return !callback_error.has_value();
  };
  request.connect_timeout_seconds = timeout_;
  request.idle_timeout_seconds = timeout_;
  HttpResponse response = Perform(endpoint_, request);

  if (callback_error) {
    return EngineError{
        "engine: " + what + ": output callback failed: " + *callback_error,
        false};
  }
  if (auto err = Failure(what, response)) return err;
  if (stream_error)
    return EngineError{"engine: " + what + ": " + *stream_error, false};
  if (decoder.error()) {
    return EngineError{"engine: " + what + ": " + *decoder.error(), false};
  }
  if (decoder.pending()) {
    return EngineError{
        "engine: " + what + ": the output ended inside a message", true};
  }
  return std::nullopt;
}

}  // namespace

std::string MinApiVersion(const std::string& a, const std::string& b) {
  return ParseVersion(a) < ParseVersion(b) ? a : b;
}

std::unique_ptr<EngineClient> MakeDockerClient(const std::string& host,
                                               int timeout_seconds) {
  Endpoint endpoint;
  std::optional<std::string> err = ParseDockerHost(host, &endpoint);
  return std::make_unique<DockerClient>(std::move(endpoint), timeout_seconds,
                                        std::move(err));
}

std::unique_ptr<EngineClient> MakePodmanClient(const std::string& base_url,
                                               int timeout_seconds) {
  if (!base_url.empty()) return MakeDockerClient(base_url, timeout_seconds);
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string socket = geteuid() != 0 && runtime && *runtime
                           ? std::string(runtime) + "/podman/podman.sock"
                           : "/run/podman/podman.sock";
  return MakeDockerClient("unix://" + socket, timeout_seconds);
}

std::vector<std::string> DefaultCliPluginDirs() {
  std::vector<std::string> dirs;
  if (const char* config = std::getenv("DOCKER_CONFIG"); config && *config) {
    dirs.push_back(std::string(config) + "/cli-plugins");
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dirs.push_back(std::string(home) + "/.docker/cli-plugins");
  }
  for (const char* base :
       {"/usr/local/lib", "/usr/local/libexec", "/usr/lib", "/usr/libexec"}) {
    dirs.push_back(std::string(base) + "/docker/cli-plugins");
  }
  return dirs;
}

bool HasBuildxPlugin(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::string path = dir + "/docker-buildx";
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(path.c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace kb::engine
