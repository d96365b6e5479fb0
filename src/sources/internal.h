// Helpers shared by the files of kb_sources; not part of its API.
#ifndef KB_SOURCES_INTERNAL_H_
#define KB_SOURCES_INTERNAL_H_

#include <optional>
#include <string>
#include <vector>

namespace kb::sources {

/// A file written under a temporary name beside its final path, then
/// renamed over it, so readers never see half a file. Removed if not
/// committed.
class TempFile {
 public:
  TempFile() = default;
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  /// Creates the temporary file for `final_path`. Returns the error.
  std::optional<std::string> Create(const std::string& final_path);
  int fd() const { return fd_; }
  const std::string& path() const { return tmp_path_; }

  /// Closes the file and renames it to the final path; with `zero_times`
  /// its atime and mtime become 0 (PARITY(kolla): os.utime(dest, (0, 0))).
  std::optional<std::string> Commit(bool zero_times);

 private:
  int fd_ = -1;
  std::string tmp_path_;
  std::string final_path_;
};

/// Makes this thread's character type locale C.UTF-8 while in scope.
/// libarchive converts names between the locale's charset and the UTF-8
/// of pax headers; in the default "C" locale every non-ASCII name would be
/// stored as "hdrcharset=BINARY" (and some calls crash on UTF-8-only
/// names). uselocale() changes only the calling thread.
class ScopedUtf8Locale {
 public:
  ScopedUtf8Locale();
  ~ScopedUtf8Locale();
  ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
  ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

 private:
  void* locale_ = nullptr;  // locale_t
  void* previous_ = nullptr;
};

/// What a finished subprocess left behind.
struct CommandResult {
  int exit_code = -1;  // -1 when it could not run or was killed
  bool timed_out = false;
  std::string output;  // stdout and stderr together
};

/// Runs `argv` (no shell) in `cwd`, killing it after `timeout_seconds`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& cwd, int timeout_seconds);

}  // namespace kb::sources

#endif  // KB_SOURCES_INTERNAL_H_
