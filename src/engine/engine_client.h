// Client for the Docker Engine API (and Podman's Docker-compatible API).

#ifndef KB_ENGINE_ENGINE_CLIENT_H_
#define KB_ENGINE_ENGINE_CLIENT_H_

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/json_stream.h"
#include "engine/registry_auth.h"

namespace kb::engine {

/// A failed engine call.
struct EngineError {
  /// "engine: POST /build: 500: <daemon message>" or
  /// "engine: cannot connect to unix:///x.sock: <why>".
  std::string message;
  /// True when the daemon could not be reached (or the connection dropped).
  bool connection = false;
};

/// What to build: the parameters of `POST /build`.
struct BuildRequest {
  std::string context_dir;  ///< folder streamed as the build context
  std::string tag;          ///< "t"
  bool nocache = false, rm = true, forcerm = true, pull = false;
  std::optional<std::string> network_mode, platform;
  /// Sent as JSON objects; each is omitted when empty.
  std::vector<std::pair<std::string, std::string>> buildargs;
  std::vector<std::pair<std::string, std::string>> labels;
  /// Bounds connecting to the daemon (the client's timeout when unset).
  /// Nothing bounds the build itself: a RUN step may stay silent for as
  /// long as it needs. PARITY(kolla): docker-py's build() passes
  /// timeout=None, so kolla's --timeout never cuts a build short.
  std::optional<int> timeout_seconds;
  /// Sent as `X-Registry-Config` when not empty: credentials for pulling
  /// FROM images (see RegistryConfigFor()).
  std::string registry_config_b64;
  /// Set to true by another thread to abort the build (second Ctrl-C).
  const std::atomic<bool>* cancel = nullptr;
};

struct BuildResult {
  bool ok = false;
  std::string image_id;  ///< "sha256:..." when ok
  /// The daemon's errorDetail/error text, or the EngineError message; never
  /// empty on failure.
  std::string error;
  bool connection_error = false;
  bool cancelled = false;  ///< BuildRequest::cancel stopped it
};

struct ImageInfo {
  std::string id;
  std::map<std::string, std::string> labels;
};

/// One engine. Every call may come from any thread at once: each uses its
/// own connection.
class EngineClient {
 public:
  virtual ~EngineClient() = default;

  /// GET /version; negotiates the API version (the lower of ours and the
  /// daemon's) used as the /v1.NN prefix of every later call. Calls made
  /// before Ping() negotiate on first use.
  virtual std::optional<EngineError> Ping() = 0;

  /// POST /build with `request.context_dir` streamed as a tar. Calls
  /// `on_msg` with each JSON object of the build output as it arrives.
  /// Fails on an `error` object in the stream, an HTTP error, a lost
  /// connection or cancellation; succeeds only when an image id was seen.
  virtual BuildResult Build(const BuildRequest& request,
                            const StreamCallback& on_msg) = 0;

  /// GET /images/{name}/json. Returns nullopt when the image is absent (404;
  /// `*err` untouched) or on failure (`*err` set, when err is not null).
  virtual std::optional<ImageInfo> InspectImage(
      const std::string& name, std::optional<EngineError>* err) = 0;

  /// POST /images/{repo}/push?tag=... with `X-Registry-Auth` always sent:
  /// `registry_auth_b64`, or kAnonymousRegistryAuth when it is empty (B037).
  /// Calls `on_msg` with each progress object; an `error` object in the
  /// stream fails the push with its text.
  virtual std::optional<EngineError> Push(const std::string& repo,
                                          const std::string& tag,
                                          const std::string& registry_auth_b64,
                                          const StreamCallback& on_msg) = 0;

  /// Whether the `docker buildx` CLI plugin is installed (for the BuildKit
  /// fallback message).
  virtual bool HasBuildx() = 0;
};

/// The highest API version we speak.
inline constexpr std::string_view kMaxApiVersion = "1.45";

/// A client for the daemon at `host`: "unix:///path", "tcp://host:port", or
/// "" for $DOCKER_HOST, else unix:///var/run/docker.sock. `timeout_seconds`
/// bounds connecting, short calls (version, inspect) and idle time during a
/// push (docker-py's read timeout); a build's output is never timed out.
/// An unusable `host` gives a client whose every call fails with that
/// message.
std::unique_ptr<EngineClient> MakeDockerClient(const std::string& host,
                                               int timeout_seconds);

/// `podman system service` speaks the same compatible API, so this is
/// MakeDockerClient with podman's default socket when `base_url` is ""
/// ($XDG_RUNTIME_DIR/podman/podman.sock, or /run/podman/podman.sock for
/// root).
std::unique_ptr<EngineClient> MakePodmanClient(const std::string& base_url,
                                               int timeout_seconds);

/// The folders the docker CLI searches for plugins, in its order:
/// $DOCKER_CONFIG/cli-plugins (or ~/.docker/cli-plugins), then
/// /usr/local/lib, /usr/local/libexec, /usr/lib and /usr/libexec, each with
/// docker/cli-plugins.
std::vector<std::string> DefaultCliPluginDirs();

/// Whether an executable `docker-buildx` exists in one of `dirs`.
bool HasBuildxPlugin(const std::vector<std::string>& dirs);

/// The lower of two "1.NN" API versions.
std::string MinApiVersion(const std::string& a, const std::string& b);

}  // namespace kb::engine

#endif  // KB_ENGINE_ENGINE_CLIENT_H_
