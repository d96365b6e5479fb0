// Reproducible tar writing (B031), safe extraction (B029) and the tree
// helpers (B032).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sources/internal.h"
#include "sources/sources.h"

namespace kb::sources {
namespace {

namespace fs = std::filesystem;

std::string Errno(int err) { return std::strerror(err); }

/// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// ---------------------------------------------------------------------------
// Writing.

/// Walks a tree and appends every entry to an open archive.
class TreeWriter {
 public:
  TreeWriter(struct archive* a, dev_t skip_dev, ino_t skip_ino)
      : a_(a), skip_dev_(skip_dev), skip_ino_(skip_ino) {}

  std::optional<std::string> Add(const std::string& path,
                                 const std::string& arcname, bool follow) {
    struct stat st;
    int rc = follow ? stat(path.c_str(), &st) : lstat(path.c_str(), &st);
    if (rc != 0) return "cannot stat '" + path + "': " + Errno(errno);
    if (st.st_dev == skip_dev_ && st.st_ino == skip_ino_) return std::nullopt;
    // PARITY(kolla): tarfile ignores sockets.
    if (S_ISSOCK(st.st_mode)) return std::nullopt;

    archive_entry* e = archive_entry_new();
    bool is_dir = S_ISDIR(st.st_mode);
    archive_entry_set_pathname(
        e, is_dir ? (arcname + "/").c_str() : arcname.c_str());
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_uname(e, "root");
    archive_entry_set_gname(e, "root");
    archive_entry_set_mtime(e, 0, 0);
    archive_entry_set_perm(e, st.st_mode & 07777);
    archive_entry_set_size(e, 0);

    std::optional<std::string> err;
    bool write_data = false;
    auto inode = std::make_pair(st.st_dev, st.st_ino);
    if (S_ISREG(st.st_mode) && st.st_nlink > 1 && inodes_.count(inode)) {
      // PARITY(kolla): tarfile stores a repeated inode as a hardlink to the
      // first name it was archived under.
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_hardlink(e, inodes_[inode].c_str());
    } else if (S_ISREG(st.st_mode)) {
      if (st.st_nlink > 1) inodes_[inode] = arcname;
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_size(e, st.st_size);
      write_data = true;
    } else if (is_dir) {
      archive_entry_set_filetype(e, AE_IFDIR);
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(st.st_size > 0 ? st.st_size + 1 : 4096, '\0');
      ssize_t n = readlink(path.c_str(), target.data(), target.size());
      if (n < 0) err = "cannot read link '" + path + "': " + Errno(errno);
      target.resize(n < 0 ? 0 : n);
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, target.c_str());
    } else {
      archive_entry_set_filetype(e, st.st_mode & S_IFMT);
      archive_entry_set_rdev(e, st.st_rdev);
    }

    if (!err && archive_write_header(a_, e) < ARCHIVE_WARN) {
      err = "cannot archive '" + path + "': " + archive_error_string(a_);
    }
    archive_entry_free(e);
    if (!err && write_data) err = CopyData(path, st.st_size);
    if (err || !is_dir) return err;

    // PARITY(kolla): tarfile.add recurses into sorted(os.listdir()), so
    // each folder's entries come in byte order, depth first.
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return "cannot list '" + path + "': " + ec.message();
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      err = Add(path + "/" + name, arcname + "/" + name, false);
      if (err) return err;
    }
    return std::nullopt;
  }

 private:
  std::optional<std::string> CopyData(const std::string& path, off_t size) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.ok()) return "cannot open '" + path + "': " + Errno(errno);
    std::vector<char> buf(1 << 16);
    off_t left = size;
    while (left > 0) {
      ssize_t n = read(fd.get(), buf.data(),
                       std::min<off_t>(left, static_cast<off_t>(buf.size())));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return "cannot read '" + path + "': " + Errno(errno);
      // The file shrank while we read it; the header already promised
      // `size` bytes, so the archive would be corrupt.
      if (n == 0) return "file '" + path + "' changed while archiving";
      if (archive_write_data(a_, buf.data(), n) != n) {
        return "cannot archive '" + path + "': " + archive_error_string(a_);
      }
      left -= n;
    }
    return std::nullopt;
  }

  struct archive* a_;
  dev_t skip_dev_;
  ino_t skip_ino_;
  std::map<std::pair<dev_t, ino_t>, std::string> inodes_;
};

// ---------------------------------------------------------------------------
// Extraction.

/// Splits a member name into components, dropping empty and "." ones and
/// applying "..". Returns false if ".." climbs above the top.
bool NormalizeName(std::string_view name, std::vector<std::string>* out) {
  out->clear();
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find('/', pos);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (out->empty()) return false;
      out->pop_back();
      continue;
    }
    out->emplace_back(part);
  }
  return true;
}

std::string Join(const std::vector<std::string>& parts, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && i < parts.size(); ++i) {
    if (i) s += '/';
    s += parts[i];
  }
  return s;
}

/// Extracts one archive below one real, absolute folder. Every path is
/// opened relative to that folder's descriptor, one component at a time,
/// with O_NOFOLLOW, so nothing is ever written through a symlink, whatever
/// the tree already holds.
class Extractor {
 public:
  Extractor(struct archive* a, std::string archive_path)
      : a_(a), archive_path_(std::move(archive_path)) {}

  std::optional<std::string> Run(const std::string& dest) {
    root_ = Fd(open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_.ok()) return "cannot open '" + dest + "': " + Errno(errno);
    archive_entry* e = nullptr;
    while (true) {
      int rc = archive_read_next_header(a_, &e);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        return "cannot read '" + archive_path_ +
               "': " + archive_error_string(a_);
      }
      auto err = Member(e);
      if (err) return err;
    }
    return FixFolderModes();
  }

 private:
  std::string Refuse(const std::string& reason) const {
    return "unsafe member '" + member_ + "' in '" + archive_path_ +
           "': " + reason;
  }

  std::string Failed(const std::string& what, int err) const {
    return "cannot extract member '" + member_ + "' of '" + archive_path_ +
           "': " + what + ": " + Errno(err);
  }

  std::optional<std::string> Member(archive_entry* e) {
    const char* name = archive_entry_pathname(e);
    if (!name) name = archive_entry_pathname_utf8(e);
    member_ = name ? name : "";
    if (member_.empty()) return Refuse("empty name");
    if (member_[0] == '/') return Refuse("absolute name");
    std::vector<std::string> parts;
    if (!NormalizeName(member_, &parts)) {
      return Refuse("it leaves the destination");
    }

    // The hardlink check comes first: libarchive reports a hardlink's type
    // as that of its target.
    const char* hardlink = archive_entry_hardlink(e);
    if (!hardlink) hardlink = archive_entry_hardlink_utf8(e);
    mode_t type = archive_entry_filetype(e);
    if (hardlink) return Hardlink(parts, hardlink);
    if (type == AE_IFDIR) return Folder(parts, archive_entry_perm(e));
    if (parts.empty()) return Refuse("it names the destination itself");
    if (type == AE_IFREG) return File(parts, archive_entry_perm(e));
    if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(e);
      if (!target) target = archive_entry_symlink_utf8(e);
      return Symlink(parts, target ? target : "");
    }
    // The policy of Python's `data` extraction filter.
    return Refuse("device, fifo or socket members are not extracted");
  }

  /// Opens the folder made of the first `n` components of `parts`, creating
  /// missing ones when `create`. A symlink on the way is refused.
  std::optional<std::string> OpenFolder(const std::vector<std::string>& parts,
                                        size_t n, bool create, Fd* out) {
    Fd cur(dup(root_.get()));
    for (size_t i = 0; i < n; ++i) {
      const char* part = parts[i].c_str();
      int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
      Fd next(openat(cur.get(), part, flags));
      if (!next.ok() && errno == ENOENT && create) {
        if (mkdirat(cur.get(), part, 0700) != 0 && errno != EEXIST) {
          return Failed("cannot create '" + Join(parts, i + 1) + "'", errno);
        }
        // Folders the archive does not list get a fixed mode, so the
        // result does not depend on the umask.
        fchmodat(cur.get(), part, 0755, 0);
        next = Fd(openat(cur.get(), part, flags));
      }
      if (!next.ok()) {
        int err = errno;
        struct stat st;
        if (fstatat(cur.get(), part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(st.st_mode)) {
          return Refuse("it goes through the symlink '" + Join(parts, i + 1) +
                        "'");
        }
        if (err == ENOTDIR) {
          return Refuse("'" + Join(parts, i + 1) + "' is not a folder");
        }
        return Failed("cannot open '" + Join(parts, i + 1) + "'", err);
      }
      cur = std::move(next);
    }
    *out = std::move(cur);
    return std::nullopt;
  }

  /// Removes whatever non-folder sits at the member's final name, so the
  /// new member replaces it instead of being written through it.
  std::optional<std::string> ClearName(int dir, const std::string& base,
                                       const std::vector<std::string>& parts) {
    struct stat st;
    if (fstatat(dir, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return std::nullopt;
    }
    if (S_ISDIR(st.st_mode)) {
      return Refuse("it would replace the folder '" +
                    Join(parts, parts.size()) + "'");
    }
    if (unlinkat(dir, base.c_str(), 0) != 0) {
      return Failed("cannot replace '" + Join(parts, parts.size()) + "'",
                    errno);
    }
    return std::nullopt;
  }

  std::optional<std::string> Folder(const std::vector<std::string>& parts,
                                    mode_t perm) {
    if (parts.empty()) return std::nullopt;  // "./": the destination itself
    Fd parent;
    auto err = OpenFolder(parts, parts.size() - 1, true, &parent);
    if (err) return err;
    struct stat st;
    const char* base = parts.back().c_str();
    if (fstatat(parent.get(), base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISDIR(st.st_mode)) {
      if (unlinkat(parent.get(), base, 0) != 0) {
        return Failed("cannot replace '" + Join(parts, parts.size()) + "'",
                      errno);
      }
    }
    Fd dir;
    err = OpenFolder(parts, parts.size(), true, &dir);
    if (err) return err;
    // Applied at the end, as tarfile does, so a read-only folder can still
    // receive its members.
    folder_modes_.emplace_back(parts, perm & 0777);
    return std::nullopt;
  }

  std::optional<std::string> File(const std::vector<std::string>& parts,
                                  mode_t perm) {
    Fd parent;
    auto err = OpenFolder(parts, parts.size() - 1, true, &parent);
    if (err) return err;
    const std::string& base = parts.back();
    err = ClearName(parent.get(), base, parts);
    if (err) return err;
    Fd out(openat(parent.get(), base.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.ok()) return Failed("cannot create", errno);

    const void* buf;
    size_t size;
    la_int64_t offset;
    la_int64_t end = 0;
    while (true) {
      int rc = archive_read_data_block(a_, &buf, &size, &offset);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        return "cannot read member '" + member_ + "' of '" + archive_path_ +
               "': " + archive_error_string(a_);
      }
      const char* p = static_cast<const char*>(buf);
      size_t done = 0;
      while (done < size) {
        ssize_t n = pwrite(out.get(), p + done, size - done, offset + done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Failed("cannot write", errno);
        done += n;
      }
      end = offset + size;
    }
    // Sparse members may end in a hole.
    if (ftruncate(out.get(), std::max<la_int64_t>(end, 0)) != 0 &&
        errno != EINVAL) {
      return Failed("cannot write", errno);
    }
    if (fchmod(out.get(), perm & 0777) != 0) return Failed("chmod", errno);
    return std::nullopt;
  }

  std::optional<std::string> Symlink(const std::vector<std::string>& parts,
                                     const std::string& target) {
    if (target.empty()) return Refuse("symlink with an empty target");
    if (target[0] == '/') {
      return Refuse("symlink target '" + target + "' is absolute");
    }
    // Only leading ".." are allowed: they climb real folders (nothing is
    // ever created through a link), so the link provably resolves inside
    // no matter which links exist now or later. "a/../b" could climb out
    // of wherever the link 'a' points, and is refused.
    std::vector<std::string> where(parts.begin(), parts.end() - 1);
    bool seen_name = false;
    size_t start = 0;
    while (start <= target.size()) {
      size_t end = target.find('/', start);
      if (end == std::string::npos) end = target.size();
      std::string_view part(target.data() + start, end - start);
      start = end + 1;
      if (part.empty() || part == ".") continue;
      if (part != "..") {
        seen_name = true;
        continue;
      }
      if (seen_name) {
        return Refuse("symlink target '" + target + "' has '..' after a name");
      }
      if (where.empty()) {
        return Refuse("symlink target '" + target + "' leaves the destination");
      }
      where.pop_back();
    }

    Fd parent;
    auto err = OpenFolder(parts, parts.size() - 1, true, &parent);
    if (err) return err;
    err = ClearName(parent.get(), parts.back(), parts);
    if (err) return err;
    if (symlinkat(target.c_str(), parent.get(), parts.back().c_str()) != 0) {
      return Failed("cannot create symlink", errno);
    }
    return std::nullopt;
  }

  std::optional<std::string> Hardlink(const std::vector<std::string>& parts,
                                      const std::string& target) {
    if (target.empty()) return Refuse("hardlink with an empty target");
    if (target[0] == '/') {
      return Refuse("hardlink target '" + target + "' is absolute");
    }
    std::vector<std::string> tparts;
    if (!NormalizeName(target, &tparts) || tparts.empty()) {
      return Refuse("hardlink target '" + target + "' leaves the destination");
    }
    if (parts.empty()) return Refuse("it names the destination itself");

    // The target must already be extracted, reached without links.
    Fd tdir;
    auto err = OpenFolder(tparts, tparts.size() - 1, false, &tdir);
    if (err) {
      return Refuse("hardlink target '" + target + "' is not inside the " +
                    "destination");
    }
    struct stat st;
    if (fstatat(tdir.get(), tparts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) !=
            0 ||
        S_ISDIR(st.st_mode)) {
      return Refuse("hardlink target '" + target + "' was not extracted");
    }
    // A hardlink to a symlink is a second symlink with the same target
    // text, which can escape from another folder ("a/b/l -> ../x" is
    // inside, "l -> ../x" is not).
    if (S_ISLNK(st.st_mode)) {
      return Refuse("hardlink target '" + target + "' is a symlink");
    }
    if (parts == tparts) return std::nullopt;  // a link to itself

    Fd parent;
    err = OpenFolder(parts, parts.size() - 1, true, &parent);
    if (err) return err;
    err = ClearName(parent.get(), parts.back(), parts);
    if (err) return err;
    if (linkat(tdir.get(), tparts.back().c_str(), parent.get(),
               parts.back().c_str(), 0) != 0) {
      return Failed("cannot create hardlink", errno);
    }
    return std::nullopt;
  }

  std::optional<std::string> FixFolderModes() {
    // Deepest first, so a read-only parent does not block its children.
    std::sort(folder_modes_.begin(), folder_modes_.end(),
              [](const auto& a, const auto& b) {
                return a.first.size() > b.first.size();
              });
    for (const auto& [parts, perm] : folder_modes_) {
      Fd dir;
      member_ = Join(parts, parts.size());
      auto err = OpenFolder(parts, parts.size(), false, &dir);
      if (err) continue;  // replaced by a later member
      if (fchmod(dir.get(), perm) != 0) return Failed("chmod", errno);
    }
    return std::nullopt;
  }

  struct archive* a_;
  std::string archive_path_;
  Fd root_;
  std::string member_;
  std::vector<std::pair<std::vector<std::string>, mode_t>> folder_modes_;
};

}  // namespace

std::optional<std::string> WriteTreeArchive(const std::string& root,
                                            const std::string& arcname,
                                            const std::string& out_path) {
  ScopedUtf8Locale utf8;
  TempFile tmp;
  auto err = tmp.Create(out_path);
  if (err) return err;
  struct stat tst;
  fstat(tmp.fd(), &tst);

  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_none(a);
  // PARITY(kolla): tarfile pads to whole 10240-byte records; libarchive
  // would stop after the end blocks when writing to a regular file.
  archive_write_set_bytes_per_block(a, 10240);
  archive_write_set_bytes_in_last_block(a, 10240);
  if (archive_write_open_fd(a, tmp.fd()) != ARCHIVE_OK) {
    err = "cannot write '" + out_path + "': " + archive_error_string(a);
  }
  if (!err) {
    TreeWriter writer(a, tst.st_dev, tst.st_ino);
    err = writer.Add(root, arcname, true);
  }
  if (!err && archive_write_close(a) != ARCHIVE_OK) {
    err = "cannot write '" + out_path + "': " + archive_error_string(a);
  }
  archive_write_free(a);
  if (err) return err;
  return tmp.Commit(true);
}

std::optional<std::string> SafeExtract(const std::string& archive,
                                       const std::string& dest_dir) {
  // Compare against the real, absolute destination, whatever form the
  // caller used (B029: a relative work dir made upstream refuse all).
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  if (ec) return "cannot create '" + dest_dir + "': " + ec.message();
  fs::path real = fs::canonical(dest_dir, ec);
  if (ec) return "cannot resolve '" + dest_dir + "': " + ec.message();

  ScopedUtf8Locale utf8;
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  std::optional<std::string> err;
  if (archive_read_open_filename(a, archive.c_str(), 1 << 16) != ARCHIVE_OK) {
    err = "cannot read '" + archive + "': " + archive_error_string(a);
  } else {
    Extractor x(a, archive);
    err = x.Run(real.string());
  }
  archive_read_free(a);
  return err;
}

namespace {

std::optional<std::string> CopyFollowing(
    const fs::path& from, const fs::path& to,
    std::set<std::pair<dev_t, ino_t>>* stack) {
  struct stat st;
  if (stat(from.c_str(), &st) != 0) {
    return "cannot copy '" + from.string() + "': " + Errno(errno);
  }
  std::error_code ec;
  if (!S_ISDIR(st.st_mode)) {
    // Never write through a link that is already at the destination.
    if (fs::is_symlink(fs::symlink_status(to, ec))) fs::remove(to, ec);
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return "cannot copy '" + from.string() + "': " + ec.message();
    return std::nullopt;
  }

  auto id = std::make_pair(st.st_dev, st.st_ino);
  if (!stack->insert(id).second) {
    return "cannot copy '" + from.string() + "': symlink loop";
  }
  if (fs::is_symlink(fs::symlink_status(to, ec))) fs::remove(to, ec);
  fs::create_directories(to, ec);
  if (ec) return "cannot create '" + to.string() + "': " + ec.message();
  for (fs::directory_iterator it(from, ec), end; !ec && it != end;
       it.increment(ec)) {
    auto err = CopyFollowing(it->path(), to / it->path().filename(), stack);
    if (err) return err;
  }
  if (ec) return "cannot list '" + from.string() + "': " + ec.message();
  chmod(to.c_str(), st.st_mode & 07777);
  stack->erase(id);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CopyTreeFollowingLinks(const std::string& from,
                                                  const std::string& to) {
  std::set<std::pair<dev_t, ino_t>> stack;
  return CopyFollowing(from, to, &stack);
}

std::optional<std::string> ResetMtimes(const std::string& root) {
  const struct timespec zero[2] = {{0, 0}, {0, 0}};
  if (utimensat(AT_FDCWD, root.c_str(), zero, AT_SYMLINK_NOFOLLOW) != 0) {
    return "cannot set the time of '" + root + "': " + Errno(errno);
  }
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(root, ec))) return std::nullopt;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (utimensat(AT_FDCWD, it->path().c_str(), zero, AT_SYMLINK_NOFOLLOW) !=
        0) {
      return "cannot set the time of '" + it->path().string() +
             "': " + Errno(errno);
    }
  }
  if (ec) return "cannot list '" + root + "': " + ec.message();
  return std::nullopt;
}

}  // namespace kb::sources
