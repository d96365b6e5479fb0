// The work dir: a copy of the images tree with the --docker-dir overlays
// merged over it, where Dockerfiles are rendered and contexts are built.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb::graph {

struct WorkDirSettings {
  std::string images_dir;
  std::vector<std::string> docker_dirs;  // overlays, later ones win
  /// --work-dir; empty for a fresh temporary folder removed at the end.
  std::string work_dir;
  std::optional<std::string> apt_sources_list, apt_preferences;
  std::optional<std::string> patches_path;
};

/// Copies the trees into `<work_dir>/docker` (following symbolic links) and
/// the apt files into its base folder. Returns the docker folder, or sets
/// `err` and returns "".
std::string SetupWorkDir(const WorkDirSettings& s, std::string* temp_root,
                         std::string* err);

/// Copies each image's patches (`<patches_path>/<image>/series` and the
/// files it lists) into `<image folder>/patches`, which always exists
/// afterwards (upstream's create_patch_files).
std::string CopyPatches(const std::vector<std::string>& image_folders,
                        const std::optional<std::string>& patches_path);

}  // namespace kb::graph
