// A scripted HTTP/1.1 server on a unix socket, for testing the client's
// requests and its handling of odd answers. It proves nothing about a real
// daemon; the e2e tests do that.

#ifndef KB_ENGINE_FAKE_HTTP_SERVER_H_
#define KB_ENGINE_FAKE_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kb::engine {

struct FakeRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;                            // de-chunked
};

/// What the server does for one request: send the status line and headers,
/// then each chunk of `chunks` (chunked encoding), calling `before_chunk`
/// with the chunk index first (to wait or check something). A `drop_after`
/// of N closes the connection after N chunks without finishing.
struct FakeResponse {
  int status = 200;
  std::vector<std::string> chunks;
  std::function<void(size_t)> before_chunk;
  int drop_after = -1;
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  /// Listens on `socket_path` and serves one connection at a time.
  FakeHttpServer(std::string socket_path, Handler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string host() const { return "unix://" + socket_path_; }
  /// Every request received so far.
  std::vector<FakeRequest> requests();

 private:
  void Serve();
  void HandleConnection(int fd);

  std::string socket_path_;
  Handler handler_;
  int listen_fd_ = -1;
  int wake_fd_[2] = {-1, -1};
  std::thread thread_;
  std::mutex mu_;
  std::vector<FakeRequest> requests_;
};

}  // namespace kb::engine

#endif  // KB_ENGINE_FAKE_HTTP_SERVER_H_
