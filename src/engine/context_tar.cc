#include "engine/context_tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kb::engine {
namespace {

constexpr size_t kChunk = 64 * 1024;

std::string Errno() { return std::strerror(errno); }

// libarchive's message, which may be absent.
std::string ArchiveError(struct archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "unknown libarchive error";
}

// libarchive converts names from the thread's locale charset to UTF-8 for
// PAX records; under the "C" locale any non-ASCII name fails (and an entry
// given only a UTF-8 name crashes 3.6.2's pax writer). Names on disk are
// UTF-8, so header writes run under C.UTF-8, for this thread only.
class ScopedUtf8Locale {
 public:
  ScopedUtf8Locale() {
    locale_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (locale_) previous_ = uselocale(locale_);
  }
  ~ScopedUtf8Locale() {
    if (!locale_) return;
    uselocale(previous_);
    freelocale(locale_);
  }
  ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
  ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

 private:
  locale_t locale_ = static_cast<locale_t>(0);
  locale_t previous_ = static_cast<locale_t>(0);
};

std::string Join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

}  // namespace

ContextTar::ContextTar() = default;

ContextTar::~ContextTar() {
  if (fd_ >= 0) close(fd_);
  if (archive_) archive_write_free(archive_);
}

void ContextTar::ReplaceFile(const std::string& name, std::string content) {
  replaced_[name] = std::move(content);
}

std::optional<std::string> ContextTar::Open(const std::string& dir) {
  root_ = dir;
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    return error_ = "cannot read build context '" + dir + "': " + Errno();
  }
  if (!S_ISDIR(st.st_mode)) {
    return error_ = "build context '" + dir + "' is not a folder";
  }
  std::string ignore_path = dir + "/.dockerignore";
  if (stat(ignore_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    std::ifstream in(ignore_path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return error_ = "cannot read '" + ignore_path + "': " + Errno();
    }
    ignore_ = DockerIgnore::Parse(text.str());
  }
  if (auto err = Walk("")) return error_ = *err;

  ScopedUtf8Locale utf8;
  archive_ = archive_write_new();
  // Restricted PAX: plain ustar headers unless a name or link is too long or
  // not ASCII, and then a PAX record holding it in UTF-8.
  if (archive_write_set_format_pax_restricted(archive_) != ARCHIVE_OK ||
      archive_write_open2(archive_, this, nullptr, &ContextTar::OnArchiveWrite,
                          nullptr, nullptr) != ARCHIVE_OK) {
    return error_ = "cannot start tar: " + ArchiveError(archive_);
  }
  return std::nullopt;
}

std::optional<std::string> ContextTar::Walk(const std::string& rel) {
  std::string path = Join(root_, rel);
  DIR* dir = opendir(path.c_str());
  if (!dir) return "cannot read folder '" + path + "': " + Errno();
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  int read_errno = errno;
  closedir(dir);
  if (read_errno != 0) {
    return "cannot read folder '" + path + "': " + std::strerror(read_errno);
  }
  // PARITY(kolla): sorted(os.listdir()) at each level; byte order equals
  // code point order for UTF-8 names.
  std::sort(names.begin(), names.end());

  for (const std::string& name : names) {
    std::string member = Join(rel, name);
    std::string full = Join(root_, member);
    struct stat st;
    if (lstat(full.c_str(), &st) != 0) {
      return "cannot stat '" + full + "': " + Errno();
    }
    bool excluded = ignore_.Excludes(member);
    if (excluded && !(S_ISDIR(st.st_mode) && ignore_.MustDescend(member))) {
      continue;
    }
    Member m{member, st.st_mode, 0, ""};
    if (S_ISREG(st.st_mode)) {
      m.size = st.st_size;
      if (auto r = replaced_.find(member); r != replaced_.end()) {
        m.content = &r->second;
        m.size = static_cast<off_t>(r->second.size());
      }
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = readlink(full.c_str(), target.data(), target.size());
      if (n < 0) return "cannot read link '" + full + "': " + Errno();
      target.resize(static_cast<size_t>(n));
      m.link_target = std::move(target);
    } else if (S_ISSOCK(st.st_mode)) {
      continue;  // tar cannot hold a socket, and a build never needs one
    } else if (!S_ISDIR(st.st_mode)) {
      return "cannot put '" + full +
             "' in the build context: not a file, "
             "folder or symlink";
    }
    // A left-out folder that is walked for an exception inside it has no
    // member of its own (as with docker-py).
    if (!excluded) members_.push_back(std::move(m));
    if (S_ISDIR(st.st_mode)) {
      if (auto err = Walk(member)) return err;
    }
  }
  return std::nullopt;
}

ssize_t ContextTar::OnArchiveWrite(struct archive*, void* self, const void* buf,
                                   size_t size) {
  static_cast<ContextTar*>(self)->out_.append(static_cast<const char*>(buf),
                                              size);
  return static_cast<ssize_t>(size);
}

ptrdiff_t ContextTar::Read(char* out, size_t size) {
  if (!error_.empty()) return -1;
  while (out_.size() - out_pos_ < size && !closed_) {
    if (!Step()) return -1;
  }
  size_t n = std::min(size, out_.size() - out_pos_);
  std::memcpy(out, out_.data() + out_pos_, n);
  out_pos_ += n;
  // Keep the buffer small: drop what was handed out once it is most of it.
  if (out_pos_ > kChunk && out_pos_ * 2 > out_.size()) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  return static_cast<ptrdiff_t>(n);
}

bool ContextTar::Step() {
  if (fd_ >= 0) return CopyFileChunk();
  if (next_ < members_.size()) return WriteHeader(members_[next_++]);
  if (archive_write_close(archive_) != ARCHIVE_OK) {
    error_ = "cannot finish tar: " + ArchiveError(archive_);
    return false;
  }
  closed_ = true;
  return true;
}

bool ContextTar::WriteHeader(const Member& member) {
  std::string full = Join(root_, member.name);
  if (S_ISREG(member.mode) && member.size > 0 && !member.content) {
    fd_ = open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0) {
      error_ = "cannot read '" + full + "': " + Errno();
      return false;
    }
    remaining_ = member.size;
    current_ = full;
  }

  ScopedUtf8Locale utf8;
  struct archive_entry* entry = archive_entry_new();
  archive_entry_copy_pathname(entry, member.name.c_str());
  archive_entry_set_mode(entry, member.mode & (S_IFMT | 07777));
  archive_entry_set_size(entry, S_ISREG(member.mode) ? member.size : 0);
  if (S_ISLNK(member.mode)) {
    archive_entry_copy_symlink(entry, member.link_target.c_str());
  }
  // B031: owner root and mtime 0, whoever runs us and whenever.
  archive_entry_set_uid(entry, 0);
  archive_entry_set_gid(entry, 0);
  archive_entry_copy_uname(entry, "root");
  archive_entry_copy_gname(entry, "root");
  archive_entry_set_mtime(entry, 0, 0);
  int rc = archive_write_header(archive_, entry);
  archive_entry_free(entry);
  // ARCHIVE_WARN: a name that is not UTF-8 went out as raw bytes.
  if (rc < ARCHIVE_WARN) {
    error_ = "cannot add '" + full +
             "' to the build context: " + ArchiveError(archive_);
    return false;
  }
  if (member.content && !member.content->empty() &&
      archive_write_data(archive_, member.content->data(),
                         member.content->size()) !=
          static_cast<la_ssize_t>(member.content->size())) {
    error_ = "cannot add '" + full +
             "' to the build context: " + ArchiveError(archive_);
    return false;
  }
  return true;
}

bool ContextTar::CopyFileChunk() {
  char buf[kChunk];
  size_t want = static_cast<size_t>(std::min<off_t>(remaining_, kChunk));
  ssize_t n = want == 0 ? 0 : read(fd_, buf, want);
  if (n < 0) {
    error_ = "cannot read '" + current_ + "': " + Errno();
    return false;
  }
  if (n == 0) {
    close(fd_);
    fd_ = -1;
    if (remaining_ != 0) {
      // The header already promised the old size.
      error_ = "file '" + current_ + "' changed while it was sent";
      return false;
    }
    return true;
  }
  if (archive_write_data(archive_, buf, static_cast<size_t>(n)) != n) {
    error_ = "cannot add '" + current_ +
             "' to the build context: " + ArchiveError(archive_);
    return false;
  }
  remaining_ -= n;
  return true;
}

std::optional<std::string> TarDirectory(const std::string& dir,
                                        std::string* out) {
  out->clear();
  ContextTar tar;
  if (auto err = tar.Open(dir)) return err;
  char buf[kChunk];
  for (;;) {
    ptrdiff_t n = tar.Read(buf, sizeof buf);
    if (n < 0) return tar.error();
    if (n == 0) return std::nullopt;
    out->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace kb::engine
