#include "cli/kolla_build.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/conf.h"
#include "engine/engine_client.h"
#include "graph/image_graph.h"
#include "graph/outputs.h"
#include "graph/render.h"
#include "graph/tree_index.h"
#include "graph/workdir.h"
#include "report/console_reporter.h"
#include "report/summary.h"
#include "sched/image_worker.h"
#include "sched/plan.h"
#include "sched/scheduler.h"
#include "util/fs.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace kb::cli {

namespace {

using graph::Image;
using graph::ImageStatus;
using report::Level;

constexpr char kProg[] = "kolla-build";

// One line on stderr, the way every fatal error of the command reads.
int Fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "%s: error: %s\n", kProg, message.c_str());
  return code;
}

std::string Today() {
  std::time_t t = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d", std::gmtime(&t));
  return buf;
}

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Upstream's build_rpm_setup: config entries become Dockerfile lines.
bool RpmSetup(const std::vector<std::string>& config,
              std::vector<std::string>* out, std::string* err) {
  for (const std::string& c : config) {
    auto ends = [&](const char* suffix) {
      std::string s = suffix;
      return c.size() >= s.size() && c.compare(c.size() - s.size(), s.size(), s) == 0;
    };
    if (ends(".rpm")) {
      out->push_back("RUN dnf -y install " + c);
    } else if (ends(".repo")) {
      if (c.rfind("http", 0) == 0) {
        out->push_back("RUN curl -L " + c + " -o /etc/yum.repos.d/" +
                       c.substr(c.rfind('/') + 1));
      } else {
        out->push_back("COPY " + c + " /etc/yum.repos.d/");
      }
    } else if (c.empty()) {
      out->push_back("");
    } else {
      *err = "rpm_setup_config: '" + c +
             "' is neither an .rpm nor a .repo file or URL";
      return false;
    }
  }
  return true;
}

std::vector<graph::UserEntry> Users(const config::Conf& conf) {
  std::vector<graph::UserEntry> users;
  for (const std::string& g : conf.Groups()) {
    if (g.size() <= 5 || g.compare(g.size() - 5, 5, "-user") != 0) continue;
    graph::UserEntry u;
    u.name = g.substr(0, g.size() - 5);
    u.uid = conf.GroupInt(g, "uid").value_or(0);
    u.gid = conf.GroupInt(g, "gid").value_or(0);
    u.group = conf.GroupStr(g, "group").value_or(u.name);
    users.push_back(u);
  }
  return users;
}

std::optional<graph::SourceSpec> SourceOf(const config::Conf& conf,
                                          const std::string& section) {
  auto type = conf.GroupStr(section, "type");
  if (!type) return std::nullopt;
  graph::SourceSpec s;
  s.name = section;
  s.type = *type;
  s.location = conf.GroupStr(section, "location").value_or("");
  if (s.type == "git") s.reference = conf.GroupStr(section, "reference");
  s.enabled = conf.GroupBool(section, "enabled").value_or(true);
  s.sha256 = conf.GroupDict(section, "sha256").value_or(
      std::vector<std::pair<std::string, std::string>>{});
  return s;
}

// Upstream's update_buildargs: --build-args, then the proxy variables of the
// environment that --build-args does not set.
std::vector<std::pair<std::string, std::string>> BuildArgs(
    const config::Conf& conf,
    const std::map<std::string, std::string>& environ) {
  auto args = conf.Dict("build_args");
  for (const char* v : {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
                        "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY",
                        "no_proxy"}) {
    bool set = false;
    for (const auto& [k, val] : args) set = set || k == v;
    auto e = environ.find(v);
    if (!set && e != environ.end()) args.emplace_back(v, e->second);
  }
  return args;
}

// The revision and source of the images tree when it is a git checkout.
std::vector<std::pair<std::string, std::string>> ScmLabels(
    const std::string& images_dir) {
  std::string cmd = "git -C '" + images_dir +
                    "' rev-parse HEAD 2>/dev/null";
  std::vector<std::pair<std::string, std::string>> out;
  if (images_dir.find('\'') != std::string::npos) return out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[128] = {0};
  std::string rev;
  if (fgets(buf, sizeof buf, p)) rev = util::Trim(buf);
  pclose(p);
  if (std::regex_match(rev, std::regex("[0-9a-f]{40,64}"))) {
    out.emplace_back("org.opencontainers.image.revision", rev);
    out.emplace_back("org.opencontainers.image.source",
                     "https://opendev.org/openstack/kolla");
  }
  return out;
}

std::string DurationsFile(const config::Conf& conf,
                          const std::map<std::string, std::string>& environ) {
  if (auto d = conf.OptStr("logs_dir")) return *d + "/.kolla-build-durations.json";
  if (auto d = conf.OptStr("work_dir")) return *d + "/.kolla-build-durations.json";
  auto home = environ.find("HOME");
  if (home == environ.end()) return "";
  return home->second + "/.cache/kolla-build/durations.json";
}

std::map<std::string, double> LoadDurations(const std::string& path) {
  std::map<std::string, double> out;
  auto text = util::ReadFile(path, nullptr);
  if (!text) return out;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto& [k, v] : j.items())
    if (v.is_number()) out[k] = v.get<double>();
  return out;
}

void SaveDurations(const std::string& path,
                   std::map<std::string, double> merged) {
  if (path.empty()) return;
  nlohmann::json j = nlohmann::json::object();
  for (auto& [k, v] : merged) j[k] = v;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  util::WriteFileAtomic(path, j.dump(1) + "\n");
}

// Ctrl-C handling without async-signal hazards: SIGINT is blocked in every
// thread and one thread waits for it.
class InterruptWatcher {
 public:
  InterruptWatcher() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR1);  // ours: wakes the watcher at the end
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void Start(std::function<void(int)> on_signal) {
    thread_ = std::thread([this, on_signal] {
      int count = 0;
      while (true) {
        int sig = 0;
        if (sigwait(&set_, &sig) != 0 || sig == SIGUSR1) return;
        on_signal(++count);
      }
    });
  }
  ~InterruptWatcher() {
    if (thread_.joinable()) {
      pthread_kill(thread_.native_handle(), SIGUSR1);
      thread_.join();
    }
  }

 private:
  sigset_t set_;
  std::thread thread_;
};

class Run {
 public:
  Run(const config::Conf& conf, const std::map<std::string, std::string>& env)
      : conf_(conf), environ_(env) {}
  ~Run() {
    std::error_code ec;
    if (!temp_root_.empty()) fs::remove_all(temp_root_, ec);
  }

  int Execute();

 private:
  int Prepare();
  int Build();
  std::string EngineHost() const;
  graph::KollaValues Values();

  /// Writes the work dir: the merged tree without the folders of images
  /// that are not to be built, with their rendered Dockerfiles.
  int MaterializeWorkDir();

  const config::Conf& conf_;
  const std::map<std::string, std::string>& environ_;
  std::unique_ptr<report::ConsoleReporter> reporter_;
  graph::TreeIndex index_;
  std::string work_root_;  // --work-dir, or a temporary folder
  std::string temp_root_;  // set when work_root_ is temporary
  std::string docker_dir_;
  graph::ImageGraph graph_;
};

graph::KollaValues Run::Values() {
  graph::KollaValues v;
  const config::Conf& c = conf_;
  v.base_distro = c.Str("base");
  v.base_image = c.Str("base_image");
  v.base_distro_tag = c.Str("base_tag");
  v.base_arch = c.Str("base_arch");
  v.debian_arch = c.Str("debian_arch");
  if (v.base_distro == "centos" || v.base_distro == "rocky") {
    v.distro_package_manager = "dnf";
    v.base_package_type = "rpm";
  } else {
    v.distro_package_manager = "apt";
    v.base_package_type = "deb";
  }
  if (auto m = c.OptStr("distro_package_manager")) v.distro_package_manager = *m;
  if (auto t = c.OptStr("base_package_type"); t && !t->empty())
    v.base_package_type = *t;
  if (const config::DistroDefault* d = config::FindDistro(v.base_distro))
    v.supported_distro_name = d->pretty_name;
  v.image_prefix = c.Str("image_name_prefix");
  std::string ns = c.Str("namespace");
  if (auto r = c.OptStr("registry"); r && !r->empty()) ns = *r + "/" + ns;
  v.namespace_ = ns;
  v.tag = c.Str("tag");
  v.maintainer = c.Str("maintainer");
  v.kolla_version = KB_VERSION;
  v.openstack_release = c.Str("openstack_release");
  v.openstack_release_codename = c.Str("openstack_release_codename");
  v.openstack_branch = c.Str("openstack_branch");
  v.openstack_branch_slashed = c.Str("openstack_branch_slashed");
  v.repos_yaml = c.OptStr("repos_yaml");
  v.patches_path = c.OptStr("patches_path");
  v.use_dumb_init = c.Bool("use_dumb_init");
  v.docker_healthchecks = c.Bool("docker_healthchecks");
  v.clean_package_cache = c.Bool("clean_package_cache");
  v.users = Users(c);
  for (const auto& [k, val] : environ_) v.environ.emplace_back(k, val);
  return v;
}

int Run::Prepare() {
  const config::Conf& c = conf_;
  report::ConsoleOptions ro;
  ro.debug = c.Bool("debug");
  ro.quiet = c.Bool("quiet");
  ro.logs_dir = c.Str("logs_dir");
  reporter_ = std::make_unique<report::ConsoleReporter>(ro);
  if (std::string e = reporter_->Open(); !e.empty()) return Fail(e);
  if (auto f = c.OptStr("summary_json_file"); f && !f->empty()) {
    // Found out now, not after hours of building.
    std::error_code ec;
    fs::path dir = fs::path(util::AbsolutePath(*f)).parent_path();
    fs::create_directories(dir, ec);
    if (ec || access(dir.c_str(), W_OK) != 0)
      return Fail("cannot write the summary JSON file '" + *f + "'");
  }

  std::optional<std::string> images_dir = c.OptStr("images_dir");
  if (!images_dir || images_dir->empty())
    return Fail("no images dir found; give one with --images-dir");

  std::vector<std::string> rpm_setup;
  std::string err;
  if (!RpmSetup(c.List("rpm_setup_config"), &rpm_setup, &err))
    return Fail(err);

  // The merged images tree, read in place: templates render from it and
  // only what this run needs is written into the work dir later.
  std::string images_root = util::AbsolutePath(*images_dir);
  std::vector<std::string> layers = {images_root};
  for (const std::string& d : c.List("docker_dir"))
    layers.push_back(util::AbsolutePath(d));
  auto index = graph::TreeIndex::Build(layers, &err);
  if (!index) {
    if (!fs::is_directory(images_root))
      return Fail("images dir '" + images_root + "' does not exist");
    return Fail(err);
  }
  for (auto [opt, name] : {std::pair{"apt_sources_list", "sources.list"},
                           {"apt_preferences", "apt_preferences"}}) {
    if (auto f = c.OptStr(opt); f && !f->empty()) {
      if (!fs::is_regular_file(*f))
        return Fail(std::string(opt) + ": '" + *f + "' is not a file");
      index->AddFile(std::string("base/") + name, util::AbsolutePath(*f));
    }
  }
  index_ = std::move(*index);
  if (auto w = c.OptStr("work_dir"); w && !w->empty()) {
    work_root_ = util::AbsolutePath(*w);
  }
  docker_dir_ = (work_root_.empty() ? std::string("<temporary>") : work_root_) +
                "/docker";

  // Render every image: the parent of each comes from its rendered FROM.
  graph::RenderSettings rs;
  rs.template_dirs.assign(layers.rbegin(), layers.rend());
  rs.values = Values();
  rs.values.rpm_setup = rpm_setup;
  rs.template_overrides = c.List("template_override");
  rs.default_repos_yaml =
      (fs::path(images_root).parent_path() / "template" / "repos.yaml")
          .string();
  graph::RenderError rerr;
  auto renderer = graph::Renderer::Create(rs, &rerr);
  if (!renderer) return Fail(rerr.text);

  std::vector<std::unique_ptr<Image>> images;
  int failures = 0;
  for (const std::string& rel : index_.ImageFolders()) {
    auto img = std::make_unique<Image>();
    img->name = fs::path(rel).filename().string();
    img->path = rel;  // made absolute once the work dir exists
    img->template_path = rel + "/Dockerfile.j2";
    if (auto e = renderer->Render(img.get())) {
      std::fprintf(stderr, "%s: error: %s\n", kProg, e->text.c_str());
      ++failures;
    }
    images.push_back(std::move(img));
  }
  if (failures) {
    return Fail(std::to_string(failures) + " template" +
                (failures > 1 ? "s" : "") + " failed to render");
  }

  // Sources, plugins and additions from the config groups.
  std::vector<std::string> groups = c.Groups();
  for (auto& img : images) {
    img->source = SourceOf(c, img->name);
    const std::string plugin = img->name + "-plugin-";
    const std::string additions = img->name + "-additions-";
    for (const std::string& g : groups) {
      if (g.size() > plugin.size() && g.compare(0, plugin.size(), plugin) == 0) {
        if (auto s = SourceOf(c, g)) img->plugins.push_back(*s);
      } else if (g.size() > additions.size() &&
                 g.compare(0, additions.size(), additions) == 0) {
        if (auto s = SourceOf(c, g)) img->additions.push_back(*s);
      }
    }
  }

  graph::NamingSettings naming;
  naming.namespace_ = rs.values.namespace_;
  naming.image_prefix = rs.values.image_prefix;
  naming.tag = rs.values.tag;
  naming.build_args = BuildArgs(c, environ_);
  if (std::string e = graph_.Link(std::move(images), naming); !e.empty())
    return Fail(e);
  std::vector<std::string> cycles = graph_.FindCycles();
  for (const std::string& cy : cycles)
    std::fprintf(stderr, "%s: error: dependency cycle: %s\n", kProg,
                 cy.c_str());
  if (!cycles.empty()) return 1;

  // Which images to build.
  graph::FilterSettings fs_;
  fs_.regexes = c.Positional();
  for (const std::string& p : c.List("profile")) {
    auto patterns = c.GroupList("profiles", p);
    if (!patterns || patterns->empty())
      return Fail("profile '" + p + "' is not defined or empty", 2);
    for (const std::string& pat : *patterns)
      fs_.profile_patterns.push_back(util::Trim(pat));
  }
  fs_.base = rs.values.base_distro;
  fs_.base_arch = rs.values.base_arch;
  fs_.unbuildable = config::Unbuildable();
  fs_.enable_unbuildable = c.Bool("enable_unbuildable");
  fs_.skip_parents = c.Bool("skip_parents");
  fs_.skip_existing = c.Bool("skip_existing");
  std::unique_ptr<engine::EngineClient> probe;
  if (fs_.skip_existing) {
    probe = engine::MakeDockerClient(EngineHost(), c.Int("timeout"));
    fs_.exists_in_engine = [&](const Image& img) {
      std::optional<engine::EngineError> e;
      return probe->InspectImage(img.canonical_name, &e).has_value();
    };
  }
  std::vector<std::string> warnings;
  if (std::string e = graph_.Filter(fs_, &warnings); !e.empty())
    return Fail(e, 2);
  for (const std::string& w : warnings)
    reporter_->Event(Level::kWarning, "", w);
  return 0;
}

std::string Run::EngineHost() const {
  if (conf_.Str("engine") == "podman") return conf_.Str("podman_base_url");
  auto h = environ_.find("DOCKER_HOST");
  return h != environ_.end() ? h->second : "";
}

int Run::Execute() {
  if (int rc = Prepare()) return rc;
  const config::Conf& c = conf_;

  if (c.Bool("template_only")) {
    if (int rc = MaterializeWorkDir()) return rc;
    reporter_->Event(Level::kInfo, "",
                     "Dockerfiles are generated in " + docker_dir_);
    return 0;
  }

  if (auto dot = c.OptStr("save_dependency")) {
    if (std::string e = util::WriteFileAtomic(*dot, graph::DependencyDot(graph_));
        !e.empty())
      return Fail(e);
    reporter_->Event(Level::kInfo, "",
                     "Docker images dependency are saved in " + *dot);
    return 0;
  }
  if (c.Bool("list_images")) {
    std::fputs(graph::ListImages(graph_).c_str(), stdout);
    return 0;
  }
  if (c.Bool("list_dependencies")) {
    std::fputs(graph::ListDependencies(graph_).c_str(), stdout);
    return 0;
  }
  return Build();
}

int Run::MaterializeWorkDir() {
  if (work_root_.empty()) {
    work_root_ = temp_root_ = util::MakeTempDir("kolla-");
    if (work_root_.empty()) return Fail("cannot create a temporary work dir");
  }
  docker_dir_ = work_root_ + "/docker";
  // PARITY(kolla): the folders of unmatched images are not left behind.
  std::set<std::string> skip;
  std::map<std::string, std::string> dockerfiles;
  // The rendered Dockerfile stands in for its template, which the build
  // never reads: one file fewer per image is most of this step's time on
  // a slow file system.
  std::set<std::string> omit;
  for (const auto& img : graph_.mutable_images()) {
    if (img->status == ImageStatus::kMatched) {
      dockerfiles[img->path + "/Dockerfile"] = img->dockerfile;
      omit.insert(img->template_path);
    } else {
      skip.insert(img->path);
    }
    img->path = docker_dir_ + "/" + img->path;
  }
  if (std::string e = index_.Materialize(docker_dir_, skip, dockerfiles,
                                             omit, 4);
      !e.empty())
    return Fail(e);
  reporter_->Event(Level::kDebug, "", "created work dir: " + docker_dir_);
  return 0;
}

int Run::Build() {
  const config::Conf& c = conf_;
  if (int rc = MaterializeWorkDir()) return rc;
  std::vector<std::string> folders;
  for (const auto& img : graph_.images())
    if (img->status == ImageStatus::kMatched) folders.push_back(img->path);
  if (std::string e = graph::CopyPatches(folders, c.OptStr("patches_path"));
      !e.empty())
    return Fail(e);
  // The layer cache keys on content; times would defeat it.
  util::SetTreeTimesToEpoch(docker_dir_);

  if (c.Bool("squash") && c.Bool("buildkit"))
    return Fail("--buildkit and --squash are mutually exclusive");
  if (c.Bool("squash")) {
    if (std::system("docker-squash --version >/dev/null 2>&1") != 0)
      return Fail("--squash needs the 'docker-squash' command, which is not "
                  "installed");
  }

  std::string host = EngineHost();
  auto engine = engine::MakeDockerClient(host, c.Int("timeout"));
  if (auto e = engine->Ping()) {
    return Fail("unable to connect to the container engine: " + e->message);
  }
  if (c.Bool("buildkit") && c.Str("engine") == "docker") {
    // Upstream drives BuildKit through `docker buildx`; the Engine API's
    // classic builder builds the same Dockerfiles.
    reporter_->Event(Level::kWarning, "",
                     engine->HasBuildx()
                         ? "BuildKit builds through buildx are not supported; "
                           "building with the classic builder"
                         : "docker buildx is not installed; building with "
                           "the classic builder");
  }

  sched::WorkerSettings ws;
  ws.nocache = !c.Bool("cache");
  ws.forcerm = !c.Bool("keep");
  ws.pull = c.Bool("pull");
  if (auto m = c.OptStr("network_mode"); m && !m->empty()) ws.network_mode = m;
  ws.platform = c.OptStr("platform");
  ws.buildargs = BuildArgs(c, environ_);
  std::string created = NowUtc();
  ws.labels = ScmLabels(c.Str("images_dir"));
  for (const auto& kv : std::vector<std::pair<std::string, std::string>>{
           {"org.opencontainers.image.version", c.Str("tag")},
           {"org.opencontainers.image.created", created},
           {"org.opencontainers.image.authors", c.Str("maintainer")},
           {"org.opencontainers.image.url",
            "https://opendev.org/openstack/kolla"},
           {"org.opencontainers.image.licenses", "Apache-2.0"},
           {"build-date", Today()}})
    ws.labels.push_back(kv);
  ws.volatile_labels = {"org.opencontainers.image.created", "build-date"};
  ws.fetch.debian_arch = c.Str("debian_arch");
  ws.fetch.timeout_seconds = static_cast<int>(c.Int("timeout"));
  ws.reuse_unchanged = c.Bool("reuse_unchanged");
  ws.squash = c.Bool("squash");
  ws.squash_cleanup = c.Bool("squash_cleanup");
  ws.squash_tmp_dir = c.OptStr("squash_tmp_dir");
  ws.timeout_seconds = static_cast<int>(c.Int("timeout"));
  if (c.Bool("push")) {
    std::string registry = c.Str("registry");
    auto home = environ_.find("HOME");
    std::string cfg = environ_.count("DOCKER_CONFIG")
                          ? environ_.at("DOCKER_CONFIG") + "/config.json"
                          : (home != environ_.end() ? home->second : "") +
                                "/.docker/config.json";
    ws.registry_auth = engine::RegistryAuthFor(registry, cfg);
  }
  std::atomic<bool> cancel{false};
  ws.cancel = &cancel;
  sched::ImageWorker worker(engine.get(), reporter_.get(), ws);

  std::string durations_file = DurationsFile(c, environ_);
  std::map<std::string, double> history = LoadDurations(durations_file);
  sched::Plan plan(history);
  int queued = 0;
  for (const auto& img : graph_.mutable_images()) {
    if (img->status != ImageStatus::kMatched) continue;
    plan.Add(img.get());
    ++queued;
  }
  reporter_->Event(Level::kInfo, "",
                   "building " + std::to_string(queued) + " image" +
                       (queued == 1 ? "" : "s") + " on " +
                       std::to_string(c.Int("threads")) + " threads");

  sched::SchedulerOptions so;
  so.threads = static_cast<int>(c.Int("threads"));
  so.push_threads = static_cast<int>(c.Int("push_threads"));
  so.retries = static_cast<int>(c.Int("retries"));
  so.push = c.Bool("push");
  sched::Scheduler scheduler(&plan, &worker, reporter_.get(), so);

  InterruptWatcher watcher;
  std::atomic<bool> interrupted{false};
  watcher.Start([&](int count) {
    interrupted = true;
    if (count == 1) {
      reporter_->Event(Level::kWarning, "",
                       "interrupted: no new builds start; running ones "
                       "finish (Ctrl-C again to cancel them)");
      scheduler.Stop();
    } else {
      reporter_->Event(Level::kWarning, "", "cancelling running builds");
      cancel = true;
    }
  });
  std::map<std::string, double> took = scheduler.Run();
  for (auto& [k, v] : took) history[k] = v;
  SaveDurations(durations_file, history);

  for (const auto& img : graph_.mutable_images()) {
    if (img->status == ImageStatus::kMatched && interrupted) {
      img->status = ImageStatus::kSkipped;
      img->reason = "interrupted";
    }
  }

  report::Summary summary = report::MakeSummary(graph_, c.List("allowed_to_fail"));
  if (c.Bool("summary")) report::PrintSummary(summary, *reporter_);
  for (const auto& img : graph_.images()) {
    if (img->status == ImageStatus::kError)
      reporter_->LinkFailedLog(img->name);
    else
      reporter_->UnlinkFailedLog(img->name);  // from an earlier run
  }
  if (c.Str("format") == "json") {
    if (auto file = c.OptStr("summary_json_file")) {
      if (std::string e =
              util::WriteFileAtomic(*file, report::SummaryJson(summary, 4));
          !e.empty())
        return Fail("failed to write the JSON build summary: " + e);
    } else {
      std::fputs(report::SummaryJson(summary, 0).c_str(), stdout);
      std::fflush(stdout);
    }
  }
  if (interrupted) return 130;
  return report::SummaryExitCode(summary);
}

}  // namespace

int RunKollaBuild(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& environ) {
  config::ParseOutcome parsed = config::ParseKollaBuild(argv, environ);
  if (!parsed.output.empty()) std::fputs(parsed.output.c_str(), stdout);
  if (parsed.error) {
    if (!parsed.error->usage.empty())
      std::fputs(parsed.error->usage.c_str(), stderr);
    std::string where = parsed.error->location;
    return Fail(where.empty() ? parsed.error->message
                              : where + ": " + parsed.error->message,
                parsed.error->exit_code);
  }
  if (!parsed.conf) return parsed.exit_code;
  Run run(*parsed.conf, environ);
  return run.Execute();
}

}  // namespace kb::cli
