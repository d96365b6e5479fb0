#include "graph/tree_index.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "util/fs.h"

namespace fs = std::filesystem;

namespace kb::graph {
namespace {

class TreeIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = util::MakeTempDir("kb-index-"); }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories(fs::path(dir_ + "/" + rel).parent_path());
    std::ofstream(dir_ + "/" + rel) << text;
  }
  std::string Read(const std::string& rel) {
    return util::ReadFile(dir_ + "/" + rel, nullptr).value_or("<missing>");
  }
  std::string dir_;
};

TEST_F(TreeIndexTest, OverlaysWinAndImageFoldersAreFound) {
  Write("images/macros.j2", "m");
  Write("images/base/Dockerfile.j2", "base");
  Write("images/nova/nova-api/Dockerfile.j2", "api");
  Write("images/nova/nova-api/extra", "old");
  Write("overlay/nova/nova-api/extra", "new");
  Write("overlay/site/Dockerfile.j2", "site");
  std::string err;
  auto idx = TreeIndex::Build({dir_ + "/images", dir_ + "/overlay"}, &err);
  ASSERT_TRUE(idx) << err;
  EXPECT_EQ(idx->ImageFolders(),
            (std::vector<std::string>{"base", "nova/nova-api", "site"}));
  ASSERT_EQ(idx->Materialize(dir_ + "/out", {}, {}, {}, 3), "");
  EXPECT_EQ(Read("out/nova/nova-api/extra"), "new");
  EXPECT_EQ(Read("out/macros.j2"), "m");
}

TEST_F(TreeIndexTest, SkippedFoldersAreLeftOutAndGeneratedFilesWritten) {
  Write("images/base/Dockerfile.j2", "base");
  Write("images/cron/Dockerfile.j2", "cron");
  Write("images/cron-extra/Dockerfile.j2", "x");
  Write("images/ovsdpdk/ovsdpdk/Dockerfile.j2", "skipped");
  Write("images/ovsdpdk/ovsdpdk-db/Dockerfile.j2", "skipped too");
  std::string err;
  auto idx = TreeIndex::Build({dir_ + "/images"}, &err);
  ASSERT_TRUE(idx);
  ASSERT_EQ(idx->Materialize(dir_ + "/out",
                             {"cron", "ovsdpdk/ovsdpdk", "ovsdpdk/ovsdpdk-db"},
                             {{"base/Dockerfile", "FROM x\n"},
                              {"cron/Dockerfile", "FROM y\n"}},
                             {"base/Dockerfile.j2"}, 2),
            "");
  EXPECT_EQ(Read("out/base/Dockerfile"), "FROM x\n");
  EXPECT_FALSE(fs::exists(dir_ + "/out/base/Dockerfile.j2"));
  EXPECT_FALSE(fs::exists(dir_ + "/out/cron"));
  EXPECT_FALSE(fs::exists(dir_ + "/out/ovsdpdk/ovsdpdk"));
  EXPECT_FALSE(fs::exists(dir_ + "/out/ovsdpdk/ovsdpdk-db"));
  // A sibling whose name starts like a skipped folder is kept.
  EXPECT_EQ(Read("out/cron-extra/Dockerfile.j2"), "x");
}

TEST_F(TreeIndexTest, LinksBecomeFilesOfTheirOwn) {
  // kolla-toolbox links files of rabbitmq: the context needs real files.
  Write("images/rabbitmq/apt_preferences", "prefs");
  Write("images/kolla-toolbox/Dockerfile.j2", "t");
  fs::create_symlink("../rabbitmq/apt_preferences",
                     dir_ + "/images/kolla-toolbox/apt_preferences_rabbitmq");
  chmod((dir_ + "/images/rabbitmq/apt_preferences").c_str(), 0640);
  std::string err;
  auto idx = TreeIndex::Build({dir_ + "/images"}, &err);
  ASSERT_TRUE(idx);
  ASSERT_EQ(idx->Materialize(dir_ + "/out", {}, {}, {}, 1), "");
  std::string copy = dir_ + "/out/kolla-toolbox/apt_preferences_rabbitmq";
  EXPECT_FALSE(fs::is_symlink(copy));
  EXPECT_EQ(Read("out/kolla-toolbox/apt_preferences_rabbitmq"), "prefs");
  EXPECT_EQ(fs::status(copy).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write |
                fs::perms::group_read);
}

TEST_F(TreeIndexTest, MissingLayerIsAnError) {
  std::string err;
  EXPECT_FALSE(TreeIndex::Build({dir_ + "/nope"}, &err));
  EXPECT_EQ(err, "folder '" + dir_ + "/nope' does not exist");
}

}  // namespace
}  // namespace kb::graph
