#include "sources/test_util.h"

#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sources/internal.h"
#include "util/sha256.h"

namespace kb::sources::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = "/tmp/kb-sources-test-XXXXXX";
  if (!mkdtemp(pattern.data())) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Read-only folders from extracted archives must not block the cleanup.
  for (fs::recursive_directory_iterator it(path_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add,
                      ec);
    }
  }
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::string Sha256(const std::string& path) {
  return util::FileSha256(path).value_or("unreadable");
}

std::vector<std::string> ListTree(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string rel = it->path().lexically_relative(root).string();
    if (fs::is_directory(it->symlink_status(ec))) rel += "/";
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void MakeTar(const std::string& path, const std::vector<Member>& members,
             bool gzip) {
  ScopedUtf8Locale utf8;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) {
    archive_write_add_filter_gzip(a);
  } else {
    archive_write_add_filter_none(a);
  }
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_perm(e, m.mode);
    archive_entry_set_uid(e, m.uid);
    archive_entry_set_gid(e, m.gid);
    archive_entry_set_mtime(e, m.mtime, 0);
    switch (m.type) {
      case 'f':
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, m.data.size());
        break;
      case 'd':
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
      case 'l':
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, m.data.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, m.data.c_str());
        break;
      case 'p':
        archive_entry_set_filetype(e, AE_IFIFO);
        break;
      case 'c':
        archive_entry_set_filetype(e, AE_IFCHR);
        archive_entry_set_rdev(e, makedev(1, 3));
        break;
    }
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK)
        << archive_error_string(a);
    if (m.type == 'f') archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::vector<Member> ReadTar(const std::string& path) {
  std::vector<Member> out;
  ScopedUtf8Locale utf8;
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 10240), ARCHIVE_OK)
      << path;
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Member m;
    m.name = archive_entry_pathname(e) ? archive_entry_pathname(e)
                                       : archive_entry_pathname_utf8(e);
    m.mode = archive_entry_perm(e);
    m.uid = archive_entry_uid(e);
    m.gid = archive_entry_gid(e);
    m.uname = archive_entry_uname(e) ? archive_entry_uname(e) : "";
    m.gname = archive_entry_gname(e) ? archive_entry_gname(e) : "";
    m.mtime = archive_entry_mtime(e);
    if (archive_entry_hardlink(e)) {
      m.type = 'h';
      m.data = archive_entry_hardlink(e);
    } else {
      switch (archive_entry_filetype(e)) {
        case AE_IFDIR:
          m.type = 'd';
          break;
        case AE_IFLNK:
          m.type = 'l';
          m.data = archive_entry_symlink(e);
          break;
        case AE_IFIFO:
          m.type = 'p';
          break;
        case AE_IFREG:
          m.type = 'f';
          break;
        default:
          m.type = '?';
      }
    }
    if (m.type == 'f') {
      char buf[8192];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0) {
        m.data.append(buf, n);
      }
    }
    out.push_back(m);
  }
  archive_read_free(a);
  return out;
}

std::vector<std::string> Names(const std::vector<Member>& members) {
  std::vector<std::string> names;
  for (const Member& m : members) names.push_back(m.name);
  return names;
}

std::string Run(const std::vector<std::string>& argv, const std::string& cwd) {
  CommandResult r = RunCommand(argv, cwd, 60);
  std::string cmd;
  for (const auto& a : argv) cmd += a + " ";
  EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.output;
  return r.output;
}

HttpServer::HttpServer() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 16) != 0) {
    std::abort();
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

HttpServer::~HttpServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void HttpServer::Route(const std::string& path, Reply reply) {
  std::lock_guard<std::mutex> lock(mu_);
  routes_[path] = std::move(reply);
}

std::string HttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpServer::Serve() {
  // Every wait is bounded by 100 ms, so the destructor's stop flag is seen
  // quickly even while a client is connected or a route hangs.
  while (!stop_) {
    pollfd p = {listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    int c = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::string req;
    char buf[4096];
    while (!stop_ && req.find("\r\n\r\n") == std::string::npos) {
      pollfd q = {c, POLLIN, 0};
      if (poll(&q, 1, 100) <= 0) continue;
      ssize_t n = read(c, buf, sizeof buf);
      if (n <= 0) break;
      req.append(buf, n);
    }
    ++requests_;
    std::string path;
    size_t sp = req.find(' ');
    if (sp != std::string::npos) {
      path = req.substr(sp + 1, req.find(' ', sp + 1) - sp - 1);
    }
    Reply reply{404, "", "not found\n"};
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = routes_.find(path);
      if (it != routes_.end()) reply = it->second;
    }
    while (reply.hang && !stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    long length = reply.declared_length >= 0
                      ? reply.declared_length
                      : static_cast<long>(reply.body.size());
    std::string resp = "HTTP/1.0 " + std::to_string(reply.status) +
                       " X\r\nContent-Length: " + std::to_string(length) +
                       "\r\n" + reply.headers + "Connection: close\r\n\r\n" +
                       reply.body;
    size_t done = 0;
    while (!reply.hang && done < resp.size()) {
      ssize_t n = send(c, resp.data() + done, resp.size() - done, MSG_NOSIGNAL);
      if (n <= 0) break;
      done += n;
    }
    close(c);
  }
}

}  // namespace kb::sources::testing
