// Fetching an image's source, plugins and additions into its build folder,
// as upstream kolla's BuildTask.process_source and make_an_archive do.
#ifndef KB_SOURCES_SOURCES_H_
#define KB_SOURCES_SOURCES_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kb::sources {

/// One source, plugin or addition section of the configuration.
struct Source {
  std::string name;      // the config section, e.g. "keystone-base"
  std::string type;      // "url" | "git" | "local"
  std::string location;  // already interpolated
  std::optional<std::string> reference;                     // git ref
  std::vector<std::pair<std::string, std::string>> sha256;  // arch -> sum
  bool enabled = true;
};

struct FetchOptions {
  std::string debian_arch = "amd64";  // picks the sha256 entry (B033)
  /// Connect timeout, and the longest time a transfer may stall, as
  /// requests' `timeout` in upstream. Also bounds each git command.
  int timeout_seconds = 120;
  /// Scratch space for git clones. When empty, clones are made in a
  /// temporary folder inside the destination folder. Either way the clone
  /// is removed once archived, so it never bloats the build context.
  std::string work_dir;
};

struct FetchResult {
  bool ok = false;
  std::string archive_path;      // the file written
  std::string error;             // one line naming the source and the cause
  std::vector<std::string> log;  // lines for the image's log
};

/// Fetches `src` into `<dest_dir>/<archive_name>` (upstream names it
/// "<source name>-archive"). A url is downloaded (redirects followed, only
/// a 200 accepted, sha256 checked for `debian_arch` when configured); a git
/// repository is cloned, checked out at its reference, its `origin` remote
/// removed and archived with `.git` as "<archive_name>-<ref, '/' -> '-'>";
/// a local folder is archived under its base name, a local file copied.
/// Archives are reproducible (B031) and the file appears atomically; on
/// failure nothing is left behind. A disabled source is skipped: ok is true
/// and archive_path empty.
FetchResult Fetch(const Source& src, const std::string& dest_dir,
                  const std::string& archive_name, const FetchOptions& opts);

/// Builds `<dest_dir>/<kind>-archive` (kind: "plugins" or "additions"):
/// each enabled source is fetched as `<dest_dir>/<name>-archive`, extracted
/// with SafeExtract into `<dest_dir>/<kind>` (PARITY(kolla): the folder is
/// shared by all sources of that kind, make_an_archive), and the folder is
/// archived under the name `<kind>`. With no sources the folder is empty
/// and the archive holds just it. On failure, error names the source or
/// the member that was refused.
FetchResult MakeMergedArchive(const std::vector<Source>& srcs,
                              const std::string& dest_dir,
                              const std::string& kind,
                              const FetchOptions& opts);

/// Extracts the tar `archive` (any compression) into `dest_dir`, which is
/// created if missing; the destination may be relative or reached through
/// links. Refuses, before writing it, any member that could land outside
/// (B029): absolute names, `..` escapes, symlinks whose target is absolute,
/// climbs out, or has `..` after a name, hardlinks to names outside or to
/// symlinks, names that pass through any symlink (extracted or already
/// there), files replacing folders, and device, fifo or socket members. An
/// existing file or link at a member's name is replaced, never written
/// through. Modes keep only the rwx bits. Returns the error, naming the
/// member, or nullopt. Members written before a refusal stay, all inside.
std::optional<std::string> SafeExtract(const std::string& archive,
                                       const std::string& dest_dir);

/// Writes a reproducible tar of the tree at `root` to `out_path`, its top
/// member named `arcname` (B031): uid/gid 0, owner root:root, mtime 0,
/// each folder's entries in byte order, depth first (PARITY(kolla):
/// tarfile.add), symlinks stored as links, repeated inodes as hardlinks,
/// PAX headers only for long or non-ASCII names. `root` may also be a
/// single file. The file is written under a temporary name then renamed,
/// and its own atime/mtime set to 0. Returns the error, or nullopt.
std::optional<std::string> WriteTreeArchive(const std::string& root,
                                            const std::string& arcname,
                                            const std::string& out_path);

/// Copies the folder `from` over `to` (created if missing), replacing files
/// that exist, and following symlinks so each one becomes the file or
/// folder it points to (B032, PARITY(kolla): copy_dir's shutil.copytree).
/// Returns the error, naming the path, or nullopt.
std::optional<std::string> CopyTreeFollowingLinks(const std::string& from,
                                                  const std::string& to);

/// Sets the atime and mtime of `root` and everything under it to 0, without
/// following symlinks (PARITY(kolla): done before each build so the layer
/// cache stays valid). Returns the error, or nullopt.
std::optional<std::string> ResetMtimes(const std::string& root);

}  // namespace kb::sources

#endif  // KB_SOURCES_SOURCES_H_
