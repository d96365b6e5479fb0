// B029: extraction of plugin and addition archives must never write
// outside the destination, whatever the archive holds and whatever form the
// destination path has.
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

using testing::Exists;
using testing::ListTree;
using testing::MakeTar;
using testing::Member;
using testing::ReadFile;
using testing::TempDir;

class SafeExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(work_ / "docker/img");
    dest_ = work_ / "docker/img/plugins";
  }

  /// Extracts a tar with `members` into the destination.
  std::optional<std::string> Extract(const std::string& tar_name,
                                     const std::vector<Member>& members) {
    tar_ = tmp_ / tar_name;
    MakeTar(tar_, members);
    return SafeExtract(tar_, dest_);
  }

  /// Nothing was created in the work dir except under the destination.
  void ExpectNothingOutside() {
    for (const std::string& p : ListTree(work_.path())) {
      EXPECT_TRUE(p == "docker/" || p == "docker/img/" ||
                  p.rfind("docker/img/plugins/", 0) == 0)
          << "written outside: " << p;
    }
  }

  TempDir work_;
  TempDir tmp_;
  std::string dest_;
  std::string tar_;
};

TEST_F(SafeExtractTest, SiblingPrefixIsRefused) {
  auto err = Extract("sibling.tar", {{"../plugins-evil/pwn.txt", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member '../plugins-evil/pwn.txt' in '" + tar_ +
                      "': it leaves the destination");
  EXPECT_FALSE(Exists(work_ / "docker/img/plugins-evil"));
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, DotDotIsRefused) {
  auto err = Extract("dotdot.tar", {{"../../etc/pwn.txt", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member '../../etc/pwn.txt' in '" + tar_ +
                      "': it leaves the destination");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, DotDotInsideAMemberNameThatEscapesIsRefused) {
  auto err = Extract("mid.tar", {{"repo/../../x", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/../../x' in '" + tar_ +
                      "': it leaves the destination");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, AbsoluteNameIsRefused) {
  std::string target = tmp_ / "abs-pwn.txt";
  auto err = Extract("abs.tar", {{target, 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err,
            "unsafe member '" + target + "' in '" + tar_ + "': absolute name");
  EXPECT_FALSE(Exists(target));
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, AbsoluteSymlinkThenFileThroughItIsRefused) {
  // The B029 layout: upstream wrote /tmp/outside/pwn.txt.
  std::string outside = tmp_ / "outside";
  std::filesystem::create_directories(outside);
  auto err = Extract("symlink.tar", {{"repo/link", 'l', outside},
                                     {"repo/link/pwn.txt", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/link' in '" + tar_ +
                      "': symlink target '" + outside + "' is absolute");
  EXPECT_FALSE(Exists(outside + "/pwn.txt"));
  EXPECT_FALSE(Exists(dest_ + "/repo/link"));
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, RelativeSymlinkLeavingIsRefused) {
  auto err = Extract("rel.tar", {{"repo/link", 'l', "../../x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/link' in '" + tar_ +
                      "': symlink target '../../x' leaves the destination");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, SymlinkWithDotDotAfterANameIsRefused) {
  // 'a' could itself be a link to '.', and then 'a/../../x' climbs out.
  auto err = Extract("mid.tar", {{"a", 'l', "."}, {"b", 'l', "a/../x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'b' in '" + tar_ +
                      "': symlink target 'a/../x' has '..' after a name");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, FileThroughAnInsideSymlinkIsRefused) {
  auto err = Extract("through.tar", {{"repo/sub/", 'd'},
                                     {"repo/link", 'l', "sub"},
                                     {"repo/link/pwn.txt", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/link/pwn.txt' in '" + tar_ +
                      "': it goes through the symlink 'repo/link'");
  EXPECT_FALSE(Exists(dest_ + "/repo/sub/pwn.txt"));
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, FileThroughASymlinkLeftByAnEarlierArchiveIsRefused) {
  // A link made by another source (or by hand) is not trusted either.
  std::filesystem::create_directories(dest_ + "/repo");
  std::filesystem::create_directory_symlink(tmp_.path(), dest_ + "/repo/up");
  auto err = Extract("later.tar", {{"repo/up/pwn.txt", 'f', "x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/up/pwn.txt' in '" + tar_ +
                      "': it goes through the symlink 'repo/up'");
  EXPECT_FALSE(Exists(tmp_ / "pwn.txt"));
}

TEST_F(SafeExtractTest, FileReplacesASymlinkInsteadOfWritingThroughIt) {
  std::string victim = tmp_ / "victim";
  testing::WriteFile(victim, "untouched");
  std::filesystem::create_directories(dest_ + "/repo");
  std::filesystem::create_symlink(victim, dest_ + "/repo/f");
  ASSERT_FALSE(Extract("replace.tar", {{"repo/f", 'f', "new"}}));
  EXPECT_EQ(ReadFile(victim), "untouched");
  EXPECT_FALSE(std::filesystem::is_symlink(dest_ + "/repo/f"));
  EXPECT_EQ(ReadFile(dest_ + "/repo/f"), "new");
}

TEST_F(SafeExtractTest, HardlinkLeavingIsRefused) {
  auto err = Extract("hardlink.tar", {{"repo/h", 'h', "../../etc/passwd"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err,
            "unsafe member 'repo/h' in '" + tar_ +
                "': hardlink target '../../etc/passwd' leaves the destination");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, AbsoluteHardlinkIsRefused) {
  auto err = Extract("hardlink.tar", {{"repo/h", 'h', "/etc/passwd"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/h' in '" + tar_ +
                      "': hardlink target '/etc/passwd' is absolute");
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, HardlinkThroughASymlinkIsRefused) {
  std::string secret = tmp_ / "secret";
  testing::WriteFile(secret, "s");
  auto err = Extract(
      "hardlink.tar",
      {{"repo/", 'd'}, {"repo/up", 'l', ".."}, {"repo/h", 'h', "repo/up/x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/h' in '" + tar_ +
                      "': hardlink target 'repo/up/x' is not inside the "
                      "destination");
}

TEST_F(SafeExtractTest, HardlinkToASymlinkIsRefused) {
  // The link's text is fine two levels down and escapes at the top.
  auto err =
      Extract("hardlink.tar", {{"a/b/l", 'l', "../x"}, {"top", 'h', "a/b/l"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'top' in '" + tar_ +
                      "': hardlink target 'a/b/l' is a symlink");
  EXPECT_FALSE(Exists(dest_ + "/top"));
}

TEST_F(SafeExtractTest, HardlinkToAMissingMemberIsRefused) {
  auto err = Extract("hardlink.tar", {{"repo/h", 'h', "repo/nothing"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/h' in '" + tar_ +
                      "': hardlink target 'repo/nothing' is not inside the "
                      "destination");
}

TEST_F(SafeExtractTest, HardlinkInsideIsExtractedAsAHardlink) {
  ASSERT_FALSE(
      Extract("hl.tar", {{"repo/a", 'f', "same"}, {"repo/b", 'h', "repo/a"}}));
  struct stat a, b;
  ASSERT_EQ(stat((dest_ + "/repo/a").c_str(), &a), 0);
  ASSERT_EQ(stat((dest_ + "/repo/b").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(ReadFile(dest_ + "/repo/b"), "same");
}

TEST_F(SafeExtractTest, FifoAndDeviceAreRefused) {
  auto err = Extract("fifo.tar", {{"repo/fifo", 'p'}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/fifo' in '" + tar_ +
                      "': device, fifo or socket members are not extracted");
  err = Extract("dev.tar", {{"repo/null", 'c'}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/null' in '" + tar_ +
                      "': device, fifo or socket members are not extracted");
  EXPECT_FALSE(Exists(dest_ + "/repo/null"));
}

TEST_F(SafeExtractTest, OkArchiveIsExtracted) {
  ASSERT_FALSE(Extract("ok.tar", {{"repo/setup.py", 'f', "print(1)\n", 0755},
                                  {"repo/docs/", 'd', "", 0750},
                                  {"repo/link", 'l', "setup.py"},
                                  {"repo/up", 'l', "../repo/docs"}}));
  EXPECT_EQ(ListTree(dest_),
            (std::vector<std::string>{"repo/", "repo/docs/", "repo/link",
                                      "repo/setup.py", "repo/up"}));
  EXPECT_EQ(ReadFile(dest_ + "/repo/setup.py"), "print(1)\n");
  EXPECT_EQ(std::filesystem::read_symlink(dest_ + "/repo/link"), "setup.py");
  struct stat st;
  ASSERT_EQ(stat((dest_ + "/repo/setup.py").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(stat((dest_ + "/repo/docs").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  ExpectNothingOutside();
}

TEST_F(SafeExtractTest, SetuidAndStickyBitsAreDropped) {
  ASSERT_FALSE(Extract(
      "suid.tar", {{"repo/", 'd', "", 01777}, {"repo/su", 'f', "x", 06755}}));
  struct stat st;
  ASSERT_EQ(stat((dest_ + "/repo/su").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(stat((dest_ + "/repo").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0777u);
}

TEST_F(SafeExtractTest, OkArchiveIsExtractedWithARelativeDestination) {
  // Upstream refused every archive when --work-dir was relative.
  MakeTar(tmp_ / "ok.tar", {{"repo/setup.py", 'f', "x"}});
  char cwd[4096];
  ASSERT_TRUE(getcwd(cwd, sizeof cwd));
  ASSERT_EQ(chdir(work_.path().c_str()), 0);
  auto err1 = SafeExtract(tmp_ / "ok.tar", "docker/img/plugins");
  auto err2 = SafeExtract(tmp_ / "ok.tar", "./docker/../docker/img/plugins/");
  ASSERT_EQ(chdir(cwd), 0);
  EXPECT_FALSE(err1) << *err1;
  EXPECT_FALSE(err2) << *err2;
  EXPECT_EQ(ReadFile(dest_ + "/repo/setup.py"), "x");
}

TEST_F(SafeExtractTest, SiblingIsRefusedWithARelativeDestination) {
  MakeTar(tmp_ / "sibling.tar", {{"../plugins-evil/pwn.txt", 'f', "x"}});
  char cwd[4096];
  ASSERT_TRUE(getcwd(cwd, sizeof cwd));
  ASSERT_EQ(chdir(work_.path().c_str()), 0);
  auto err = SafeExtract(tmp_ / "sibling.tar", "docker/img/plugins");
  ASSERT_EQ(chdir(cwd), 0);
  ASSERT_TRUE(err);
  EXPECT_FALSE(Exists(work_ / "docker/img/plugins-evil"));
}

TEST_F(SafeExtractTest, DestinationReachedThroughASymlinkWorks) {
  std::filesystem::create_directory_symlink(work_ / "docker",
                                            tmp_ / "docker-link");
  MakeTar(tmp_ / "ok.tar", {{"repo/setup.py", 'f', "x"}});
  auto err = SafeExtract(tmp_ / "ok.tar", tmp_ / "docker-link/img/plugins");
  EXPECT_FALSE(err) << *err;
  EXPECT_EQ(ReadFile(dest_ + "/repo/setup.py"), "x");
}

TEST_F(SafeExtractTest, GzipArchiveIsExtracted) {
  MakeTar(tmp_ / "ok.tar.gz", {{"repo/setup.py", 'f', "zipped"}}, true);
  ASSERT_FALSE(SafeExtract(tmp_ / "ok.tar.gz", dest_));
  EXPECT_EQ(ReadFile(dest_ + "/repo/setup.py"), "zipped");
}

TEST_F(SafeExtractTest, FileCannotReplaceAFolder) {
  auto err = Extract("dir.tar", {{"repo/x/", 'd'}, {"repo/x", 'f', "f"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unsafe member 'repo/x' in '" + tar_ +
                      "': it would replace the folder 'repo/x'");
}

TEST_F(SafeExtractTest, NotATarIsAClearError) {
  testing::WriteFile(tmp_ / "junk", "this is not a tar file");
  auto err = SafeExtract(tmp_ / "junk", dest_);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->rfind("cannot read '" + (tmp_ / "junk") + "': ", 0), 0u)
      << *err;
}

}  // namespace
}  // namespace kb::sources
