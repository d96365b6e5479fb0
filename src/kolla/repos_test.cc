#include "kolla/repos.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

using testing::Str;
using testing::StrList;
using testing::TempDir;

// A small table with the shapes upstream's repos.yaml uses.
constexpr char kRepos[] = R"(deb:
  grafana:
    url: "https://apt.grafana.com"
    suite: "stable"
    component: "main"
    gpg_key: "grafana.asc"
debian:
  debian:
    distro: True
  local:
    url: "http://mirror/{openstack_release_codename}"
    suite: "{openstack_release_codename}-x/{openstack_release_codename}"
    component: ""
    gpg_key: "/usr/share/keyrings/local.gpg"
    trusted: yes
debian-aarch64:
  grafana:
    arch: "amd64"
rpm:
  ceph:
    distro: True
    name: "centos-ceph-squid"
  crb:
    distro: True
    name: "crb"
  epel:
    gpgkey: "https://example.test/epel.key"
    metalink: "https://mirrors.example.test/metalink?repo=epel"
    name: "epel"
  multi:
    baseurl: |
      https://a.example.test/el
      https://b.example.test/el
    gpgkey: |
      https://a.example.test/one.key
      https://a.example.test/two.key
    repo_gpgcheck: 1
    gpgcheck: 1
    name: "multi-repo"
  nokey:
    baseurl: "https://x.example.test"
    name: "nokey"
  nourl:
    gpgkey: "https://x.example.test/key"
    name: "nourl"
rocky:
  appstream:
    distro: True
    file_group: "rocky.repo"
    name: "appstream"
  baseos:
    distro: True
    file_group: "rocky.repo"
    name: "baseos"
  crb:
    file_group: "rocky.repo"
rocky-aarch64:
  epel:
    metalink: "https://arm.example.test/metalink"
)";

class HandleReposTest : public ::testing::Test {
 protected:
  void SetUp() override { default_path_ = dir_.Write("repos.yaml", kRepos); }

  std::string Render(const char* type, const char* distro, const char* arch,
                     tmpl::Value names, const char* mode,
                     const std::string& override_path = "") {
    auto data = LoadRepoData(default_path_, override_path);
    if (!data.ok()) return "load: " + data.error().message;
    RepoTarget target{Str(type), Str(distro), Str(arch), Str("Gazpacho")};
    auto out = HandleRepos(*data.value(), target, names, Str(mode));
    if (!out.ok()) return out.error().error_class + ": " + out.error().message;
    return out.value();
  }

  TempDir dir_;
  std::string default_path_;
};

TEST_F(HandleReposTest, RpmDistroReposAreEnabledWithConfigManager) {
  EXPECT_EQ(
      Render("rpm", "rocky", "x86_64", StrList({"ceph", "crb"}), "enable"),
      "RUN dnf config-manager --enable centos-ceph-squid || true && "
      "dnf config-manager --enable crb || true");
}

TEST_F(HandleReposTest, RpmOtherReposAreWrittenAsRepoFiles) {
  EXPECT_EQ(
      Render("rpm", "rocky", "x86_64", StrList({"epel"}), "enable"),
      "RUN grep -rlF '[epel]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f"
      " && echo '[epel]' >/etc/yum.repos.d/epel.repo"
      " && echo 'name=epel' >>/etc/yum.repos.d/epel.repo"
      " && echo 'enabled=1' >>/etc/yum.repos.d/epel.repo"
      " && echo 'gpgkey=https://example.test/epel.key'"
      " >>/etc/yum.repos.d/epel.repo"
      " && echo 'metalink=https://mirrors.example.test/metalink?repo=epel'"
      " >>/etc/yum.repos.d/epel.repo");
}

TEST_F(HandleReposTest, RpmMultiLineKeysAndUrlsAndChecks) {
  // Checks come before keys whatever the YAML order; extra keys go on
  // continuation lines, extra baseurls on lines of their own.
  const std::string f = " >>/etc/yum.repos.d/multi.repo";
  EXPECT_EQ(
      Render("rpm", "rocky", "x86_64", StrList({"multi"}), "enable"),
      "RUN grep -rlF '[multi-repo]' /etc/yum.repos.d/ 2>/dev/null"
      " | xargs -r rm -f && echo '[multi-repo]' >/etc/yum.repos.d/multi.repo"
      " && echo 'name=multi-repo'" +
          f + " && echo 'enabled=1'" + f + " && echo 'gpgcheck=1'" + f +
          " && echo 'repo_gpgcheck=1'" + f +
          " && echo 'gpgkey=https://a.example.test/one.key'" + f +
          " && echo '       https://a.example.test/two.key'" + f +
          " && echo 'baseurl=https://a.example.test/el'" + f +
          " && echo 'baseurl=https://b.example.test/el'" + f);
}

TEST_F(HandleReposTest, RpmMixedListKeepsOrderAndSeparators) {
  std::string out = Render("rpm", "rocky", "x86_64",
                           StrList({"crb", "epel", "ceph"}), "enable");
  EXPECT_EQ(out.rfind("RUN dnf config-manager --enable crb || true && "
                      "grep -rlF '[epel]'",
                      0),
            0u);
  EXPECT_NE(out.find("repo=epel' >>/etc/yum.repos.d/epel.repo && dnf "
                     "config-manager --enable centos-ceph-squid || true"),
            std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 7), "|| true");
}

TEST_F(HandleReposTest, DistroSectionMergesFieldsOverPackageTypeSection) {
  // rocky's crb only adds file_group: it stays a distro repo named "crb".
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"crb"}), "enable"),
            "RUN dnf config-manager --enable crb || true");
}

TEST_F(HandleReposTest, ArchSectionMergesOverDistroAndGenericSections) {
  // aarch64 replaces only epel's metalink; its gpgkey and name remain.
  EXPECT_EQ(
      Render("rpm", "rocky", "aarch64", StrList({"epel"}), "enable"),
      "RUN grep -rlF '[epel]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f"
      " && echo '[epel]' >/etc/yum.repos.d/epel.repo"
      " && echo 'name=epel' >>/etc/yum.repos.d/epel.repo"
      " && echo 'enabled=1' >>/etc/yum.repos.d/epel.repo"
      " && echo 'gpgkey=https://example.test/epel.key'"
      " >>/etc/yum.repos.d/epel.repo"
      " && echo 'metalink=https://arm.example.test/metalink'"
      " >>/etc/yum.repos.d/epel.repo");
}

TEST_F(HandleReposTest, MissingArchSectionFallsBackToDistroTable) {
  EXPECT_EQ(Render("rpm", "rocky", "ppc64le", StrList({"crb"}), "enable"),
            "RUN dnf config-manager --enable crb || true");
}

TEST_F(HandleReposTest, RpmDisableOnlyTouchesDistroRepos) {
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"epel"}), "disable"), "");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"crb"}), "disable"),
            "RUN dnf config-manager --disable crb || true");
}

TEST_F(HandleReposTest, RpmDisableOfSeveralHasNoSeparatorLikeUpstream) {
  EXPECT_EQ(
      Render("rpm", "rocky", "x86_64", StrList({"crb", "ceph"}), "disable"),
      "RUN dnf config-manager --disable crb || truednf config-manager "
      "--disable centos-ceph-squid || true");
}

TEST_F(HandleReposTest, DebReposAreWrittenAsSourcesFiles) {
  const std::string f = " >>/etc/apt/sources.list.d/grafana.sources";
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"grafana"}), "enable"),
            "RUN echo 'Uris: https://apt.grafana.com' "
            ">/etc/apt/sources.list.d/grafana.sources"
            " && echo 'Components: main'" +
                f + " && echo 'Types: deb'" + f + " && echo 'Suites: stable'" +
                f + " && echo 'Signed-By: /etc/kolla/apt-keys/grafana.asc'" +
                f);
}

TEST_F(HandleReposTest, DebCodenameAbsoluteKeyAndTrusted) {
  const std::string f = " >>/etc/apt/sources.list.d/local.sources";
  // Only the suite's placeholder is replaced (lower-cased codename).
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"local"}), "enable"),
            "RUN echo 'Uris: http://mirror/{openstack_release_codename}' "
            ">/etc/apt/sources.list.d/local.sources"
            " && echo 'Components: '" +
                f + " && echo 'Types: deb'" + f +
                " && echo 'Suites: gazpacho-x/gazpacho'" + f +
                " && echo 'Signed-By: /usr/share/keyrings/local.gpg'" + f +
                " && echo 'Trusted: yes'" + f);
}

TEST_F(HandleReposTest, DebArchSectionAddsArchitectures) {
  std::string out =
      Render("deb", "debian", "aarch64", StrList({"grafana"}), "enable");
  const std::string tail =
      "grafana.asc' >>/etc/apt/sources.list.d/grafana.sources && echo "
      "'Architectures: amd64' >>/etc/apt/sources.list.d/grafana.sources";
  ASSERT_GT(out.size(), tail.size());
  EXPECT_EQ(out.substr(out.size() - tail.size()), tail);
}

TEST_F(HandleReposTest, DebDistroReposAndDisableRenderNothing) {
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"debian"}), "enable"),
            "");
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"grafana"}), "disable"),
            "");
}

TEST_F(HandleReposTest, DebListEndingInDistroRepoKeepsTrailingSeparator) {
  std::string out = Render("deb", "debian", "x86_64",
                           StrList({"grafana", "debian"}), "enable");
  EXPECT_EQ(out.substr(out.size() - 12), ".sources && ");
}

TEST_F(HandleReposTest, UnknownRepoFailsInEveryMode) {
  const char* want =
      "KeyError: 'epel': no such repository in repos.yaml sections 'deb', "
      "'debian' and 'debian-x86_64'";
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"epel"}), "enable"),
            want);
  EXPECT_EQ(Render("deb", "debian", "x86_64", StrList({"epel"}), "disable"),
            want);
}

TEST_F(HandleReposTest, EmptyListRendersNothing) {
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({}), "enable"), "");
}

TEST_F(HandleReposTest, ArgumentErrors) {
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", Str("epel"), "enable"),
            "TypeError: First argument should be a list of repositories");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64",
                   tmpl::Value::NewTuple({Str("epel")}), "enable"),
            "TypeError: First argument should be a list of repositories");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"epel"}), "enabled"),
            "ValueError: unknown handle_repos mode 'enabled'; expected "
            "'enable' or 'disable'");
}

TEST_F(HandleReposTest, IncompleteRpmEntriesFailLikeUpstream) {
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"nourl"}), "enable"),
            "ValueError: Repository 'nourl' has no baseurl, metalink, or "
            "mirrorlist");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"nokey"}), "enable"),
            "ValueError: Repository 'nokey' has no gpgkey");
}

TEST_F(HandleReposTest, MissingFieldNamesFieldAndRepo) {
  std::string path = dir_.Write("o.yaml", "deb:\n  grafana:\n    url: u\n");
  EXPECT_EQ(
      Render("deb", "debian", "x86_64", StrList({"grafana"}), "enable", path),
      "KeyError: 'gpg_key': repository 'grafana' in repos.yaml has no "
      "such field");
}

TEST_F(HandleReposTest, OverrideReplacesWholeEntriesAndAddsSections) {
  std::string path =
      dir_.Write("o.yaml",
                 "rpm:\n  epel:\n    baseurl: https://mirror.local/epel\n"
                 "    gpgkey: k\n    name: epel-local\n"
                 "site:\n  x: {name: y}\n");
  std::string out = Render("rpm", "rocky", "x86_64", StrList({"epel", "crb"}),
                           "enable", path);
  EXPECT_EQ(out,
            "RUN grep -rlF '[epel-local]' /etc/yum.repos.d/ 2>/dev/null | "
            "xargs -r rm -f && echo '[epel-local]' >/etc/yum.repos.d/epel.repo"
            " && echo 'name=epel-local' >>/etc/yum.repos.d/epel.repo"
            " && echo 'enabled=1' >>/etc/yum.repos.d/epel.repo"
            " && echo 'gpgkey=k' >>/etc/yum.repos.d/epel.repo"
            " && echo 'baseurl=https://mirror.local/epel'"
            " >>/etc/yum.repos.d/epel.repo"
            " && dnf config-manager --enable crb || true");
}

TEST_F(HandleReposTest, OverridingOneRepoOfASharedDistroFileFails) {
  std::string path =
      dir_.Write("o.yaml",
                 "rocky:\n  baseos:\n    baseurl: https://mirror.local/baseos\n"
                 "    gpgkey: k\n    name: baseos\n");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({"epel"}), "enable", path),
            "ValueError: Repositories ['baseos'] override distro-provided "
            "repos and will remove their .repo file. Repositories "
            "['appstream', 'crb'] are still using distro defaults and share "
            "the same file. Please also override them in your repos.yaml.");
}

TEST_F(HandleReposTest, LoadErrorsNameTheFile) {
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({}), "enable",
                   dir_.path() + "/absent.yaml"),
            "load: [Errno 2] No such file or directory: '" + dir_.path() +
                "/absent.yaml'");
  std::string bad = dir_.Write("bad.yaml", "rpm: [a\n");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({}), "enable", bad),
            "load: cannot parse '" + bad +
                "': end of sequence flow not found at line 2, column 1");
  std::string list = dir_.Write("list.yaml", "- a\n");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({}), "enable", list),
            "load: repos file '" + list +
                "': expected a mapping of sections, found list");
  std::string entry = dir_.Write("entry.yaml", "rpm:\n  epel: text\n");
  EXPECT_EQ(Render("rpm", "rocky", "x86_64", StrList({}), "enable", entry),
            "load: repos file '" + entry +
                "': repository 'epel' in section 'rpm' is not a mapping");
}

TEST(BuildRepoTableTest, UrlGainedByMergeDropsDistroFlag) {
  TempDir dir;
  std::string path = dir.Write("r.yaml",
                               "rpm:\n  crb: {distro: true, name: crb}\n"
                               "rocky:\n  crb: {baseurl: 'https://m/crb'}\n");
  auto data = LoadRepoData(path, "");
  ASSERT_TRUE(data.ok()) << data.error().message;
  RepoTarget target{Str("rpm"), Str("rocky"), Str("x86_64"), Str("G")};
  tmpl::Value crb =
      *BuildRepoTable(data.value()->sections, target).DictGet("crb");
  EXPECT_EQ(crb.Repr(), "{'name': 'crb', 'baseurl': 'https://m/crb'}");
}

// The corpus's repos.yaml against lines of upstream's expected Dockerfiles.
struct CorpusCase {
  const char* distro;
  std::vector<const char*> names;
  const char* dockerfile;  // under expected/<distro>/
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(HandleReposCorpusTest, MatchesUpstreamDockerfiles) {
  std::string corpus = testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "no shared kolla corpus";
  auto data = LoadRepoData(corpus + "/kolla/template/repos.yaml", "");
  ASSERT_TRUE(data.ok()) << data.error().message;
  const CorpusCase cases[] = {
      {"rocky", {"baseos", "appstream"}, "base"},
      {"rocky", {"epel"}, "base"},
      {"rocky",
       {"ceph", "crb", "epel", "openvswitch", "ligenix-qemu-spice"},
       "nova/nova-libvirt-spice"},
      {"rocky", {"erlang", "rabbitmq"}, "rabbitmq"},
      {"rocky", {"opensearch"}, "opensearch/opensearch"},
      {"centos", {"hacluster"}, "hacluster/hacluster-base"},
      {"centos", {"epel", "mariadb"}, "mariadb-server"},
      {"centos", {"crb", "epel", "openvswitch"}, "kolla-toolbox"},
      {"centos", {"docker-ce"}, "neutron/neutron-base"},
      {"debian", {"erlang", "rabbitmq"}, "rabbitmq"},
      {"debian", {"proxysql"}, "proxysql"},
      {"debian", {"mariadb"}, "keepalived"},
      {"ubuntu", {"ubuntu", "ubuntu-security", "ubuntu-cloud-archive"}, "base"},
      {"ubuntu", {"docker-ce"}, "neutron/neutron-base"},
      {"ubuntu", {"opensearch-dashboards"}, "opensearch/opensearch-dashboards"},
  };
  for (const auto& c : cases) {
    std::string distro = c.distro;
    bool rpm = distro == "rocky" || distro == "centos";
    RepoTarget target{Str(rpm ? "rpm" : "deb"), Str(c.distro), Str("x86_64"),
                      Str("Gazpacho")};
    std::vector<tmpl::Value> names;
    for (const char* n : c.names) names.push_back(Str(n));
    auto out = HandleRepos(*data.value(), target, tmpl::Value::NewList(names),
                           Str("enable"));
    ASSERT_TRUE(out.ok()) << out.error().message;
    ASSERT_FALSE(out.value().empty());
    std::string expected = ReadFile(corpus + "/expected/" + distro + "/" +
                                    c.dockerfile + "/Dockerfile");
    EXPECT_NE(expected.find("\n" + out.value() + "\n"), std::string::npos)
        << distro << " " << c.dockerfile << ": " << out.value();
  }
}

TEST(HandleReposCorpusTest, DebianDistroReposRenderNothing) {
  std::string corpus = testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "no shared kolla corpus";
  auto data = LoadRepoData(corpus + "/kolla/template/repos.yaml", "");
  ASSERT_TRUE(data.ok()) << data.error().message;
  RepoTarget target{Str("deb"), Str("debian"), Str("x86_64"), Str("G")};
  auto out = HandleRepos(*data.value(), target,
                         StrList({"debian", "debian-security"}), Str("enable"));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out.value(), "");
}

}  // namespace
}  // namespace kb::kolla
