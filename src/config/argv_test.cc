#include "config/argv.h"

#include <gtest/gtest.h>

#include "config/test_util.h"

namespace kb::config {
namespace {

using testing::Parse;
using testing::ScratchDir;

// Expected texts are argparse's (Python 3.11) under oslo.config 9.0.0.

std::string UsageErrorOf(const std::vector<std::string>& args) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, args);
  EXPECT_TRUE(out.error.has_value());
  if (!out.error) return "";
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.error->exit_code, 2);
  EXPECT_EQ(out.error->usage.rfind("usage: kolla-build [-h] [--base BASE]", 0),
            0u);
  return out.error->message;
}

TEST(ArgvTest, B028UnknownAndConfigOnlyOptionsAreUsageErrors) {
  EXPECT_EQ(UsageErrorOf({"--nosuchopt"}),
            "unrecognized arguments: --nosuchopt");
  EXPECT_EQ(UsageErrorOf({"--regex", "cron"}),
            "unrecognized arguments: --regex");
  EXPECT_EQ(UsageErrorOf({"--allowed-to-fail", "x"}),
            "unrecognized arguments: --allowed-to-fail");
  EXPECT_EQ(UsageErrorOf({"--maintainer", "x"}),
            "unrecognized arguments: --maintainer");
  EXPECT_EQ(UsageErrorOf({"--rpm_setup_config", "x"}),
            "unrecognized arguments: --rpm_setup_config");
}

TEST(ArgvTest, B028BooleansAreFlags) {
  EXPECT_EQ(UsageErrorOf({"--push=yes"}),
            "argument --push: ignored explicit argument 'yes'");
  EXPECT_EQ(UsageErrorOf({"--nopush=1"}),
            "argument --nopush: ignored explicit argument '1'");
  EXPECT_EQ(UsageErrorOf({"-d=1"}),
            "argument --debug/-d: ignored explicit argument '1'");
}

TEST(ArgvTest, B028MissingValues) {
  EXPECT_EQ(UsageErrorOf({"--list-images", "--profile"}),
            "argument --profile/-p: expected one argument");
  EXPECT_EQ(UsageErrorOf({"--tag", "-x"}),
            "argument --tag: expected one argument");
  EXPECT_EQ(UsageErrorOf({"-T"}),
            "argument --threads/-T: expected one argument");
}

TEST(ArgvTest, AbbreviationsMustBeUnique) {
  EXPECT_EQ(UsageErrorOf({"--pu"}),
            "ambiguous option: --pu could match --pull, --push, "
            "--push-threads");
  EXPECT_EQ(UsageErrorOf({"--list"}),
            "ambiguous option: --list could match --list-dependencies, "
            "--list-images");
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--thr", "5", "--skip-p"});
  ASSERT_TRUE(out.conf.has_value());
  EXPECT_EQ(out.conf->Int("threads"), 5);
  EXPECT_TRUE(out.conf->Bool("skip_parents"));
}

TEST(ArgvTest, ShortFlagsAndInverses) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"-b",       "debian",
                                 "-T",       "3",
                                 "-r",       "0",
                                 "-dq",      "-n",
                                 "ns",       "--push",
                                 "--nopull", "-p",
                                 "x",        "-pinfra",
                                 "-Dfoo",    "-D",
                                 "bar",      "--template-override",
                                 "t1",       "--template-override=t2",
                                 "-f",       "none",
                                 "-l"});
  ASSERT_TRUE(out.conf.has_value()) << out.error->message;
  const Conf& c = *out.conf;
  EXPECT_EQ(c.Str("base"), "debian");
  EXPECT_EQ(c.Int("threads"), 3);
  EXPECT_EQ(c.Int("retries"), 0);
  EXPECT_TRUE(c.Bool("debug"));
  EXPECT_TRUE(c.Bool("quiet"));
  EXPECT_EQ(c.Str("namespace"), "ns");
  EXPECT_TRUE(c.Bool("push"));
  EXPECT_FALSE(c.Bool("pull"));
  EXPECT_EQ(c.List("profile"), (StrList{"x", "infra"}));
  EXPECT_EQ(c.List("docker_dir"), (StrList{"foo", "bar"}));
  EXPECT_EQ(c.List("template_override"), (StrList{"t1", "t2"}));
  EXPECT_EQ(c.Str("format"), "none");
  EXPECT_TRUE(c.Bool("list_dependencies"));
}

TEST(ArgvTest, PositionalsAreOneRun) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--debug", "nova", "glance"});
  ASSERT_TRUE(out.conf.has_value());
  EXPECT_EQ(out.conf->Positional(), (StrList{"nova", "glance"}));
  // PARITY(argparse): a second run of positionals is not taken.
  EXPECT_EQ(UsageErrorOf({"nova", "--debug", "glance"}),
            "unrecognized arguments: glance");
  out = Parse(dir, {"a", "--", "-b"});
  ASSERT_TRUE(out.conf.has_value());
  EXPECT_EQ(out.conf->Positional(), (StrList{"a", "-b"}));
}

TEST(ArgvTest, HelpAndVersion) {
  ScratchDir dir;
  ParseOutcome out = Parse(dir, {"--nosuch", "--help"});
  EXPECT_FALSE(out.error.has_value());
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_EQ(out.output.rfind("usage: kolla-build [-h] [--base BASE] "
                             "[--base-arch BASE_ARCH]\n",
                             0),
            0u);
  EXPECT_NE(out.output.find("\npositional arguments:\n  regex                 "
                            "Build only images matching regex and its "
                            "dependencies\n\noptions:\n  -h, --help"),
            std::string::npos);
  EXPECT_NE(out.output.find("  --base BASE, -b BASE  The distro type of the "
                            "base image. Allowed values:\n"
                            "                        centos, debian, rocky, "
                            "ubuntu\n"),
            std::string::npos);
  EXPECT_NE(out.output.find("  --nopush              The inverse of --push\n"),
            std::string::npos);
  // Every upstream CLI option is listed; config-only ones are not.
  for (const char* flag : {"--base-tag",
                           "--build-args",
                           "--cache",
                           "--config-dir",
                           "--config-file",
                           "--debian-arch",
                           "--docker-dir",
                           "--engine",
                           "--image-name-prefix",
                           "--list-images",
                           "--locals-base",
                           "--network_mode",
                           "--openstack-branch-slashed",
                           "--patches-path",
                           "--platform",
                           "--podman_base_url",
                           "--push-threads",
                           "--repos-yaml",
                           "--save-dependency",
                           "--skip-existing",
                           "--squash",
                           "--summary-json-file",
                           "--tarballs-base",
                           "--template-only",
                           "--timeout",
                           "--use-dumb-init",
                           "--work-dir",
                           "--images-dir"}) {
    EXPECT_NE(out.output.find(std::string("\n  ") + flag), std::string::npos)
        << flag;
  }
  EXPECT_EQ(out.output.find("--maintainer"), std::string::npos);

  out = Parse(dir, {"--version"});
  EXPECT_EQ(out.output, std::string(KB_TEST_VERSION) + "\n");
}

TEST(ArgvTest, HelpWrapsToColumns) {
  ScratchDir dir;
  ParseOutcome out = ParseKollaBuild({"kolla-build", "-h"}, {{"COLUMNS", "60"}},
                                     testing::TestEnv(dir.path()));
  // Lines fit in COLUMNS - 2, except a usage part that alone is longer,
  // which argparse does not break either.
  size_t start = 0;
  while (start < out.output.size()) {
    size_t end = out.output.find('\n', start);
    std::string line = out.output.substr(start, end - start);
    bool lone_part = line.find('[') != std::string::npos &&
                     line.find("] [") == std::string::npos;
    if (!lone_part) {
      EXPECT_LE(line.size(), 58u) << line;
    }
    start = end + 1;
  }
}

}  // namespace
}  // namespace kb::config
