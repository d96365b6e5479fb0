// Rendering every image's Dockerfile.j2 as upstream's create_dockerfiles
// does: one sandboxed environment over the work dir, kolla's helpers, the
// same context values, and the template overrides on top.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/image.h"

namespace kb::graph {

struct UserEntry {
  std::string name;  // without the "-user" suffix
  int64_t uid = 0, gid = 0;
  std::string group;
};

/// The values upstream passes to every template (kolla_worker.py
/// create_dockerfiles), but image_name, which is per image.
struct KollaValues {
  std::string base_distro, base_image, base_distro_tag, base_arch;
  std::string debian_arch, base_package_type, distro_package_manager;
  std::optional<std::string> supported_distro_name;
  std::string image_prefix, namespace_, tag, maintainer, kolla_version;
  std::string openstack_release, openstack_release_codename;
  std::string openstack_branch, openstack_branch_slashed;
  std::optional<std::string> repos_yaml, patches_path;
  bool use_dumb_init = true, docker_healthchecks = true;
  bool clean_package_cache = true;
  std::vector<std::string> rpm_setup;
  std::vector<UserEntry> users;
  /// The process environment, the template's `env`.
  std::vector<std::pair<std::string, std::string>> environ;
};

struct RenderSettings {
  /// Where templates are looked up, first match wins: the --docker-dir
  /// overlays, last one first, then the images dir.
  std::vector<std::string> template_dirs;
  KollaValues values;
  /// --template-override files, in order.
  std::vector<std::string> template_overrides;
  /// The repos.yaml that handle_repos reads when no --repos-yaml is given.
  std::string default_repos_yaml;
};

/// One template failure, formatted for the terminal.
struct RenderError {
  std::string image;
  std::string text;  // "file:line:col: Class: message" + source + caret
};

class Renderer {
 public:
  /// Prepares the environment and parses the overrides. Returns nullptr and
  /// sets `err` when an override file cannot be read or parsed.
  static std::unique_ptr<Renderer> Create(const RenderSettings& s,
                                          RenderError* err);
  ~Renderer();

  /// Renders `img->template_path` into `img->dockerfile`. Returns nullopt
  /// on success.
  std::optional<RenderError> Render(Image* img);

 private:
  Renderer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Joins several override files into one template as upstream does, but
/// removes only the `{% extends %}` statement of the second and later files
/// (upstream's line regex also removes any other line that holds `{%` and
/// the word "extends"). `line_origins` gets, for each line of the result,
/// the file and line it came from.
std::string MergeOverrides(
    const std::vector<std::pair<std::string, std::string>>& files,
    std::vector<std::pair<std::string, int>>* line_origins);

}  // namespace kb::graph
