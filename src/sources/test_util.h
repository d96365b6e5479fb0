// Helpers for the kb_sources tests: scratch folders, crafted tar files, a
// small HTTP server on 127.0.0.1 and git repositories made on disk.
#ifndef KB_SOURCES_TEST_UTIL_H_
#define KB_SOURCES_TEST_UTIL_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kb::sources::testing {

/// A folder under /tmp, removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const {
    return path_ + "/" + rel;
  }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
bool Exists(const std::string& path);  // without following a final link
std::string Sha256(const std::string& path);
/// Every path under `root`, relative, sorted; folders end in '/'.
std::vector<std::string> ListTree(const std::string& root);

/// One member of a tar file, as written by MakeTar or read by ReadTar.
struct Member {
  std::string name;
  char type = 'f';  // f file, d folder, l symlink, h hardlink, p fifo, c chr
  std::string data = {};  // content, or link target
  int mode = 0644;
  long uid = 0, gid = 0;
  std::string uname = {};
  std::string gname = {};
  long mtime = 0;
};

/// Writes a pax tar with exactly these members, in this order; `gzip`
/// compresses it.
void MakeTar(const std::string& path, const std::vector<Member>& members,
             bool gzip = false);
std::vector<Member> ReadTar(const std::string& path);
std::vector<std::string> Names(const std::vector<Member>& members);

/// Runs a command (no shell), failing the test if it exits non-zero.
std::string Run(const std::vector<std::string>& argv,
                const std::string& cwd = "");

/// A one-thread HTTP/1.0 server on 127.0.0.1. Each route answers with a
/// fixed status, extra header lines and body; a route with `hang` accepts
/// the request and never answers until the server stops.
class HttpServer {
 public:
  struct Reply {
    int status = 200;
    std::string headers;  // "Name: value\r\n" lines
    std::string body;
    bool hang = false;
    long declared_length = -1;  // Content-Length to claim; -1: the body's
  };
  HttpServer();
  ~HttpServer();
  void Route(const std::string& path, Reply reply);
  std::string Url(const std::string& path) const;
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  void Serve();
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::map<std::string, Reply> routes_;
  std::thread thread_;
};

}  // namespace kb::sources::testing

#endif  // KB_SOURCES_TEST_UTIL_H_
