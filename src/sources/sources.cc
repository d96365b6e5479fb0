#include "sources/sources.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>

#include "sources/internal.h"
#include "util/sha256.h"

namespace kb::sources {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

FetchResult Fail(FetchResult r, const Source& src, const std::string& why) {
  r.ok = false;
  r.archive_path.clear();
  r.error = "source '" + src.name + "': " + why;
  return r;
}

// ---------------------------------------------------------------------------
// url

struct Download {
  int fd = -1;
  util::Sha256* sha = nullptr;
  int write_errno = 0;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* d = static_cast<Download*>(user);
  size_t total = size * nmemb;
  size_t done = 0;
  while (done < total) {
    ssize_t n = write(d->fd, data + done, total - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      d->write_errno = errno;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    done += n;
  }
  d->sha->Update(data, total);
  return total;
}

/// Picks the expected sum for `arch`. Empty string: no check configured.
std::optional<std::string> ExpectedSha(const Source& src,
                                       const std::string& arch,
                                       std::string* error) {
  if (src.sha256.empty()) return std::string();
  for (const auto& [key, sum] : src.sha256) {
    if (key == arch) return sum;
  }
  std::string have;
  for (const auto& kv : src.sha256) {
    have += (have.empty() ? "" : ", ") + kv.first;
  }
  // B033: upstream's KeyError escaped here and left the image 'building'.
  *error = "no sha256 for arch '" + arch + "' (configured for: " + have + ")";
  return std::nullopt;
}

FetchResult FetchUrl(const Source& src, const std::string& out,
                     const FetchOptions& opts, FetchResult r) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  std::string why;
  std::optional<std::string> expected =
      ExpectedSha(src, opts.debian_arch, &why);
  if (!expected) return Fail(std::move(r), src, why);

  r.log.push_back("getting archive from " + src.location);
  TempFile tmp;
  if (auto err = tmp.Create(out)) return Fail(std::move(r), src, *err);

  util::Sha256 sha;
  Download d{tmp.fd(), &sha, 0};

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           &curl_easy_cleanup);
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, src.location.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 30L);  // as requests
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // PARITY(kolla): requests' timeout bounds the connection and each wait
  // for data, not the whole transfer; a big archive may take longer.
  long timeout = std::max(1, opts.timeout_seconds);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, timeout);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "kolla-build");

  CURLcode rc = curl_easy_perform(c);
  std::string where = "cannot download '" + src.location + "': ";
  if (rc != CURLE_OK) {
    std::string msg = d.write_errno ? std::strerror(d.write_errno)
                      : *errbuf     ? errbuf
                                    : curl_easy_strerror(rc);
    return Fail(std::move(r), src, where + msg);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return Fail(std::move(r), src,
                where + "status code " + std::to_string(status));
  }

  std::string computed = sha.Hex();
  if (!expected->empty() && Lower(*expected) != computed) {
    // PARITY(kolla): both sums are reported.
    return Fail(std::move(r), src,
                "sha256 checksum does not match (configured: " + *expected +
                    ", computed: " + computed + ")");
  }
  if (auto err = tmp.Commit(true)) return Fail(std::move(r), src, *err);
  r.ok = true;
  r.archive_path = out;
  return r;
}

// ---------------------------------------------------------------------------
// git

std::string LastLine(const std::string& text) {
  std::string s = text;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

/// The line of git's output that says what went wrong: its first "fatal:"
/// or "error:" line (advice follows it), else its last line.
std::string GitMessage(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.rfind("fatal: ", 0) == 0 || line.rfind("error: ", 0) == 0) {
      return line;
    }
    start = end + 1;
  }
  return LastLine(text);
}

/// Removes a scratch folder when it goes out of scope.
struct ScratchDir {
  std::string path;
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

FetchResult FetchGit(const Source& src, const std::string& dest_dir,
                     const std::string& archive_name, const FetchOptions& opts,
                     FetchResult r) {
  if (!src.reference || src.reference->empty()) {
    return Fail(std::move(r), src, "git source has no 'reference'");
  }
  const std::string& ref = *src.reference;
  std::string clone_name = archive_name + "-" + ref;
  std::replace(clone_name.begin(), clone_name.end(), '/', '-');

  // A fresh folder per clone: no stale clone to remove (upstream rmtree),
  // and no clash between images cloning at once.
  ScratchDir scratch;
  std::string parent = opts.work_dir.empty() ? dest_dir : opts.work_dir;
  std::string pattern = parent + "/.kb-clone-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    return Fail(
        std::move(r), src,
        "cannot create a folder in '" + parent + "': " + std::strerror(errno));
  }
  scratch.path = pattern;
  std::string clone_dir = scratch.path + "/" + clone_name;
  int timeout = std::max(1, opts.timeout_seconds);

  auto git = [&](std::vector<std::string> args, const std::string& what,
                 std::string* out) -> std::optional<std::string> {
    args.insert(args.begin(), {"git", "-c", "advice.detachedHead=false"});
    CommandResult c = RunCommand(args, "", timeout);
    if (out) *out = c.output;
    if (c.timed_out) {
      return what + ": timed out after " + std::to_string(timeout) + "s";
    }
    if (c.exit_code != 0) {
      std::string last = GitMessage(c.output);
      return what + (last.empty() ? "" : ": " + last);
    }
    return std::nullopt;
  };

  r.log.push_back("cloning from " + src.location);
  std::string out;
  if (auto err = git({"clone", "--quiet", "--", src.location, clone_dir},
                     "cannot clone '" + src.location + "'", nullptr)) {
    return Fail(std::move(r), src, *err);
  }

  // The reference must name a commit: a local name (tag, sha, default
  // branch) or a branch of origin. Checked first because `git checkout x`
  // also accepts a file name and would then succeed doing the wrong thing.
  bool found = false;
  for (std::string candidate : {ref, "refs/remotes/origin/" + ref}) {
    if (!git({"-C", clone_dir, "rev-parse", "--verify", "--quiet",
              candidate + "^{commit}"},
             "", nullptr)) {
      found = true;
      break;
    }
  }
  if (!found) {
    return Fail(
        std::move(r), src,
        "git reference '" + ref + "' not found in '" + src.location + "'");
  }
  if (auto err = git({"-C", clone_dir, "checkout", "--quiet", ref, "--"},
                     "cannot check out '" + ref + "'", nullptr)) {
    return Fail(std::move(r), src, *err);
  }
  if (auto err = git({"-C", clone_dir, "rev-parse", "HEAD"}, "cannot read HEAD",
                     &out)) {
    return Fail(std::move(r), src, *err);
  }
  r.log.push_back("git checkout by reference " + ref + " (" + LastLine(out) +
                  ")");
  // The image gets the checkout with its history (PBR reads it) but not
  // the address it came from.
  if (auto err = git({"-C", clone_dir, "remote", "remove", "origin"},
                     "cannot remove remote 'origin'", nullptr)) {
    return Fail(std::move(r), src, *err);
  }

  std::string archive = dest_dir + "/" + archive_name;
  if (auto err = WriteTreeArchive(clone_dir, clone_name, archive)) {
    return Fail(std::move(r), src, *err);
  }
  r.ok = true;
  r.archive_path = archive;
  return r;
}

// ---------------------------------------------------------------------------
// local

FetchResult FetchLocal(const Source& src, const std::string& out,
                       FetchResult r) {
  r.log.push_back("getting local archive from " + src.location);
  struct stat st;
  if (stat(src.location.c_str(), &st) != 0) {
    return Fail(std::move(r), src,
                "cannot read local source '" + src.location +
                    "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    std::string base = src.location;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    base = fs::path(base).filename().string();
    if (auto err = WriteTreeArchive(src.location, base, out)) {
      return Fail(std::move(r), src, *err);
    }
  } else {
    TempFile tmp;
    if (auto err = tmp.Create(out)) return Fail(std::move(r), src, *err);
    int in = open(src.location.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      return Fail(std::move(r), src,
                  "cannot read local source '" + src.location +
                      "': " + std::strerror(errno));
    }
    char buf[1 << 16];
    ssize_t n;
    std::optional<std::string> err;
    while ((n = read(in, buf, sizeof buf)) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || write(tmp.fd(), buf, n) != n) {
        err = "cannot copy '" + src.location + "': " + std::strerror(errno);
        break;
      }
    }
    close(in);
    if (!err) err = tmp.Commit(true);
    if (err) return Fail(std::move(r), src, *err);
  }
  r.ok = true;
  r.archive_path = out;
  return r;
}

}  // namespace

FetchResult Fetch(const Source& src, const std::string& dest_dir,
                  const std::string& archive_name, const FetchOptions& opts) {
  FetchResult r;
  if (!src.enabled) {
    r.ok = true;
    r.log.push_back("skipping disabled source " + src.name);
    return r;
  }
  std::string out = dest_dir + "/" + archive_name;
  if (src.type == "url") return FetchUrl(src, out, opts, std::move(r));
  if (src.type == "git") {
    return FetchGit(src, dest_dir, archive_name, opts, std::move(r));
  }
  if (src.type == "local") return FetchLocal(src, out, std::move(r));
  return Fail(std::move(r), src, "wrong source type '" + src.type + "'");
}

FetchResult MakeMergedArchive(const std::vector<Source>& srcs,
                              const std::string& dest_dir,
                              const std::string& kind,
                              const FetchOptions& opts) {
  FetchResult r;
  std::string items = dest_dir + "/" + kind;
  std::vector<std::pair<const Source*, std::string>> archives;
  for (const Source& src : srcs) {
    FetchResult one = Fetch(src, dest_dir, src.name + "-archive", opts);
    r.log.insert(r.log.end(), one.log.begin(), one.log.end());
    if (!one.ok) {
      r.error = one.error;
      return r;
    }
    if (!one.archive_path.empty())
      archives.emplace_back(&src, one.archive_path);
  }

  std::error_code ec;
  fs::create_directories(items, ec);
  if (ec) {
    r.error = "cannot create '" + items + "': " + ec.message();
    return r;
  }
  for (const auto& [src, path] : archives) {
    if (auto err = SafeExtract(path, items)) {
      r.error = "source '" + src->name + "': " + *err;
      return r;
    }
  }

  std::string arc = dest_dir + "/" + kind + "-archive";
  if (auto err = WriteTreeArchive(items, kind, arc)) {
    r.error = *err;
    return r;
  }
  size_t count = 0;
  for (fs::directory_iterator it(items, ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  // PARITY(kolla): the count is of entries in the merged folder.
  r.log.push_back("turned " + std::to_string(count) + " " + kind + " into " +
                  kind + " archive");
  r.ok = true;
  r.archive_path = arc;
  return r;
}

}  // namespace kb::sources
