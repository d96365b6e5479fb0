#include "graph/tree_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;

namespace kb::graph {

namespace {

constexpr int kMaxDepth = 64;  // a link loop ends here instead of forever

std::string Walk(const fs::path& root, const fs::path& dir,
                 const std::string& rel, int depth,
                 std::map<std::string, std::string>* files,
                 std::set<std::string>* dirs) {
  if (depth > kMaxDepth)
    return "folder '" + dir.string() + "' is nested too deep (a link loop?)";
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    std::string r = rel.empty() ? name : rel + "/" + name;
    fs::file_status st = e.status(ec);  // follows links
    if (ec) return "cannot read '" + e.path().string() + "': " + ec.message();
    if (fs::is_directory(st)) {
      dirs->insert(r);
      files->erase(r);
      if (std::string err = Walk(root, e.path(), r, depth + 1, files, dirs);
          !err.empty())
        return err;
    } else if (fs::is_regular_file(st)) {
      (*files)[r] = e.path().string();
    }
  }
  if (ec) return "cannot read '" + dir.string() + "': " + ec.message();
  return "";
}

// Copies one file's bytes and permission bits; a link source is read
// through.
std::string CopyFile(const std::string& src, const std::string& dst) {
  int in = open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return "cannot read '" + src + "': " + std::strerror(errno);
  struct stat st;
  fstat(in, &st);
  int out = open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                 st.st_mode & 07777);
  if (out < 0) {
    std::string e = std::strerror(errno);
    close(in);
    return "cannot write '" + dst + "': " + e;
  }
  std::string err;
  off_t left = st.st_size;
  while (left > 0) {
    ssize_t n = copy_file_range(in, nullptr, out, nullptr, left, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Not supported across these file systems: fall back to read/write.
      char buf[1 << 16];
      ssize_t r;
      while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, r) != r) {
          err = "cannot write '" + dst + "': " + std::strerror(errno);
          break;
        }
      break;
    }
    left -= n;
  }
  fchmod(out, st.st_mode & 07777);
  close(in);
  if (close(out) != 0 && err.empty())
    err = "cannot write '" + dst + "': " + std::strerror(errno);
  return err;
}

std::string WriteFile(const std::string& dst, const std::string& data) {
  int out = open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) return "cannot write '" + dst + "': " + std::strerror(errno);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(out, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string e = std::strerror(errno);
      close(out);
      return "cannot write '" + dst + "': " + e;
    }
    off += static_cast<size_t>(n);
  }
  if (close(out) != 0) return "cannot write '" + dst + "': " + std::strerror(errno);
  return "";
}

bool Below(const std::string& rel, const std::set<std::string>& skip) {
  // Is `rel` one of the skipped folders or inside one? Each ancestor is
  // looked up: "a/b-c" sorts between "a/b" and "a/b/x", so a neighbour
  // search would miss.
  if (skip.empty()) return false;
  for (size_t slash = rel.size(); slash != std::string::npos;
       slash = slash == 0 ? std::string::npos : rel.rfind('/', slash - 1)) {
    if (skip.count(rel.substr(0, slash))) return true;
    if (slash == 0) break;
  }
  return false;
}

}  // namespace

std::optional<TreeIndex> TreeIndex::Build(const std::vector<std::string>& layers,
                                          std::string* err) {
  std::map<std::string, std::string> files;
  std::set<std::string> dirs;
  for (const std::string& layer : layers) {
    std::error_code ec;
    if (!fs::is_directory(layer, ec)) {
      *err = "folder '" + layer + "' does not exist";
      return std::nullopt;
    }
    if (std::string e = Walk(layer, layer, "", 0, &files, &dirs); !e.empty()) {
      *err = e;
      return std::nullopt;
    }
  }
  TreeIndex idx;
  for (const std::string& d : dirs) idx.entries_[d] = {"", true};
  for (auto& [rel, src] : files) idx.entries_[rel] = {src, false};
  return idx;
}

void TreeIndex::AddFile(const std::string& rel, const std::string& src) {
  entries_[rel] = {src, false};
}

std::vector<std::string> TreeIndex::ImageFolders() const {
  std::vector<std::string> out;
  const std::string leaf = "/Dockerfile.j2";
  for (const auto& [rel, e] : entries_) {
    if (e.is_dir) continue;
    if (rel == "Dockerfile.j2") continue;  // the root is no image
    if (rel.size() > leaf.size() &&
        rel.compare(rel.size() - leaf.size(), leaf.size(), leaf) == 0)
      out.push_back(rel.substr(0, rel.size() - leaf.size()));
  }
  return out;  // sorted: the map is
}

std::string TreeIndex::Materialize(
    const std::string& dest, const std::set<std::string>& skip,
    const std::map<std::string, std::string>& generated,
    const std::set<std::string>& omit, int threads) const {
  std::error_code ec;
  fs::create_directories(dest, ec);
  if (ec) return "cannot create '" + dest + "': " + ec.message();

  // Every step is a few system calls that mostly wait on the file system,
  // so many run at once: the folders level by level (parents first), then
  // the files, which are independent of each other.
  std::vector<std::vector<std::string>> levels;
  std::vector<std::pair<std::string, const std::string*>> copies;
  for (const auto& [rel, e] : entries_) {
    if (Below(rel, skip)) continue;
    if (e.is_dir) {
      size_t depth = std::count(rel.begin(), rel.end(), '/');
      if (levels.size() <= depth) levels.resize(depth + 1);
      levels[depth].push_back(rel);
    } else if (!generated.count(rel) && !omit.count(rel)) {
      copies.emplace_back(rel, &e.src);
    }
  }
  std::vector<std::pair<std::string, const std::string*>> writes;
  for (const auto& [rel, data] : generated)
    if (!Below(rel, skip)) writes.emplace_back(rel, &data);

  std::mutex mu;
  std::string first_error;
  auto parallel = [&](size_t total, const std::function<std::string(size_t)>& fn) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next++) < total;) {
        std::string e = fn(i);
        if (e.empty()) continue;
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.empty()) first_error = e;
      }
    };
    std::vector<std::thread> pool;
    size_t n = std::min<size_t>(std::max(1, threads), total);
    for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  };
  for (const auto& level : levels) {
    parallel(level.size(), [&](size_t i) -> std::string {
      std::string path = dest + "/" + level[i];
      if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
        return "cannot create '" + path + "': " + std::strerror(errno);
      return "";
    });
    if (!first_error.empty()) return first_error;
  }
  parallel(copies.size() + writes.size(), [&](size_t i) {
    if (i < copies.size())
      return CopyFile(*copies[i].second, dest + "/" + copies[i].first);
    auto& w = writes[i - copies.size()];
    return WriteFile(dest + "/" + w.first, *w.second);
  });
  return first_error;
}

}  // namespace kb::graph
