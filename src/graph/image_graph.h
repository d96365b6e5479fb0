// The images of one run: discovered in the work dir, linked into a
// parent/child forest by the FROM lines of their rendered Dockerfiles, and
// marked for building as upstream kolla's filter_images does.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graph/image.h"

namespace kb::graph {

struct NamingSettings {
  std::string namespace_;     // with the registry in front when one is set
  std::string image_prefix;
  std::string tag;
  /// For ARG substitution in FROM lines.
  std::vector<std::pair<std::string, std::string>> build_args;
};

struct FilterSettings {
  std::vector<std::string> regexes;   // positional arguments
  /// Patterns of the profiles asked for, already looked up.
  std::vector<std::string> profile_patterns;
  std::string base;                   // distro
  std::string base_arch;
  /// Unbuildable table: "debian", "debian+aarch64", ... -> names.
  std::vector<std::pair<std::string, std::vector<std::string>>> unbuildable;
  bool enable_unbuildable = false;
  bool skip_parents = false;
  bool skip_existing = false;
  /// Asked for each matched image when skip_existing is set.
  std::function<bool(const Image&)> exists_in_engine;
};

class ImageGraph {
 public:
  /// Takes the rendered images and links parents to children by canonical
  /// name. Returns "" or a one-line error (two folders with one image name).
  std::string Link(std::vector<std::unique_ptr<Image>> images,
                   const NamingSettings& naming);

  /// Finds dependency cycles. Each is returned as "a -> b -> a"; the images
  /// in a cycle are marked kError with that reason.
  std::vector<std::string> FindCycles();

  /// Marks unbuildable, matched, unmatched and skipped images. Returns "" or
  /// a one-line error (a regex that does not compile).
  std::string Filter(const FilterSettings& settings,
                     std::vector<std::string>* warnings);

  /// The images in discovery order.
  const std::vector<std::unique_ptr<Image>>& images() const {
    return images_;
  }
  std::vector<std::unique_ptr<Image>>& mutable_images() { return images_; }
  Image* Find(const std::string& name) const;

 private:
  std::vector<std::unique_ptr<Image>> images_;
};

/// Upstream's canonical name: namespace/prefix+name:tag.
std::string CanonicalName(const NamingSettings& naming,
                          const std::string& name);

}  // namespace kb::graph
