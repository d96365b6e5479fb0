// A small libcurl wrapper for the engine's HTTP API over a unix socket or
// TCP. Internal to kb_engine.

#ifndef KB_ENGINE_HTTP_H_
#define KB_ENGINE_HTTP_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::engine {

/// Where the daemon listens.
struct Endpoint {
  std::string unix_socket;  // set for unix://
  std::string base_url;     // "http://localhost" or "http://host:port"
  std::string display;      // as the user wrote it, for messages
  // TLS to a tcp:// daemon (see ParseDockerHost).
  bool tls = false;
  bool tls_verify = false;
  std::string ca_cert, client_cert, client_key;
};

/// Parses a DOCKER_HOST value: "unix:///path" or "tcp://host[:port]"
/// (also http:// and https://). "" means $DOCKER_HOST, else the default
/// socket unix:///var/run/docker.sock, as does a bare "unix://". TLS is on
/// for https:// and, as docker-py's kwargs_from_env decides, when
/// $DOCKER_CERT_PATH is set or $DOCKER_TLS_VERIFY is not empty; the default
/// port is then 2376, else 2375. Returns an error message for any other
/// scheme (ssh://, npipe://) or an empty host.
std::optional<std::string> ParseDockerHost(std::string_view host,
                                           Endpoint* out);

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/v1.41/build?t=x"
  std::vector<std::string> headers;
  /// Produces the request body a piece at a time (chunked upload): fills up
  /// to the given size, returns the count, 0 at the end, -1 to abort.
  std::function<ptrdiff_t(char*, size_t)> body;
  /// Receives the response body of a 1xx-3xx answer as it arrives; false
  /// aborts. When unset, or for a 4xx/5xx answer, the body is collected in
  /// HttpResponse::body instead.
  std::function<bool(std::string_view)> on_data;
  long connect_timeout_seconds = 30;
  long timeout_seconds = 0;       // whole transfer; 0 = none
  long idle_timeout_seconds = 0;  // abort when nothing moves this long
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  /// Set when the transfer failed (no or partial answer): why.
  std::optional<std::string> failure;
  bool connection_failed = false;  // the daemon could not be reached
  bool cancelled = false;          // HttpRequest::cancel was set
  bool aborted = false;            // body or on_data asked to stop
};

/// Performs one request on a fresh easy handle (safe from any thread).
HttpResponse Perform(const Endpoint& endpoint, const HttpRequest& request);

/// Percent-encodes a query parameter value.
std::string UrlEscape(std::string_view text);

}  // namespace kb::engine

#endif  // KB_ENGINE_HTTP_H_
