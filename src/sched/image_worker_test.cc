#include "sched/image_worker.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/fs.h"

namespace fs = std::filesystem;

namespace kb::sched {
namespace {

class DigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = util::MakeTempDir("kb-digest-");
    std::ofstream(dir_ + "/Dockerfile") << "FROM x\n";
    fs::create_directories(dir_ + "/sub");
    std::ofstream(dir_ + "/sub/file") << "a";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Digest(std::string parent = "p") {
    return ContextDigest(dir_, {{"A", "1"}},
                         {{"l", "v"}, {"created", "now"}}, {"created"},
                         parent);
  }
  std::string dir_;
};

TEST_F(DigestTest, StableAndSensitiveToWhatDecidesTheImage) {
  std::string d = Digest();
  ASSERT_EQ(d.rfind("sha256:", 0), 0u);
  EXPECT_EQ(Digest(), d);
  EXPECT_NE(Digest("other parent"), d);
  EXPECT_EQ(ContextDigest(dir_, {{"A", "1"}}, {{"l", "v"}, {"created", "x"}},
                          {"created"}, "p"),
            d);
  EXPECT_NE(ContextDigest(dir_, {{"A", "2"}}, {{"l", "v"}}, {"created"}, "p"),
            d);
  std::ofstream(dir_ + "/sub/file") << "b";
  EXPECT_NE(Digest(), d);
}

TEST(RunCommandTest, LinesOfBothStreamsAndTheExitStatus) {
  std::vector<std::string> lines;
  auto collect = [&](const std::string& l) { lines.push_back(l); };
  EXPECT_EQ(RunCommand({"sh", "-c", "echo out; echo err >&2; printf tail; "
                                    "exit 3"},
                       collect),
            3);
  EXPECT_EQ(lines, (std::vector<std::string>{"out", "err", "tail"}));
  EXPECT_EQ(RunCommand({"kb-no-such-command-here"}, collect), -1);
  EXPECT_EQ(RunCommand({"sh", "-c", "kill -TERM $$"}, collect), 128 + 15);
}

TEST(RunCommandTest, ChildInheritsNoOtherDescriptor) {
  int fd = open("/dev/null", O_RDONLY);  // no O_CLOEXEC, as a socket may be
  ASSERT_GE(fd, 3);
  std::vector<std::string> lines;
  EXPECT_EQ(RunCommand({"sh", "-c", "[ -e /proc/self/fd/" +
                                        std::to_string(fd) +
                                        " ] && echo open || echo closed"},
                       [&](const std::string& l) { lines.push_back(l); }),
            0);
  close(fd);
  EXPECT_EQ(lines, std::vector<std::string>{"closed"});
}

TEST(RunCommandTest, ChildGetsSigintEvenWhenTheCallerBlocksIt) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  int rc = RunCommand({"sh", "-c", "kill -INT $$; exit 0"},
                      [](const std::string&) {});
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(rc, 128 + SIGINT);
}

}  // namespace
}  // namespace kb::sched
