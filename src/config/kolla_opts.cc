#include "config/kolla_opts.h"

#include <sys/utsname.h>

namespace kb::config {
namespace {

std::vector<std::string> DistroNames() {
  std::vector<std::string> names;
  for (const auto& d : DefaultDistros()) names.push_back(d.distro);
  return names;
}

std::string ProfileHelp() {
  std::string names;
  for (const auto& [name, items] : DefaultProfiles()) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return "Build a pre-defined set of images, see [profiles] section in "
         "config. The default profiles are: " +
         names;
}

}  // namespace

std::string HostArch() {
  struct utsname u;
  if (uname(&u) != 0) return "x86_64";
  std::string m = u.machine;
  // NOTE: Apple Silicon reports arm64, which kolla calls aarch64.
  if (m == "arm64") m = "aarch64";
  return m;
}

std::vector<OptSpec> KollaCliOpts(std::string_view host_arch) {
  std::string debian_arch = host_arch == "aarch64" ? "arm64" : "amd64";
  OptSpec regex = MultiOpt(
      "regex", "Build only images matching regex and its dependencies");
  regex.cli = true;
  regex.positional = true;
  return {
      Cli(StrOpt("base", "rocky", "The distro type of the base image.",
                 DistroNames()),
          'b'),
      Cli(StrOpt("base-tag", "latest", "The base distro image tag")),
      Cli(StrOpt("base-image", std::monostate{},
                 "The base image name. Default is the same with base.")),
      Cli(StrOpt("base-arch", std::string(host_arch),
                 "The base architecture. Default is same as host.",
                 {"x86_64", "aarch64"})),
      Cli(StrOpt("debian-arch", debian_arch,
                 "The base architecture used for downloading external "
                 "packages. Default is derived from base-arch.",
                 {"amd64", "arm64"})),
      Cli(BoolOpt("use-dumb-init", true,
                  "Use dumb-init as init system in containers")),
      Cli(BoolOpt("debug", false, "Turn on debugging log level"), 'd'),
      Cli(BoolOpt("skip-parents", false,
                  "Do not rebuild parents of matched images")),
      Cli(BoolOpt("skip-existing", false,
                  "Do not rebuild images present in the container engine "
                  "cache")),
      Cli(DictOpt("build-args", std::monostate{},
                  "Set docker build time variables")),
      Cli(BoolOpt("keep", false, "Keep failed intermediate containers")),
      Cli(BoolOpt("list-dependencies", std::monostate{},
                  "Show image dependencies (filtering supported)"),
          'l'),
      Cli(BoolOpt("list-images", std::monostate{},
                  "Show all available images (filtering supported)")),
      Cli(StrOpt("locals-base", "./",
                 "Base directory for local source resolution")),
      Cli(StrOpt("namespace", "kolla", "The Docker namespace name"), 'n'),
      Cli(StrOpt("network_mode", "host",
                 "The network mode for Docker build. Example: host")),
      Cli(BoolOpt("buildkit", true,
                  "Use Docker BuildKit (docker buildx build) when building "
                  "images. Requires the docker-buildx-plugin to be "
                  "installed. Only valid with --engine docker.")),
      Cli(StrOpt("buildkit-builder", std::monostate{},
                 "Name of the docker buildx builder instance to use. If "
                 "unset the currently active builder is used. Only valid "
                 "with --buildkit.")),
      Cli(BoolOpt("cache", true,
                  "Use the container engine cache when building")),
      Cli(StrOpt("patches-path", std::monostate{},
                 "The path where patch files to be applied are located")),
      Cli(StrOpt("platform", std::monostate{},
                 "The platform to use for a cross-compile build. Should be "
                 "set in conjunction with \"--base-arch\" argument. "
                 "Example: \"--platform linux/arm64 --base-arch aarch64\"")),
      Cli(MultiOpt("profile", ProfileHelp()), 'p'),
      Cli(BoolOpt("push", false, "Push images after building")),
      Cli(IntOpt("push-threads", int64_t{1},
                 "The number of threads to use while pushing images. Note: "
                 "Docker cannot handle threaded pushing properly",
                 1)),
      Cli(IntOpt("retries", int64_t{3},
                 "The number of times to retry while building", 0),
          'r'),
      regex,
      Cli(StrOpt("registry", std::monostate{},
                 "The container image registry host")),
      Cli(StrOpt("save-dependency", std::monostate{},
                 "Path to the file to store the docker image dependency in "
                 "Graphviz dot format")),
      Cli(StrOpt("format", "json", "Format to write the final results in.",
                 {"json", "none"}),
          'f'),
      Cli(StrOpt("summary-json-file", std::monostate{},
                 "Name of a file to write the build summary to when format "
                 "is json. If unset, the summary will be written to "
                 "standard output")),
      Cli(StrOpt("tarballs-base", std::string(DefaultTarballsBase()),
                 "Base url to OpenStack tarballs")),
      Cli(IntOpt("threads", int64_t{8},
                 "The number of threads to use while building. (Note: "
                 "setting to one will allow real time logging)",
                 1),
          'T'),
      // The default is <openstack_release>-<base>-<base_tag>, set after
      // parsing like base_tag.
      Cli(StrOpt("tag", std::monostate{}, "The container image tag")),
      Cli(BoolOpt("template-only", false,
                  "Don't build images. Generate Dockerfile only")),
      Cli(IntOpt("timeout", int64_t{120},
                 "Time in seconds after which any operation times out")),
      Cli(MultiOpt("template-override", "Path to template override file")),
      Cli(MultiOpt("docker-dir",
                   "Path to additional docker file template directory, can "
                   "be specified multiple times"),
          'D'),
      Cli(StrOpt("logs-dir", std::monostate{}, "Path to logs directory")),
      Cli(BoolOpt("pull", true,
                  "Attempt to pull a newer version of the base image")),
      Cli(StrOpt("work-dir", std::monostate{},
                 "Path to be used as working directory. By default, a "
                 "temporary dir is created")),
      Cli(BoolOpt("squash", false,
                  "Squash the image layers. WARNING: it will consume lots "
                  "of disk IO. \"docker-squash\" tool is required, install "
                  "it by \"pip install docker-squash\"")),
      Cli(StrOpt("openstack-release", std::string(DefaultOpenstackRelease()),
                 "OpenStack release for building kolla source images and "
                 "kolla-toolbox image")),
      Cli(StrOpt("openstack-release-codename",
                 std::string(OpenstackReleaseCodename()),
                 "OpenStack release codename for Debian OpenStack extrepo "
                 "and Ubuntu Cloud Archive")),
      Cli(StrOpt("openstack-branch", std::monostate{},
                 "Branch for source images (internal; with a dash; please "
                 "set openstack-release instead)")),
      Cli(StrOpt("openstack-branch-slashed", std::monostate{},
                 "Branch for source images (internal; with a slash; please "
                 "set openstack-release instead)")),
      Cli(BoolOpt("docker-healthchecks", true,
                  "Add Kolla docker healthcheck scripts in the image")),
      Cli(BoolOpt("quiet", false, "Do not print image logs"), 'q'),
      Cli(BoolOpt("enable-unbuildable", false,
                  "Enable images marked as unbuildable")),
      Cli(BoolOpt("summary", true, "Show summary at the end of build")),
      Cli(StrOpt("image-name-prefix", "", "Prefix prepended to image names")),
      Cli(StrOpt("repos-yaml", "", "Path to repos.yaml override file")),
      Cli(StrOpt("engine", "docker", "Container engine to build images on.",
                 {"docker", "podman"})),
      Cli(StrOpt("podman_base_url", "unix:///run/podman/podman.sock",
                 "Path to podman socket.")),
  };
}

std::vector<OptSpec> KollaBaseOpts() {
  return {
      StrOpt("maintainer", "Kolla Project (https://launchpad.net/kolla)",
             "Content of the maintainer label"),
      StrOpt("distro_package_manager", std::monostate{},
             "Use this parameter to override the default package manager "
             "used by kolla. For example, if you want to use yum on a "
             "system with dnf, set this to yum which will use yum command "
             "in the build process"),
      StrOpt("base_package_type", std::monostate{},
             "Set the package type of the distro. If not set then the "
             "packaging type is set to \"rpm\" if a RHEL based distro and "
             "\"deb\" if a Debian based distro."),
      ListOpt("rpm_setup_config", StrList{},
              "Comma separated list of .rpm or .repo file(s) or URL(s) to "
              "install before building containers"),
      StrOpt("apt_sources_list", std::monostate{},
             "Path to custom sources.list"),
      StrOpt("apt_preferences", std::monostate{},
             "Path to custom apt/preferences"),
      BoolOpt("squash-cleanup", true,
              "Remove source image from Docker after squashing"),
      StrOpt("squash-tmp-dir", std::monostate{},
             "Temporary directory to be used during squashing"),
      BoolOpt("clean_package_cache", true, "Clean all package cache."),
      ListOpt("allowed-to-fail", StrList{}, "Images which are allowed to fail"),
      StrOpt("pip_index_url", std::monostate{},
             "URL of the primary pip index (sets ARG PIP_INDEX_URL)"),
      StrOpt("pip_trusted_host", std::monostate{},
             "Hostname to mark as trusted for pip (sets ARG "
             "PIP_TRUSTED_HOST)"),
      StrOpt("pip_extra_index_url", std::monostate{},
             "URL of an extra pip index (sets ARG PIP_EXTRA_INDEX_URL)"),
  };
}

std::vector<OptSpec> ProfileOpts() {
  static const char* const kHelp[][2] = {{"infra", "Infra images"},
                                         {"main", "Main images"},
                                         {"aux", "Aux Images"},
                                         {"default", "Default images"}};
  std::vector<OptSpec> opts;
  for (const auto& [name, items] : DefaultProfiles()) {
    std::string help;
    for (const auto& h : kHelp) {
      if (name == h[0]) help = h[1];
    }
    opts.push_back(ListOpt(name, items, help));
  }
  return opts;
}

std::vector<OptSpec> SourceOpts(const SourceDefault* src) {
  auto opt_str = [](const std::optional<std::string>& s) -> Value {
    if (s) return *s;
    return std::monostate{};
  };
  Value type = src ? Value(src->type) : Value();
  Value location = src ? Value(src->location) : Value();
  Value reference = src ? opt_str(src->reference) : Value();
  Value version = src ? opt_str(src->version) : Value();
  Value sha256 = (src && src->has_sha256) ? Value(src->sha256) : Value();
  bool enabled = src ? src->enabled : true;
  return {
      StrOpt("type", type, "Source location type", {"local", "git", "url"}),
      StrOpt("location", location, "The location for source install"),
      StrOpt("reference", reference,
             "Git reference to pull, commit sha, tag or branch name"),
      BoolOpt("enabled", enabled, "Whether the source is enabled"),
      StrOpt("version", version,
             "Package version to download for GitHub "
             "sources"),
      DictOpt("sha256", sha256,
              "Dictionary of sha256 sums for GitHub "
              "sources"),
  };
}

std::vector<OptSpec> UserOpts(const UserDefault* user) {
  return {
      IntOpt("uid", user ? Value(user->uid) : Value(), "The user id"),
      IntOpt("gid", user ? Value(user->gid) : Value(), "The group id"),
      StrOpt("group", user ? Value(user->group) : Value(), "The group name"),
  };
}

std::vector<GroupSpec> KollaGroups(std::string_view host_arch) {
  std::vector<GroupSpec> groups;
  GroupSpec def{"DEFAULT", KollaCliOpts(host_arch)};
  for (auto& o : KollaBaseOpts()) def.opts.push_back(std::move(o));
  for (auto& o : ExtraCliOpts()) def.opts.push_back(std::move(o));
  groups.push_back(std::move(def));
  groups.push_back(GroupSpec{"profiles", ProfileOpts()});
  for (const auto& s : DefaultSources()) {
    groups.push_back(GroupSpec{s.image, SourceOpts(&s)});
  }
  for (const auto& u : DefaultUsers()) {
    groups.push_back(GroupSpec{u.name, UserOpts(&u)});
  }
  return groups;
}

const DistroDefault* FindDistro(std::string_view distro) {
  for (const auto& d : DefaultDistros()) {
    if (d.distro == distro) return &d;
  }
  return nullptr;
}

}  // namespace kb::config
