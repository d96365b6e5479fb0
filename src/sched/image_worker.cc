#include "sched/image_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "util/sha256.h"
#include "util/strings.h"

extern char** environ;

namespace fs = std::filesystem;

namespace kb::sched {

using graph::Image;
using graph::ImageStatus;
using report::Level;

namespace {

sources::Source ToSource(const graph::SourceSpec& s) {
  sources::Source out;
  out.name = s.name;
  out.type = s.type;
  out.location = s.location;
  out.reference = s.reference;
  out.sha256 = s.sha256;
  out.enabled = s.enabled;
  return out;
}

// Each field is length-prefixed so that no two inputs hash alike.
class FieldHash {
 public:
  void Field(std::string_view s) {
    uint64_t n = s.size();
    sha_.Update(&n, sizeof n);
    sha_.Update(s);
  }
  void Raw(const void* p, size_t n) { sha_.Update(p, n); }
  std::string Hex() { return sha_.Hex(); }

 private:
  util::Sha256 sha_;
};

}  // namespace

std::string ContextDigest(
    const std::string& dir,
    const std::vector<std::pair<std::string, std::string>>& buildargs,
    const std::vector<std::pair<std::string, std::string>>& labels,
    const std::vector<std::string>& volatile_labels,
    const std::string& parent_digest) {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return "";
    entries.push_back(it->path().lexically_relative(dir));
  }
  std::sort(entries.begin(), entries.end());
  FieldHash h;
  h.Field("kolla-build digest v1");
  h.Field(parent_digest);
  for (const fs::path& rel : entries) {
    std::string full = dir + "/" + rel.string();
    struct stat st;
    if (lstat(full.c_str(), &st) != 0) return "";
    h.Field(rel.string());
    uint32_t mode = st.st_mode;
    h.Raw(&mode, sizeof mode);
    if (S_ISLNK(st.st_mode)) {
      h.Field(fs::read_symlink(full, ec).string());
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(full, std::ios::binary);
      char buf[1 << 16];
      uint64_t size = st.st_size;
      h.Raw(&size, sizeof size);
      while (in.read(buf, sizeof buf) || in.gcount() > 0)
        h.Raw(buf, static_cast<size_t>(in.gcount()));
    }
  }
  auto sorted = [](auto v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const auto& [k, v] : sorted(buildargs)) {
    h.Field(k);
    h.Field(v);
  }
  for (const auto& [k, v] : sorted(labels)) {
    if (std::find(volatile_labels.begin(), volatile_labels.end(), k) !=
        volatile_labels.end())
      continue;
    h.Field(k);
    h.Field(v);
  }
  return "sha256:" + h.Hex();
}

int RunCommand(const std::vector<std::string>& argv,
               const std::function<void(const std::string&)>& line) {
  if (argv.empty()) return -1;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  // Other threads' sockets (engine, downloads) may lack O_CLOEXEC: a child
  // holding one would keep that connection open past its owner's close.
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  // The run blocks SIGINT in every thread for its watcher; the child must
  // not inherit that, or Ctrl-C would never reach it.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  std::string pending;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    pending.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      line(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
  }
  if (!pending.empty()) line(pending);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

ImageWorker::ImageWorker(engine::EngineClient* engine,
                         report::Reporter* reporter, WorkerSettings settings)
    : engine_(engine), reporter_(reporter), settings_(std::move(settings)) {}

std::string ImageWorker::DigestOf(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = digests_.find(name);
  return it == digests_.end() ? "" : it->second;
}

std::string ImageWorker::ParentDigest(const Image& img) {
  std::string out;
  std::vector<const Image*> parents;
  if (img.parent) parents.push_back(img.parent);
  parents.insert(parents.end(), img.extra_parents.begin(),
                 img.extra_parents.end());
  for (const Image* p : parents) {
    std::string d = DigestOf(p->name);
    if (d.empty()) {
      // Not built in this run (skipped): what the engine holds stands in.
      std::optional<engine::EngineError> err;
      auto info = engine_->InspectImage(p->canonical_name, &err);
      if (info) d = info->id;
    }
    out += p->name + "=" + d + ";";
  }
  if (!img.parent && !img.parent_name.empty()) {
    // A root: the base image it is built FROM decides it too.
    std::optional<engine::EngineError> err;
    auto info = engine_->InspectImage(img.parent_name, &err);
    out += img.parent_name + "=" + (info ? info->id : std::string()) + ";";
  }
  return out;
}

std::optional<std::string> ImageWorker::PrepareContext(Image& img) {
  if (img.source && img.source->enabled) {
    reporter_->Event(Level::kInfo, img.name,
                     "fetching " + img.source->type + " source '" +
                         img.source->name + "'");
    sources::FetchResult r = sources::Fetch(
        ToSource(*img.source), img.path, img.source->name + "-archive",
        settings_.fetch);
    for (const auto& line : r.log) reporter_->Output(img.name, line);
    if (!r.ok) return r.error;
  }
  for (auto [kind, specs] :
       {std::pair{"plugins", &img.plugins}, {"additions", &img.additions}}) {
    std::vector<sources::Source> srcs;
    for (const auto& s : *specs)
      if (s.enabled) srcs.push_back(ToSource(s));
    sources::FetchResult r =
        sources::MakeMergedArchive(srcs, img.path, kind, settings_.fetch);
    for (const auto& line : r.log) reporter_->Output(img.name, line);
    if (!r.ok) return r.error;
  }
  return std::nullopt;
}

Outcome ImageWorker::Build(Image& img, int attempt) {
  if (auto err = PrepareContext(img)) return {ImageStatus::kError, *err};

  std::vector<std::pair<std::string, std::string>> labels = settings_.labels;
  labels.emplace_back("org.opencontainers.image.title", img.name);
  labels.emplace_back("org.opencontainers.image.description",
                      "OpenStack Kolla " + img.name + " image");
  std::string digest =
      ContextDigest(img.path, settings_.buildargs, labels,
                    settings_.volatile_labels, ParentDigest(img));
  {
    std::lock_guard<std::mutex> lock(mu_);
    digests_[img.name] = digest;
  }

  if (settings_.reuse_unchanged && !settings_.nocache && !digest.empty()) {
    std::optional<engine::EngineError> err;
    auto info = engine_->InspectImage(img.canonical_name, &err);
    if (err && err->connection)
      return {ImageStatus::kConnectionError, err->message};
    if (info) {
      auto it = info->labels.find(kDigestLabel);
      if (it != info->labels.end() && it->second == digest)
        return {ImageStatus::kUnchanged, "digest " + digest.substr(7, 12)};
    }
  }
  labels.emplace_back(kDigestLabel, digest);
  if (attempt == 1) reporter_->Event(Level::kInfo, img.name, "building");

  engine::BuildRequest req;
  req.context_dir = img.path;
  req.tag = img.canonical_name;
  req.nocache = settings_.nocache;
  req.rm = true;
  req.forcerm = settings_.forcerm;
  // PARITY(kolla): pull the latest base only for images with no parent.
  req.pull = settings_.pull && img.parent == nullptr;
  req.network_mode = settings_.network_mode;
  req.platform = settings_.platform;
  req.buildargs = settings_.buildargs;
  req.labels = labels;
  req.timeout_seconds = settings_.timeout_seconds;
  req.cancel = settings_.cancel;

  std::string pending;  // a stream chunk may end mid-line
  engine::BuildResult res = engine_->Build(req, [&](const nlohmann::json& m) {
    auto s = m.find("stream");
    if (s != m.end() && s->is_string()) {
      pending += s->get<std::string>();
      size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        if (nl > 0) reporter_->Output(img.name, pending.substr(0, nl));
        pending.erase(0, nl + 1);
      }
    }
    auto e = m.find("errorDetail");
    if (e != m.end()) {
      std::string msg = e->value("message", m.value("error", ""));
      for (const auto& line : util::Split(msg, "\n"))
        if (!line.empty()) reporter_->Output(img.name, "ERROR: " + line);
    }
  });
  if (!pending.empty()) reporter_->Output(img.name, pending);
  if (res.ok && settings_.squash) {
    if (auto err = Squash(img)) return {ImageStatus::kError, *err};
  }
  if (res.ok) return {ImageStatus::kBuilt, ""};
  return {res.connection_error ? ImageStatus::kConnectionError
                               : ImageStatus::kError,
          res.error.empty() ? "build failed" : res.error};
}

std::optional<std::string> ImageWorker::Squash(const Image& img) {
  std::vector<std::string> argv = {settings_.squash_command, "--tag",
                                   img.canonical_name, img.canonical_name};
  if (settings_.squash_cleanup) argv.push_back("--cleanup");
  // PARITY(kolla): the layers above the parent's last one are squashed.
  if (!img.parent_name.empty()) {
    std::optional<engine::EngineError> err;
    auto info = engine_->InspectImage(img.parent_name, &err);
    if (!info) {
      return "cannot squash: parent image '" + img.parent_name +
             "' not found" + (err ? ": " + err->message : std::string());
    }
    argv.push_back("--from-layer");
    argv.push_back(info->id);
  }
  if (settings_.squash_tmp_dir) {
    argv.push_back("--tmp-dir");
    argv.push_back(*settings_.squash_tmp_dir);
  }
  reporter_->Event(Level::kInfo, img.name, "squashing");
  int rc = RunCommand(
      argv, [&](const std::string& l) { reporter_->Output(img.name, l); });
  if (rc == -1)
    return "cannot run '" + settings_.squash_command + "' to squash";
  if (rc != 0) {
    return "squashing failed: '" + settings_.squash_command +
           "' exited with status " + std::to_string(rc);
  }
  return std::nullopt;
}

Outcome ImageWorker::Push(Image& img, int attempt) {
  auto [repo, tag] = engine::SplitRepoTag(img.canonical_name);
  std::optional<engine::EngineError> err = engine_->Push(
      repo, tag, settings_.registry_auth, [&](const nlohmann::json& m) {
        auto s = m.find("status");
        if (s != m.end() && s->is_string()) {
          std::string line = s->get<std::string>();
          if (m.contains("id") && m["id"].is_string())
            line = m["id"].get<std::string>() + ": " + line;
          reporter_->Output(img.name, line);
        }
      });
  if (!err) return {ImageStatus::kBuilt, ""};
  return {err->connection ? ImageStatus::kConnectionError
                          : ImageStatus::kPushError,
          err->message};
}

}  // namespace kb::sched
