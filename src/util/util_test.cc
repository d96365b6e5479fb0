#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/fs.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace kb::util {
namespace {

TEST(Sha256Test, KnownValues) {
  Sha256 empty;
  EXPECT_EQ(empty.Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 parts;
  parts.Update("pay");
  parts.Update("load", 4);
  EXPECT_EQ(parts.Hex(),
            "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5");
  char dir[] = "/tmp/kb-sha-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/p";
  std::ofstream(path) << "payload";
  EXPECT_EQ(FileSha256(path),
            "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5");
  EXPECT_EQ(FileSha256(std::string(dir) + "/missing"), std::nullopt);
  fs::remove_all(dir);
}

TEST(StringsTest, SplitKeepsEmptyParts) {
  EXPECT_EQ(Split("a,,b,", ","),
            (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(StringsTest, PyJsonQuoteEscapesLikePython) {
  EXPECT_EQ(PyJsonQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(PyJsonQuote("caf\xc3\xa9"), "\"caf\\u00e9\"");
  EXPECT_EQ(PyJsonQuote("\xf0\x9f\x98\x80"), "\"\\ud83d\\ude00\"");
}

TEST(FsTest, WriteFileAtomicLeavesNoTemporaryFile) {
  std::string dir = MakeTempDir("kb-util-test-");
  ASSERT_EQ(WriteFileAtomic(dir + "/f", "x"), "");
  int n = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++n;
  EXPECT_EQ(n, 1);
  EXPECT_NE(WriteFileAtomic(dir + "/missing/f", "x"), "");
  fs::remove_all(dir);
}

TEST(FsTest, SetTreeTimesToEpoch) {
  std::string dir = MakeTempDir("kb-util-test-");
  fs::create_directories(dir + "/x");
  std::ofstream(dir + "/x/f") << "1";
  SetTreeTimesToEpoch(dir);
  struct stat st;
  ASSERT_EQ(stat((dir + "/x/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtime, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kb::util
