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
  Conf c = Ok(Parse(dir, {"--openstack-release", "2025.2", "-b", "ubuntu",
                          "--base-arch", "aarch64"}));
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
  Conf c = Ok(Parse(dir, {"--config-file", conf, "--base-arch", "aarch64"}));
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
  Conf c = Ok(
      Parse(dir, {"--config-file", conf, "--profile", "mine", "-p", "spaced"}));
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

// B025: interpolation at read time, checked against oslo.config 9.0.0.
std::string TagFrom(const std::string& value, std::vector<std::string> args,
                    std::string* error = nullptr) {
  ScratchDir dir;
  std::string conf = dir.Write("t.conf", "[DEFAULT]\ntag = " + value + "\n");
  args.insert(args.begin(), {"--config-file", conf});
  ParseOutcome out = Parse(dir, args);
  if (out.error) {
    if (error) {
      *error = out.error->message;
      // The file name varies; keep what follows it.
      size_t at = error->find("t.conf:");
      if (at != std::string::npos) *error = error->substr(at);
    }
    return "<error>";
  }
  return out.conf->Str("tag");
}

TEST(ConfInterpolationTest, B025Values) {
  std::vector<std::string> debian = {"--base", "debian"};
  EXPECT_EQ(TagFrom("${openstack_release}-$base-x", debian), "master-debian-x");
  EXPECT_EQ(TagFrom("$base_tag", debian), "trixie");
  EXPECT_EQ(TagFrom("${base}_tag", debian), "debian_tag");
  EXPECT_EQ(TagFrom("${base}.1", debian), "debian.1");
  EXPECT_EQ(TagFrom("$$base", debian), "$base");
  EXPECT_EQ(TagFrom("\\$base", debian), "$base");
  EXPECT_EQ(TagFrom("$", debian), "$");
  EXPECT_EQ(TagFrom("100%", debian), "100%");
  EXPECT_EQ(TagFrom("${base", debian), "${base");
  EXPECT_EQ(TagFrom("$9x", debian), "$9x");
}

TEST(ConfInterpolationTest, B025PythonStrOfTypedValues) {
  EXPECT_EQ(TagFrom("$debug-$threads-$registry-$rpm_setup_config", {}),
            "False-8--[]");
  EXPECT_EQ(TagFrom("$profiles.main", {}).substr(0, 14), "['ceilometer',");
}

TEST(ConfInterpolationTest, B025Errors) {
  std::string err;
  EXPECT_EQ(TagFrom("$base.1", {}, &err), "<error>");
  EXPECT_EQ(err, "t.conf:2: [DEFAULT] tag: no such group [base]");
  EXPECT_EQ(TagFrom("$HOME", {}, &err), "<error>");
  EXPECT_EQ(err,
            "t.conf:2: [DEFAULT] tag: no such option 'HOME' in group "
            "[DEFAULT]");
  EXPECT_EQ(TagFrom("$Base", {}, &err), "<error>");
  EXPECT_EQ(err,
            "t.conf:2: [DEFAULT] tag: no such option 'Base' in group "
            "[DEFAULT]");
  EXPECT_EQ(TagFrom("$nosuchopt", {}, &err), "<error>");
  EXPECT_EQ(err,
            "t.conf:2: [DEFAULT] tag: no such option 'nosuchopt' in group "
            "[DEFAULT]");
  EXPECT_EQ(TagFrom("${tag}", {}, &err), "<error>");
  EXPECT_EQ(err,
            "t.conf:2: [DEFAULT] tag: recursive reference to option "
            "'tag'");
  EXPECT_EQ(TagFrom("$profiles", {}, &err), "<error>");
  EXPECT_EQ(err,
            "t.conf:2: [DEFAULT] tag: substituting group 'profiles' "
            "is not supported");
}

TEST(ConfInterpolationTest, CommandLineValuesAreInterpolatedToo) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--tag", "$namespace-x", "-n", "ns"});
  ASSERT_TRUE(out.conf.has_value());
  EXPECT_EQ(out.conf->Str("tag"), "ns-x");
  out = Parse(dir, {"--tag", "$HOME"});
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->message,
            "argument --tag: no such option 'HOME' in group [DEFAULT]");
}

// B028: invalid values are one-line errors with exit status 2 (upstream
// prints the same line and exits 0).
TEST(ConfValidationTest, B028InvalidValuesExitTwo) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--base", "fedora"});
  EXPECT_EQ(ErrorOf(out),
            "argument --base: Invalid String(choices=['centos', 'debian', "
            "'rocky', 'ubuntu']) value: fedora");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_TRUE(out.error->usage.empty());
  out = Parse(dir, {"--threads", "0"});
  EXPECT_EQ(ErrorOf(out),
            "argument --threads: Invalid Integer(min=1) value: 0");
  EXPECT_EQ(out.exit_code, 2);
  std::string conf = dir.Write("b.conf", "[DEFAULT]\nlist_images = t\n");
  out = Parse(dir, {"--config-file", conf});
  EXPECT_EQ(ErrorOf(out), "argument --list_images: Invalid Boolean value: t");
  EXPECT_EQ(out.error->location, conf + ":2");
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ConfValidationTest, FirstInvalidCliOptionByName) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--threads", "0", "--format", "xml"});
  EXPECT_EQ(ErrorOf(out),
            "argument --format: Invalid String(choices=['json', 'none']) "
            "value: xml");
}

TEST(ConfValidationTest, ConfigOnlyOptionsAreCheckedToo) {
  ScratchDir dir;
  std::string conf =
      dir.Write("b.conf", "[DEFAULT]\nclean_package_cache = t\n");
  ParseOutcome out = Parse(dir, {"--config-file", conf});
  EXPECT_EQ(ErrorOf(out), conf +
                              ":2: [DEFAULT] clean_package_cache: Invalid "
                              "Boolean value: t");
}

TEST(ConfValidationTest, MissingConfigFile) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--config-file", dir.path() + "/nope.conf"});
  EXPECT_EQ(ErrorOf(out),
            "failed to find some config files: " + dir.path() + "/nope.conf");
}

TEST(ConfFilesTest, LaterArgumentsWin) {
  ScratchDir dir;
  std::string a = dir.Write("a.conf", "[DEFAULT]\ndebug = yes\ntag = a\n");
  std::string b = dir.Write("b.conf", "[DEFAULT]\ndebug = no\n");
  Conf c = Ok(Parse(dir, {"--config-file", a, "--config-file", b}));
  EXPECT_FALSE(c.Bool("debug"));
  EXPECT_EQ(c.Str("tag"), "a");
  // PARITY(oslo): a file overrides the flags before it.
  c = Ok(Parse(dir, {"--debug", "--config-file", b}));
  EXPECT_FALSE(c.Bool("debug"));
  c = Ok(Parse(dir, {"--config-file", b, "--debug"}));
  EXPECT_TRUE(c.Bool("debug"));
  EXPECT_EQ(c.config_files(), (std::vector<std::string>{b}));
}

TEST(ConfFilesTest, DefaultLocationsUnlessConfigFileIsGiven) {
  ScratchDir dir;
  dir.Write(".kolla/kolla-build.conf", "[DEFAULT]\nnamespace = home\n");
  dir.Write("kolla-build.conf", "[DEFAULT]\nnamespace = lower\n");
  dir.Write("kolla.conf", "[DEFAULT]\nregistry = r\n");
  Conf c = Ok(Parse(dir, {}));
  EXPECT_EQ(c.Str("namespace"), "home");
  EXPECT_EQ(c.Str("registry"), "r");
  EXPECT_EQ(c.config_files(), (std::vector<std::string>{
                                  dir.path() + "/kolla.conf",
                                  dir.path() + "/.kolla/kolla-build.conf"}));
  std::string other = dir.Write("o.conf", "[DEFAULT]\n");
  c = Ok(Parse(dir, {"--config-file", other}));
  EXPECT_EQ(c.Str("namespace"), "kolla");
}

TEST(ConfFilesTest, ConfigDirReadsSortedConfFiles) {
  ScratchDir dir;
  dir.Write("d/b.conf", "[DEFAULT]\nnamespace = b\n");
  dir.Write("d/a.conf", "[DEFAULT]\nnamespace = a\nregistry = ra\n");
  dir.Write("d/c.txt", "[DEFAULT]\nnamespace = c\n");
  Conf c = Ok(Parse(dir, {"--config-dir", dir.path() + "/d"}));
  EXPECT_EQ(c.Str("namespace"), "b");
  EXPECT_EQ(c.Str("registry"), "ra");
  dir.Write(".kolla/kolla-build.conf.d/x.conf", "[DEFAULT]\ntag = fromdir\n");
  c = Ok(Parse(dir, {}));
  EXPECT_EQ(c.Str("tag"), "fromdir");
}

TEST(ConfFilesTest, RegexFromFileUnlessPositionalsGiven) {
  ScratchDir dir;
  std::string a = dir.Write("a.conf",
                            "[DEFAULT]\nregex = keystone\n"
                            "regex = nova\n");
  Conf c = Ok(Parse(dir, {"--config-file", a}));
  EXPECT_EQ(c.Positional(), (StrList{"keystone", "nova"}));
  c = Ok(Parse(dir, {"--config-file", a, "glance"}));
  EXPECT_EQ(c.Positional(), (StrList{"glance"}));
}

TEST(ConfImagesDirTest, FirstExistingDefaultOrFlag) {
  ScratchDir dir;
  dir.Write("prefix/share/kolla/docker/base/Dockerfile.j2", "FROM x\n");
  ParseEnv env = testing::TestEnv(dir.path());
  env.exe_path = dir.path() + "/prefix/bin/kolla-build";
  ParseOutcome out =
      ParseKollaBuild({"kolla-build"}, {{"HOME", dir.path()}}, env);
  ASSERT_TRUE(out.conf.has_value());
  EXPECT_EQ(out.conf->Str("images_dir"),
            dir.path() + "/prefix/share/kolla/docker");
  out = ParseKollaBuild({"kolla-build", "--images-dir", "/x"},
                        {{"HOME", dir.path()}}, env);
  EXPECT_EQ(out.conf->Str("images_dir"), "/x");
  env.exe_path = "";
  out = ParseKollaBuild({"kolla-build"}, {{"HOME", dir.path()}}, env);
  EXPECT_FALSE(out.conf->OptStr("images_dir").has_value());
}

TEST(ConfCorpusTest, UbuntuSiteConf) {
  std::string corpus = testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "kolla corpus not found";
  ScratchDir dir;
  Conf c = Ok(Parse(dir, {"--config-file", corpus + "/cases/ubuntu-site.conf",
                          "--profile", "site"}));
  EXPECT_EQ(c.Str("base"), "ubuntu");
  EXPECT_EQ(c.Str("base_tag"), "24.04");
  EXPECT_EQ(c.Str("base_image"), "ubuntu");
  EXPECT_EQ(c.Str("namespace"), "site");
  EXPECT_EQ(c.Str("registry"), "registry.example.test:4000");
  EXPECT_EQ(c.Str("tag"), "2025.2-site");
  EXPECT_EQ(c.Str("image_name_prefix"), "os-");
  EXPECT_EQ(c.Str("maintainer"), "Site Ops <ops@example.test>");
  EXPECT_EQ(c.Str("openstack_release"), "2025.2");
  EXPECT_EQ(c.Str("openstack_branch"), "stable-2025.2");
  EXPECT_FALSE(c.Bool("docker_healthchecks"));
  EXPECT_FALSE(c.Bool("use_dumb_init"));
  EXPECT_FALSE(c.Bool("clean_package_cache"));
  EXPECT_EQ(c.List("profile"), (StrList{"site"}));
  EXPECT_EQ(c.GroupList("profiles", "site"),
            (StrList{"keystone", "^nova-api$", "cron"}));
  EXPECT_EQ(c.GroupInt("keystone-user", "uid"), 50001);
  EXPECT_EQ(c.GroupStr("keystone-user", "group"), "keystone");
  EXPECT_EQ(c.GroupInt("customsvc-user", "gid"), 50100);
  EXPECT_EQ(c.GroupStr("customsvc-user", "group"), "customsvc");
  EXPECT_EQ(c.GroupStr("keystone-base", "location"),
            "https://tarballs.opendev.org/openstack/keystone/"
            "keystone-stable-2025.2.tar.gz");
}


TEST(ConfEnvironmentTest, OsloEnvironmentSource) {
  // PARITY(oslo): OS_<GROUP>__<OPT> beats files, not the command line; a
  // CLI option that a file also sets counts as a file value.
  ScratchDir dir;
  std::string conf = dir.Write("e.conf", "[DEFAULT]\ntag = file\n");
  ParseEnv env = testing::TestEnv(dir.path());
  std::map<std::string, std::string> environ = {{"HOME", dir.path()},
                                                {"OS_DEFAULT__TAG", "env"}};
  auto parse = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "kolla-build");
    ParseOutcome out = ParseKollaBuild(args, environ, env);
    return out.conf ? out.conf->Str("tag") : out.error->message;
  };
  EXPECT_EQ(parse({"--config-file", conf}), "env");
  EXPECT_EQ(parse({"--tag", "cli"}), "cli");
  EXPECT_EQ(parse({"--config-file", conf, "--tag", "cli"}), "env");
  environ["OS_DEFAULT__THREADS"] = "0";
  EXPECT_EQ(parse({}),
            "environment variable OS_DEFAULT__THREADS: Invalid "
            "Integer(min=1) value: 0");
}


TEST(ConfValidationTest, UnreadableConfigFile) {
  ScratchDir dir;
  std::string sub = dir.path() + "/sub.conf";
  std::filesystem::create_directories(sub);
  ParseOutcome out = Parse(dir, {"--config-file", sub});
  EXPECT_EQ(ErrorOf(out), "cannot read config file '" + sub + "'");
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ConfValidationTest, ConfigFileSyntaxError) {
  ScratchDir dir;
  std::string conf = dir.Write("s.conf", "[DEFAULT]\nnovalue\n");
  ParseOutcome out = Parse(dir, {"--config-file", conf});
  EXPECT_EQ(ErrorOf(out), conf + ":2: no ':' or '=' found in assignment");
}

}  // namespace
}  // namespace kb::config
