// The work dir's extras beyond the merged images tree (see tree_index.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb::graph {

/// Copies each image's patches (`<patches_path>/<image>/series` and the
/// files it lists) into `<image folder>/patches`, which always exists
/// afterwards (upstream's create_patch_files).
std::string CopyPatches(const std::vector<std::string>& image_folders,
                        const std::optional<std::string>& patches_path);

}  // namespace kb::graph
