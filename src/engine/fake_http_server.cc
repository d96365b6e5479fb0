#include "engine/fake_http_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace kb::engine {
namespace {

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads from fd into *buf until `pred` holds; false on EOF or error.
template <typename Pred>
bool ReadUntil(int fd, std::string* buf, Pred pred) {
  char chunk[4096];
  while (!pred(*buf)) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

}  // namespace

FakeHttpServer::FakeHttpServer(std::string socket_path, Handler handler)
    : socket_path_(std::move(socket_path)), handler_(std::move(handler)) {
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof addr.sun_path - 1);
  unlink(socket_path_.c_str());
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 8) != 0 || pipe(wake_fd_) != 0) {
    std::perror("fake http server");
    std::abort();
  }
  thread_ = std::thread([this] { Serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  if (write(wake_fd_[1], "x", 1) != 1) std::perror("fake http server");
  thread_.join();
  close(listen_fd_);
  close(wake_fd_[0]);
  close(wake_fd_[1]);
  unlink(socket_path_.c_str());
}

std::vector<FakeRequest> FakeHttpServer::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeHttpServer::Serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    HandleConnection(fd);
    close(fd);
  }
}

void FakeHttpServer::HandleConnection(int fd) {
  // One request per connection: the client opens a new one for each call.
  std::string buf;
  if (!ReadUntil(fd, &buf, [](const std::string& b) {
        return b.find("\r\n\r\n") != std::string::npos;
      })) {
    return;
  }
  size_t head_end = buf.find("\r\n\r\n");
  std::string head = buf.substr(0, head_end);
  std::string rest = buf.substr(head_end + 4);

  FakeRequest request;
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      request.headers[Lower(line.substr(0, colon))] = value;
    }
    pos = end + 2;
  }

  // The body: chunked (the build context) or Content-Length.
  if (Lower(request.headers["transfer-encoding"]) == "chunked") {
    for (;;) {
      if (!ReadUntil(fd, &rest, [](const std::string& b) {
            return b.find("\r\n") != std::string::npos;
          })) {
        return;
      }
      size_t eol = rest.find("\r\n");
      size_t size = std::stoul(rest.substr(0, eol), nullptr, 16);
      rest.erase(0, eol + 2);
      if (!ReadUntil(fd, &rest, [size](const std::string& b) {
            return b.size() >= size + 2;
          })) {
        return;
      }
      request.body += rest.substr(0, size);
      rest.erase(0, size + 2);
      if (size == 0) break;
    }
  } else if (request.headers.count("content-length")) {
    size_t size = std::stoul(request.headers["content-length"]);
    if (!ReadUntil(fd, &rest,
                   [size](const std::string& b) { return b.size() >= size; })) {
      return;
    }
    request.body = rest.substr(0, size);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
  }

  FakeResponse response = handler_(request);
  std::string out = "HTTP/1.1 " + std::to_string(response.status) +
                    " Status\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n";
  if (!WriteAll(fd, out)) return;
  for (size_t i = 0; i < response.chunks.size(); ++i) {
    if (response.drop_after >= 0 &&
        i >= static_cast<size_t>(response.drop_after)) {
      return;
    }
    if (response.before_chunk) response.before_chunk(i);
    const std::string& chunk = response.chunks[i];
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    if (!WriteAll(fd, size + chunk + "\r\n")) return;
  }
  if (response.drop_after >= 0) return;
  WriteAll(fd, "0\r\n\r\n");
}

}  // namespace kb::engine
