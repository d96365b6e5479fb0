// The merged view of the images tree and its --docker-dir overlays, read
// without copying anything: templates render straight from it, and only
// what a run needs is written into the work dir afterwards.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb::graph {

class TreeIndex {
 public:
  /// Walks `layers` in order; a later layer's file replaces an earlier
  /// one's, and folders merge (upstream copies each over the work dir).
  /// Symbolic links are followed, as shutil.copytree does: an image folder
  /// must be a self-contained build context. Returns nullopt and sets `err`
  /// when a layer cannot be read.
  static std::optional<TreeIndex> Build(const std::vector<std::string>& layers,
                                        std::string* err);

  /// Adds (or replaces) one file, e.g. base/sources.list from
  /// --apt-sources-list.
  void AddFile(const std::string& rel, const std::string& src);

  /// The folders that hold a Dockerfile.j2, relative and sorted.
  std::vector<std::string> ImageFolders() const;

  /// Writes the tree below `dest`, leaving out everything below the folders
  /// in `skip` and the files in `omit`, plus `generated` (relative path ->
  /// content, e.g. rendered Dockerfiles), on `threads` threads. Returns ""
  /// or a one-line error.
  std::string Materialize(const std::string& dest,
                          const std::set<std::string>& skip,
                          const std::map<std::string, std::string>& generated,
                          const std::set<std::string>& omit,
                          int threads) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string src;  // "" for a folder
    bool is_dir = false;
  };
  std::map<std::string, Entry> entries_;  // parents sort before children
};

}  // namespace kb::graph
