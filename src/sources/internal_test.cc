#include "sources/internal.h"

#include <gtest/gtest.h>

#include <chrono>

#include "sources/test_util.h"

namespace kb::sources {
namespace {

TEST(SourcesRunCommandTest, OutputAndExitCode) {
  CommandResult r =
      RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, "", 10);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.output, "out\nerr\n");
}

TEST(SourcesRunCommandTest, RunsInTheGivenFolderWithCMessages) {
  testing::TempDir t;
  CommandResult r = RunCommand({"sh", "-c", "pwd; echo $LC_ALL"}, t.path(), 10);
  EXPECT_EQ(r.output, t.path() + "\nC\n");
}

TEST(SourcesRunCommandTest, HangingCommandIsKilledAtTheTimeout) {
  auto start = std::chrono::steady_clock::now();
  // The grandchild 'sleep' holds the pipe too: the whole group is killed.
  CommandResult r = RunCommand({"sh", "-c", "sleep 30; echo late"}, "", 1);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(SourcesRunCommandTest, MissingProgramFails) {
  CommandResult r = RunCommand({"/nonexistent/prog"}, "", 10);
  EXPECT_EQ(r.exit_code, 127);
}

TEST(SourcesTempFileTest, UncommittedFileIsRemoved) {
  testing::TempDir t;
  {
    TempFile f;
    ASSERT_FALSE(f.Create(t / "out"));
    ASSERT_EQ(write(f.fd(), "x", 1), 1);
    EXPECT_EQ(testing::ListTree(t.path()).size(), 1u);
  }
  EXPECT_TRUE(testing::ListTree(t.path()).empty());
}

TEST(SourcesTempFileTest, CommitReplacesTheFinalPath) {
  testing::TempDir t;
  testing::WriteFile(t / "out", "old");
  TempFile f;
  ASSERT_FALSE(f.Create(t / "out"));
  ASSERT_EQ(write(f.fd(), "new", 3), 3);
  ASSERT_FALSE(f.Commit(false));
  EXPECT_EQ(testing::ReadFile(t / "out"), "new");
  EXPECT_EQ(testing::ListTree(t.path()), (std::vector<std::string>{"out"}));
}

}  // namespace
}  // namespace kb::sources
