// B031: archives are reproducible; B032: the tree copy follows links;
// `local` sources.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sources/sources.h"
#include "sources/test_util.h"

namespace kb::sources {
namespace {

namespace fs = std::filesystem;
using testing::Member;
using testing::Names;
using testing::ReadFile;
using testing::ReadTar;
using testing::Sha256;
using testing::TempDir;
using testing::WriteFile;

/// Sets a path's times without following links.
void Touch(const std::string& path, time_t t) {
  const struct timespec ts[2] = {{t, 0}, {t, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), ts, AT_SYMLINK_NOFOLLOW), 0);
}

/// Gives every path under `root` these times and, when running as root,
/// this owner (as a plain user the files are already not root's).
void Scramble(const std::string& root, uid_t uid, time_t t) {
  bool chown_ok = geteuid() == 0;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (chown_ok) {
      ASSERT_EQ(lchown(e.path().c_str(), uid, uid), 0);
    }
    Touch(e.path(), t);
  }
  if (chown_ok) {
    ASSERT_EQ(lchown(root.c_str(), uid, uid), 0);
  }
  Touch(root, t);
}

class LocalArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    src_ = tmp_ / "keystone";
    WriteFile(src_ + "/a/b", "b\n");
    WriteFile(src_ + "/a-c", "a-c\n");
    WriteFile(src_ + "/run.sh", "#!/bin/sh\n");
    fs::permissions(src_ + "/run.sh", fs::perms(0755));
    fs::permissions(src_ + "/a-c", fs::perms(0600));
    fs::create_symlink("a/b", src_ + "/z-link");
    fs::create_directory(src_ + "/empty");
    fs::create_directories(dest_.path());
  }

  FetchResult Build() {
    Source s{"keystone-base", "local", src_, std::nullopt, {}, true};
    return Fetch(s, dest_.path(), "keystone-base-archive", FetchOptions{});
  }

  TempDir tmp_;
  TempDir dest_;
  std::string src_;
};

TEST_F(LocalArchiveTest, MembersAreNormalizedAndInWalkOrder) {
  Scramble(src_, 1234, 1700000000);
  FetchResult r = Build();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.archive_path, dest_ / "keystone-base-archive");
  std::vector<Member> m = ReadTar(r.archive_path);
  // PARITY(kolla): tarfile.add's order: each folder's names sorted, depth
  // first ("a/b" before "a-c" although '-' sorts before '/').
  EXPECT_EQ(Names(m),
            (std::vector<std::string>{
                "keystone/", "keystone/a/", "keystone/a/b", "keystone/a-c",
                "keystone/empty/", "keystone/run.sh", "keystone/z-link"}));
  for (const Member& x : m) {
    EXPECT_EQ(x.uid, 0) << x.name;
    EXPECT_EQ(x.gid, 0) << x.name;
    EXPECT_EQ(x.uname, "root") << x.name;
    EXPECT_EQ(x.gname, "root") << x.name;
    EXPECT_EQ(x.mtime, 0) << x.name;
  }
  EXPECT_EQ(m[2].data, "b\n");
  EXPECT_EQ(m[3].mode, 0600);
  EXPECT_EQ(m[5].mode, 0755);
  EXPECT_EQ(m[5].data, "#!/bin/sh\n");
  EXPECT_EQ(m[6].type, 'l');
  EXPECT_EQ(m[6].data, "a/b");
}

TEST_F(LocalArchiveTest, TwoRunsAreByteIdentical) {
  WriteFile(src_ + "/\xc3\xbcml\xc3\xa4ut/" + std::string(120, 'n'), "pax");
  Scramble(src_, 1234, 1700000000);
  FetchResult r1 = Build();
  ASSERT_TRUE(r1.ok) << r1.error;
  std::string first = Sha256(r1.archive_path);
  std::string bytes = ReadFile(r1.archive_path);

  // Another owner, other times, a different wall clock: same bytes.
  Scramble(src_, 4321, 1800000000);
  sleep(1);
  FetchResult r2 = Build();
  ASSERT_TRUE(r2.ok) << r2.error;
  EXPECT_EQ(Sha256(r2.archive_path), first);
  EXPECT_EQ(ReadFile(r2.archive_path), bytes);
  EXPECT_EQ(bytes.size() % 10240, 0u);  // full tar records
}

TEST_F(LocalArchiveTest, ArchiveFileTimesAreZero) {
  FetchResult r = Build();
  ASSERT_TRUE(r.ok) << r.error;
  struct stat st;
  ASSERT_EQ(stat(r.archive_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mtime, 0);
  EXPECT_EQ(st.st_atime, 0);
}

TEST_F(LocalArchiveTest, NothingButTheArchiveIsLeftInTheDestination) {
  ASSERT_TRUE(Build().ok);
  EXPECT_EQ(testing::ListTree(dest_.path()),
            (std::vector<std::string>{"keystone-base-archive"}));
}

TEST_F(LocalArchiveTest, TrailingSlashKeepsTheFolderName) {
  Source s{"keystone-base", "local", src_ + "/", std::nullopt, {}, true};
  FetchResult r = Fetch(s, dest_.path(), "x-archive", FetchOptions{});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ReadTar(r.archive_path).at(0).name, "keystone/");
}

TEST_F(LocalArchiveTest, LongAndNonAsciiNamesUsePax) {
  std::string long_name(150, 'x');
  WriteFile(src_ + "/" + long_name, "long");
  WriteFile(src_ + "/d\xc3\xa9j\xc3\xa0.txt", "utf8");
  FetchResult r = Build();
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<std::string> names = Names(ReadTar(r.archive_path));
  EXPECT_NE(std::find(names.begin(), names.end(), "keystone/" + long_name),
            names.end());
  EXPECT_NE(
      std::find(names.begin(), names.end(), "keystone/d\xc3\xa9j\xc3\xa0.txt"),
      names.end());
  // Ustar headers only, except an 'x' (pax) header before each of those
  // two members.
  std::string bytes = ReadFile(r.archive_path);
  int pax = 0;
  for (size_t off = 0; off + 512 <= bytes.size(); off += 512) {
    if (bytes.compare(off + 257, 5, "ustar") != 0) continue;
    if (bytes[off + 156] == 'x') ++pax;
    if (bytes[off + 156] == 'L') ADD_FAILURE() << "GNU long name header";
  }
  EXPECT_EQ(pax, 2);
  // UTF-8 names are marked as such, not as raw bytes.
  EXPECT_EQ(bytes.find("hdrcharset"), std::string::npos);
}

TEST_F(LocalArchiveTest, RepeatedInodeIsAHardlink) {
  fs::create_hard_link(src_ + "/a/b", src_ + "/a/c");
  FetchResult r = Build();
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<Member> m = ReadTar(r.archive_path);
  ASSERT_EQ(m[3].name, "keystone/a/c");
  EXPECT_EQ(m[3].type, 'h');
  EXPECT_EQ(m[3].data, "keystone/a/b");
}

TEST_F(LocalArchiveTest, MembersMatchPythonTarfile) {
  // Oracle: upstream's own call, tarfile.add() with kolla's reset filter
  // plus mtime 0, listed member by member.
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no python3";
  fs::create_hard_link(src_ + "/a/b", src_ + "/a/c");
  WriteFile(src_ + "/\xc3\xa9t\xc3\xa9/" + std::string(110, 'q'), "q");
  ASSERT_TRUE(Build().ok);
  const char* kList =
      "import sys, tarfile\n"
      "def reset(t):\n"
      "    t.uid = t.gid = 0; t.uname = t.gname = 'root'; t.mtime = 0\n"
      "    return t\n"
      "if sys.argv[1] == 'make':\n"
      "    with tarfile.open(sys.argv[3], 'w') as tar:\n"
      "        tar.add(sys.argv[2], arcname='keystone', filter=reset)\n"
      "else:\n"
      "    for m in tarfile.open(sys.argv[2]).getmembers():\n"
      "        print(m.name, m.type, oct(m.mode), m.size, m.linkname,\n"
      "              m.uid, m.gid, m.uname, m.gname, m.mtime)\n";
  std::string py = tmp_ / "py.tar";
  testing::Run({"python3", "-c", kList, "make", src_, py});
  std::string theirs = testing::Run({"python3", "-c", kList, "list", py});
  std::string ours = testing::Run(
      {"python3", "-c", kList, "list", dest_ / "keystone-base-archive"});
  EXPECT_EQ(ours, theirs);
  EXPECT_NE(ours.find("keystone/a/c b'1' 0o644 0 keystone/a/b"),
            std::string::npos)
      << ours;
}

TEST_F(LocalArchiveTest, LocalFileIsCopied) {
  WriteFile(tmp_ / "src.tar.gz", std::string("\x1f\x8b binary\0x", 11));
  Source s{"keystone-base", "local", tmp_ / "src.tar.gz",
           std::nullopt,    {},      true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", {});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ReadFile(r.archive_path), ReadFile(tmp_ / "src.tar.gz"));
  struct stat st;
  ASSERT_EQ(stat(r.archive_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mtime, 0);
}

TEST_F(LocalArchiveTest, MissingLocalSourceIsAClearError) {
  Source s{"keystone-base", "local", tmp_ / "nope", std::nullopt, {}, true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", {});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "source 'keystone-base': cannot read local source '" +
                         (tmp_ / "nope") + "': No such file or directory");
  EXPECT_TRUE(testing::ListTree(dest_.path()).empty());
}

TEST_F(LocalArchiveTest, WrongTypeIsAClearError) {
  Source s{"keystone-base", "svn", src_, std::nullopt, {}, true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", {});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "source 'keystone-base': wrong source type 'svn'");
}

TEST_F(LocalArchiveTest, DisabledSourceIsSkipped) {
  Source s{"keystone-base", "local", src_, std::nullopt, {}, false};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", {});
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.archive_path, "");
  EXPECT_TRUE(testing::ListTree(dest_.path()).empty());
}

TEST(CopyTreeFollowingLinksTest, SymlinksBecomeTheirTargets) {
  // B032: kolla-toolbox's apt_preferences_rabbitmq.* link to ../rabbitmq.
  TempDir t;
  WriteFile(t / "docker/rabbitmq/apt_preferences", std::string(120, 'p'));
  WriteFile(t / "docker/kolla-toolbox/Dockerfile.j2", "FROM x\n");
  fs::create_symlink(
      "../rabbitmq/apt_preferences",
      t / "docker/kolla-toolbox/apt_preferences_rabbitmq.debian");
  fs::create_directory_symlink("../rabbitmq", t / "docker/kolla-toolbox/dir");
  ASSERT_FALSE(CopyTreeFollowingLinks(t / "docker", t / "work/docker"));
  std::string copied =
      t / "work/docker/kolla-toolbox/apt_preferences_rabbitmq.debian";
  EXPECT_FALSE(fs::is_symlink(copied));
  EXPECT_TRUE(fs::is_regular_file(copied));
  EXPECT_EQ(fs::file_size(copied), 120u);
  EXPECT_FALSE(fs::is_symlink(t / "work/docker/kolla-toolbox/dir"));
  EXPECT_EQ(ReadFile(t / "work/docker/kolla-toolbox/dir/apt_preferences"),
            std::string(120, 'p'));
}

TEST(CopyTreeFollowingLinksTest,
     OverlayReplacesFilesAndNeverWritesThroughLinks) {
  TempDir t;
  WriteFile(t / "victim", "untouched");
  WriteFile(t / "base/img/a", "base");
  WriteFile(t / "base/img/b", "base");
  WriteFile(t / "overlay/img/a", "overlay");
  WriteFile(t / "overlay/img/b", "overlay");
  ASSERT_FALSE(CopyTreeFollowingLinks(t / "base", t / "work"));
  fs::remove(t / "work/img/b");
  fs::create_symlink(t / "victim", t / "work/img/b");
  ASSERT_FALSE(CopyTreeFollowingLinks(t / "overlay", t / "work"));
  EXPECT_EQ(ReadFile(t / "work/img/a"), "overlay");
  EXPECT_EQ(ReadFile(t / "work/img/b"), "overlay");
  EXPECT_EQ(ReadFile(t / "victim"), "untouched");
}

TEST(CopyTreeFollowingLinksTest, BrokenLinkAndLoopAreErrors) {
  TempDir t;
  fs::create_directories(t / "a");
  fs::create_symlink("nowhere", t / "a/broken");
  auto err = CopyTreeFollowingLinks(t / "a", t / "out");
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "cannot copy '" + (t / "a/broken") +
                      "': No such file or directory");
  TempDir u, out;
  fs::create_directories(u / "a");
  fs::create_directory_symlink(".", u / "a/self");
  err = CopyTreeFollowingLinks(u / "a", out / "a");
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "cannot copy '" + (u / "a/self") + "': symlink loop");
}

TEST(ResetMtimesTest, EverythingGetsTimeZero) {
  TempDir t;
  WriteFile(t / "tree/a/b", "x");
  fs::create_symlink("a/b", t / "tree/link");
  ASSERT_FALSE(ResetMtimes(t / "tree"));
  for (std::string p :
       {t / "tree", t / "tree/a", t / "tree/a/b", t / "tree/link"}) {
    struct stat st;
    ASSERT_EQ(lstat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mtime, 0) << p;
  }
}

}  // namespace
}  // namespace kb::sources
