// The build context of `POST /build`, produced as a tar stream on demand.

#ifndef KB_ENGINE_CONTEXT_TAR_H_
#define KB_ENGINE_CONTEXT_TAR_H_

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/dockerignore.h"

struct archive;

namespace kb::engine {

/// Produces a normalised tar of a folder a piece at a time, so the upload
/// can start at once and no temporary tar file is written. Members are
/// named relative to the folder ("Dockerfile", "dir/", "dir/file"), in a
/// depth-first walk that visits each folder's entries in byte order, with
/// uid/gid 0, uname/gname "root" and mtime 0; symlinks are stored as
/// symlinks; long or non-ASCII names get PAX headers (B031). The same tree
/// always gives the same bytes, so the daemon's layer cache stays valid.
/// A `.dockerignore` at the top leaves members out as docker-py does (see
/// DockerIgnore).
class ContextTar {
 public:
  ContextTar();
  ~ContextTar();
  ContextTar(const ContextTar&) = delete;
  ContextTar& operator=(const ContextTar&) = delete;

  /// Sends `content` in place of the regular file `name` (relative to the
  /// folder) when the folder has one. Call before Open().
  void ReplaceFile(const std::string& name, std::string content);

  /// Lists `dir` (metadata only; files are read later by Read()). Returns
  /// an error message when a folder cannot be read or a member has a type
  /// tar cannot hold.
  std::optional<std::string> Open(const std::string& dir);

  /// Writes up to `size` bytes of the tar into `out`; returns how many, 0
  /// at the end, or -1 on failure (see error()).
  ptrdiff_t Read(char* out, size_t size);

  /// Why Open() or Read() failed.
  const std::string& error() const { return error_; }

 private:
  struct Member {
    std::string name;  // relative, '/'-separated
    mode_t mode;
    off_t size;
    std::string link_target;  // for symlinks
    const std::string* content = nullptr;  // replaces the file's bytes
  };

  std::optional<std::string> Walk(const std::string& rel);
  bool Step();
  bool WriteHeader(const Member& member);
  bool CopyFileChunk();
  static ssize_t OnArchiveWrite(struct archive*, void* self, const void* buf,
                                size_t size);

  std::string root_;
  std::map<std::string, std::string> replaced_;
  DockerIgnore ignore_;
  std::vector<Member> members_;
  size_t next_ = 0;
  int fd_ = -1;          // open regular member being copied
  off_t remaining_ = 0;  // its bytes still to copy
  std::string current_;  // its name, for messages
  struct archive* archive_ = nullptr;
  bool closed_ = false;
  std::string out_;  // bytes produced but not yet handed to Read()
  size_t out_pos_ = 0;
  std::string error_;
};

/// Writes the whole tar of `dir` to `*out` (for tests and small contexts).
std::optional<std::string> TarDirectory(const std::string& dir,
                                        std::string* out);

}  // namespace kb::engine

#endif  // KB_ENGINE_CONTEXT_TAR_H_
