#include "engine/context_tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace kb::engine {
namespace {

namespace fs = std::filesystem;

struct TarMember {
  std::string name;
  mode_t type;
  mode_t perm;
  int64_t uid, gid;
  std::string uname, gname;
  time_t mtime;
  std::string link;
  std::string data;
};

// Reads a tar back with libarchive, as the daemon would see it.
std::vector<TarMember> ReadTar(const std::string& bytes) {
  std::vector<TarMember> members;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()),
            ARCHIVE_OK);
  struct archive_entry* e;
  // ARCHIVE_WARN: a UTF-8 name this "C" locale cannot show; utf8 has it.
  for (;;) {
    int rc = archive_read_next_header(a, &e);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) break;
    TarMember m;
    const char* utf8 = archive_entry_pathname_utf8(e);
    m.name = utf8 ? utf8 : archive_entry_pathname(e);
    m.type = archive_entry_filetype(e);
    m.perm = archive_entry_perm(e);
    m.uid = archive_entry_uid(e);
    m.gid = archive_entry_gid(e);
    m.uname = archive_entry_uname(e) ? archive_entry_uname(e) : "";
    m.gname = archive_entry_gname(e) ? archive_entry_gname(e) : "";
    m.mtime = archive_entry_mtime(e);
    if (archive_entry_symlink(e)) m.link = archive_entry_symlink(e);
    char buf[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      m.data.append(buf, n);
    members.push_back(std::move(m));
  }
  archive_read_free(a);
  return members;
}

class ContextTarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kb-engine-tar-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& rel, const std::string& text,
             mode_t mode = 0644) {
    fs::create_directories(fs::path(dir_ + "/" + rel).parent_path());
    std::ofstream(dir_ + "/" + rel, std::ios::binary) << text;
    chmod((dir_ + "/" + rel).c_str(), mode);
  }

  std::string dir_;
};

TEST_F(ContextTarTest, MembersAreNormalisedAndSortedPerFolder) {
  Write("Dockerfile", "FROM scratch\n");
  Write("b/z", "z");
  Write("b/a", "a", 0755);
  Write("a-c", "dash");
  Write("B", "upper");
  ASSERT_EQ(symlink("../Dockerfile", (dir_ + "/b/link").c_str()), 0);
  // Whoever runs us and whenever: pretend the files are old and not root's.
  ASSERT_EQ(lchown((dir_ + "/b/a").c_str(), 1234, 5678), 0);

  std::string tar;
  ASSERT_EQ(TarDirectory(dir_, &tar), std::nullopt);
  std::vector<TarMember> got = ReadTar(tar);

  std::vector<std::string> names;
  for (const TarMember& m : got) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"B", "Dockerfile", "a-c", "b/",
                                             "b/a", "b/link", "b/z"}));
  for (const TarMember& m : got) {
    EXPECT_EQ(m.uid, 0) << m.name;
    EXPECT_EQ(m.gid, 0) << m.name;
    EXPECT_EQ(m.uname, "root") << m.name;
    EXPECT_EQ(m.gname, "root") << m.name;
    EXPECT_EQ(m.mtime, 0) << m.name;
  }
  EXPECT_EQ(got[1].data, "FROM scratch\n");
  EXPECT_EQ(got[1].perm, 0644u);
  EXPECT_EQ(got[3].type, static_cast<mode_t>(AE_IFDIR));
  EXPECT_EQ(got[4].perm, 0755u);
  EXPECT_EQ(got[5].type, static_cast<mode_t>(AE_IFLNK));
  EXPECT_EQ(got[5].link, "../Dockerfile");
  EXPECT_EQ(got[5].data, "");
}

TEST_F(ContextTarTest, SameTreeGivesIdenticalBytes) {
  Write("Dockerfile", "FROM scratch\n");
  Write("dir/file", std::string(200000, 'x'));
  std::string first, second;
  ASSERT_EQ(TarDirectory(dir_, &first), std::nullopt);
  // Touch everything: new mtimes must not change the bytes.
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    fs::last_write_time(e.path(), fs::file_time_type::clock::now());
  }
  ASSERT_EQ(TarDirectory(dir_, &second), std::nullopt);
  EXPECT_EQ(first, second);
  EXPECT_EQ(ReadTar(first)[1].data.size(), 0u);  // the folder
  EXPECT_EQ(ReadTar(first)[2].data, std::string(200000, 'x'));
}

TEST_F(ContextTarTest, LongAndNonAsciiNamesSurvive) {
  std::string long_name = std::string(120, 'd') + "/" + std::string(150, 'f');
  std::string utf8_name = "caf\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC.txt";
  Write(long_name, "long");
  Write(utf8_name, "utf8");
  std::string tar;
  ASSERT_EQ(TarDirectory(dir_, &tar), std::nullopt);
  std::vector<TarMember> got = ReadTar(tar);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].name, utf8_name);
  EXPECT_EQ(got[0].data, "utf8");
  EXPECT_EQ(got[2].name, long_name);
  EXPECT_EQ(got[2].data, "long");
}

TEST_F(ContextTarTest, SmallReadsGiveTheSameBytes) {
  Write("Dockerfile", "FROM scratch\n");
  Write("data", std::string(100000, 'y'));
  std::string whole;
  ASSERT_EQ(TarDirectory(dir_, &whole), std::nullopt);
  ContextTar tar;
  ASSERT_EQ(tar.Open(dir_), std::nullopt);
  std::string pieces;
  char buf[7];
  ptrdiff_t n;
  while ((n = tar.Read(buf, sizeof buf)) > 0) pieces.append(buf, n);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(pieces, whole);
}

TEST_F(ContextTarTest, DockerIgnoreLeavesOutWhatDockerPyLeavesOut) {
  for (const char* f :
       {"Dockerfile", "README.md", "readme.txt", "a.log", "keep.log",
        "src/main.c", "src/main.o", "src/sub/x.o", "src/sub/keep.o",
        "docs/index.md", "docs/img/logo.png", "build/out.bin",
        "build/keep/me.txt", "tmp1", "tmpdir/f", "sp ace/f", "cl1", "clx"}) {
    Write(f, "x");
  }
  Write(".dockerignore",
        "# comment\n\n*.log\n!keep.log\n**/*.o\n!src/sub/keep.o\nbuild\n"
        "!build/keep/me.txt\ndocs/*/\nREADME*\ntmp?\n/./Dockerfile\n"
        "  sp ace  \ncl[0-9]\n../escape\n");
  std::string tar;
  ASSERT_EQ(TarDirectory(dir_, &tar), std::nullopt);
  std::vector<std::string> names;
  for (const TarMember& m : ReadTar(tar)) names.push_back(m.name);
  // docker.utils.build.exclude_paths() of docker-py 7.1.0 on this tree
  // gives the same set (without the '/' tar puts after folder names).
  EXPECT_EQ(names, (std::vector<std::string>{
                       ".dockerignore", "Dockerfile", "build/keep/me.txt",
                       "clx", "docs/", "keep.log", "src/", "src/main.c",
                       "src/sub/", "src/sub/keep.o", "tmpdir/", "tmpdir/f"}));
}

TEST_F(ContextTarTest, DockerfileAndDockerIgnoreAreAlwaysSent) {
  Write("Dockerfile", "FROM scratch\n");
  Write("other", "x");
  Write(".dockerignore", "*\n");
  std::string tar;
  ASSERT_EQ(TarDirectory(dir_, &tar), std::nullopt);
  std::vector<std::string> names;
  for (const TarMember& m : ReadTar(tar)) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{".dockerignore", "Dockerfile"}));
}

TEST_F(ContextTarTest, MissingFolderIsAnError) {
  ContextTar tar;
  std::optional<std::string> err = tar.Open(dir_ + "/nope");
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "cannot read build context '" + dir_ +
                      "/nope': No such file or directory");
}

TEST_F(ContextTarTest, FifoIsRefusedByName) {
  Write("Dockerfile", "FROM scratch\n");
  ASSERT_EQ(mkfifo((dir_ + "/pipe").c_str(), 0644), 0);
  ContextTar tar;
  std::optional<std::string> err = tar.Open(dir_);
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "cannot put '" + dir_ +
                      "/pipe' in the build context: not a file, folder or "
                      "symlink");
}

}  // namespace
}  // namespace kb::engine
