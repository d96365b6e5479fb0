#include "config/conf.h"

#include <gtest/gtest.h>

#include "config/test_util.h"

namespace kb::config {
namespace {

using testing::Parse;
using testing::ScratchDir;

// The parsed configuration; a test that expected success fails (and gets
// an empty Conf) when parsing failed.
Conf Ok(const ParseOutcome& out) {
  if (out.error) ADD_FAILURE() << "error: " << out.error->message;
  EXPECT_TRUE(out.conf.has_value());
  return out.conf ? *out.conf : Conf();
}

std::string ErrorOf(const ParseOutcome& out) {
  EXPECT_TRUE(out.error.has_value());
  EXPECT_FALSE(out.conf.has_value());
  return out.error ? out.error->message : "";
}

TEST(ConfDefaultsTest, UpstreamDefaultsForDebian) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--base", "debian"});
  Conf c = Ok(out);
  EXPECT_EQ(c.Str("base"), "debian");
  EXPECT_EQ(c.Str("base_tag"), "trixie");
  EXPECT_EQ(c.Str("base_image"), "debian");
  EXPECT_EQ(c.Str("tag"), "master-debian-trixie");
  EXPECT_EQ(c.Str("openstack_release"), "master");
  EXPECT_EQ(c.Str("openstack_branch"), "master");
  EXPECT_EQ(c.Str("openstack_branch_slashed"), "master");
  EXPECT_EQ(c.Str("debian_arch"), "amd64");
  EXPECT_EQ(c.Str("base_arch"), "x86_64");
  EXPECT_EQ(c.Str("namespace"), "kolla");
  EXPECT_EQ(c.Int("threads"), 8);
  EXPECT_EQ(c.Int("push_threads"), 1);
  EXPECT_EQ(c.Int("retries"), 3);
  EXPECT_EQ(c.Int("timeout"), 120);
  EXPECT_TRUE(c.Bool("cache"));
  EXPECT_TRUE(c.Bool("pull"));
  EXPECT_FALSE(c.Bool("push"));
  EXPECT_FALSE(c.OptStr("registry").has_value());
  EXPECT_EQ(c.Str("maintainer"), "Kolla Project (https://launchpad.net/kolla)");
  EXPECT_EQ(c.Str("image_name_prefix"), "");
  EXPECT_TRUE(c.Positional().empty());
  EXPECT_TRUE(c.List("profile").empty());
}

TEST(ConfDefaultsTest, RockyIsTheDefaultBase) {
  ScratchDir dir;
  Conf c = Ok(Parse(dir, {}));
  EXPECT_EQ(c.Str("base"), "rocky");
  EXPECT_EQ(c.Str("base_tag"), "10");
  EXPECT_EQ(c.Str("base_image"), "quay.io/rockylinux/rockylinux");
  EXPECT_EQ(c.Str("tag"), "master-rocky-10");
}

TEST(ConfDefaultsTest, StableReleaseBranches) {
  ScratchDir dir;
  Conf c = Ok(Parse(dir, {"--openstack-release", "2025.2", "-b",
                                 "ubuntu", "--base-arch", "aarch64"}));
  EXPECT_EQ(c.Str("openstack_branch"), "stable-2025.2");
  EXPECT_EQ(c.Str("openstack_branch_slashed"), "stable/2025.2");
  EXPECT_EQ(c.Str("tag"), "2025.2-ubuntu-24.04");
  EXPECT_EQ(c.Str("debian_arch"), "arm64");
}

TEST(ConfSourcesTest, DefaultSourceLocationsAreInterpolated) {
  ScratchDir dir;
  Conf c = Ok(Parse(dir, {"--openstack-release", "2025.2"}));
  EXPECT_EQ(c.GroupStr("keystone-base", "type"), "url");
  EXPECT_EQ(c.GroupStr("keystone-base", "location"),
            "https://tarballs.opendev.org/openstack/keystone/"
            "keystone-stable-2025.2.tar.gz");
  EXPECT_EQ(c.GroupBool("keystone-base", "enabled"), true);
  EXPECT_FALSE(c.GroupStr("keystone-base", "reference").has_value());
  EXPECT_FALSE(c.GroupDict("keystone-base", "sha256").has_value());
  EXPECT_EQ(c.GroupStr("gnocchi-base", "reference"), "4.7.0");
}

TEST(ConfSourcesTest, VersionAndArchFromOwnGroup) {
  // B025: ${version} comes from the source's own group, ${debian_arch}
  // from DEFAULT, derived from --base-arch.
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[prometheus-node-exporter]\n"
                               "version = 9.9.9\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf, "--base-arch",
                                 "aarch64"}));
  EXPECT_EQ(c.GroupStr("prometheus-node-exporter", "location"),
            "https://github.com/prometheus/node_exporter/releases/download/"
            "v9.9.9/node_exporter-9.9.9.linux-arm64.tar.gz");
}

TEST(ConfSourcesTest, LocalSourceWithLocalsBase) {
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[DEFAULT]\n"
                               "locals_base = /srv/src\n"
                               "[keystone-base]\n"
                               "type = local\n"
                               "location = $locals_base/keystone/\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf}));
  EXPECT_EQ(c.GroupStr("keystone-base", "type"), "local");
  EXPECT_EQ(c.GroupStr("keystone-base", "location"), "/srv/src/keystone/");
}

TEST(ConfSourcesTest, PluginAndAdditionSectionsGetSourceOptions) {
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[neutron-server-plugin-foo]\n"
                               "type = git\n"
                               "location = https://example.test/foo.git\n"
                               "reference = main\n"
                               "[neutron-server-additions-bar]\n"
                               "type = url\n"
                               "location = https://example.test/bar.tgz\n"
                               "enabled = no\n"
                               "sha256 = amd64:aa,arm64:bb\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf}));
  EXPECT_TRUE(c.HasGroup("neutron-server-plugin-foo"));
  EXPECT_EQ(c.GroupStr("neutron-server-plugin-foo", "reference"), "main");
  EXPECT_EQ(c.GroupBool("neutron-server-plugin-foo", "enabled"), true);
  EXPECT_EQ(c.GroupBool("neutron-server-additions-bar", "enabled"), false);
  auto sha = c.GroupDict("neutron-server-additions-bar", "sha256");
  ASSERT_TRUE(sha.has_value());
  EXPECT_EQ(*sha, (StrDict{{"amd64", "aa"}, {"arm64", "bb"}}));
}

TEST(ConfSourcesTest, SectionNamesAreLowercased) {
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[Keystone-Base]\n"
                               "reference = x\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf}));
  EXPECT_EQ(c.GroupStr("keystone-base", "reference"), "x");
}

TEST(ConfUsersTest, DefaultsAndOverrides) {
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[keystone-user]\n"
                               "uid = 50001\n"
                               "[custom-user]\n"
                               "uid = 7\n"
                               "gid = 8\n"
                               "group = grp\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf}));
  EXPECT_EQ(c.GroupInt("keystone-user", "uid"), 50001);
  EXPECT_EQ(c.GroupInt("keystone-user", "gid"), 42425);
  EXPECT_EQ(c.GroupStr("keystone-user", "group"), "keystone");
  EXPECT_EQ(c.GroupStr("hacluster-user", "group"), "haclient");
  EXPECT_EQ(c.GroupInt("custom-user", "uid"), 7);
  EXPECT_EQ(c.GroupInt("custom-user", "gid"), 8);
  EXPECT_EQ(c.GroupStr("custom-user", "group"), "grp");
}

TEST(ConfUsersTest, BadUidIsAValueError) {
  // B028: upstream gives a traceback (rc 1); here one line, exit 2.
  ScratchDir dir;
  std::string conf = dir.Write("p.conf", "[keystone-user]\nuid = abc\n");
  ParseOutcome out = Parse(dir, {"--config-file", conf});
  EXPECT_EQ(ErrorOf(out),
            conf + ":2: [keystone-user] uid: Invalid Integer value: abc");
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ConfProfilesTest, DefaultProfiles) {
  ScratchDir dir;
  Conf c = Ok(Parse(dir, {}));
  auto infra = c.GroupList("profiles", "infra");
  ASSERT_TRUE(infra.has_value());
  EXPECT_EQ(infra->front(), "cron");
  auto def = c.GroupList("profiles", "default");
  ASSERT_TRUE(def.has_value());
  EXPECT_NE(std::find(def->begin(), def->end(), "nova-"), def->end());
  EXPECT_FALSE(c.GroupList("profiles", "nosuch").has_value());
}

TEST(ConfProfilesTest, B024ContinuationLinesAndStripping) {
  ScratchDir dir;
  std::string conf = dir.Write("p.conf",
                               "[profiles]\n"
                               "mine = cron,\n"
                               "    fluentd\n"
                               "empty =\n"
                               "spaced = cron , ^fluentd$\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf, "--profile", "mine",
                                 "-p", "spaced"}));
  EXPECT_EQ(c.List("profile"), (StrList{"mine", "spaced"}));
  EXPECT_EQ(c.GroupList("profiles", "mine"), (StrList{"cron", "fluentd"}));
  EXPECT_EQ(c.GroupList("profiles", "spaced"), (StrList{"cron", "^fluentd$"}));
  EXPECT_EQ(c.GroupList("profiles", "empty"), StrList{});
}

TEST(ConfProfilesTest, ProfileInFileAndOnCommandLineAccumulate) {
  // PARITY(oslo): a MultiOpt CLI option from a file is "given" at the
  // file's place, and --profile appends to it.
  ScratchDir dir;
  std::string conf = dir.Write("p.conf", "[DEFAULT]\nprofile = infra\n");
  Conf c = Ok(Parse(dir, {"--config-file", conf, "--profile", "main"}));
  EXPECT_EQ(c.List("profile"), (StrList{"infra", "main"}));
}

}  // namespace
}  // namespace kb::config
