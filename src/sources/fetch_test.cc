// `url` and `git` sources (B033, B031's clone naming) and the merged
// plugins/additions archives (B029), against a real HTTP server on
// 127.0.0.1 and git repositories made on disk.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "sources/sources.h"
#include "sources/test_util.h"

namespace kb::sources {
namespace {

namespace fs = std::filesystem;
using testing::HttpServer;
using testing::ListTree;
using testing::Member;
using testing::Names;
using testing::ReadFile;
using testing::ReadTar;

using testing::TempDir;
using testing::WriteFile;

const char kPayloadSha[] =
    "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5";

class UrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Route("/payload", {200, "", "payload"});
    opts_.debian_arch = "arm64";  // --base-arch aarch64 on any host
  }

  FetchResult Get(const std::string& path,
                  std::vector<std::pair<std::string, std::string>> sha = {}) {
    Source s{"keystone-base", "url", server_.Url(path),
             std::nullopt,    sha,   true};
    return Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  }

  std::string Archive() const { return dest_ / "keystone-base-archive"; }

  HttpServer server_;
  TempDir dest_;
  FetchOptions opts_;
};

TEST_F(UrlTest, NoSha256IsAccepted) {
  FetchResult r = Get("/payload");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.archive_path, Archive());
  EXPECT_EQ(ReadFile(Archive()), "payload");
  struct stat st;
  ASSERT_EQ(stat(Archive().c_str(), &st), 0);
  EXPECT_EQ(st.st_mtime, 0);
}

TEST_F(UrlTest, Sha256OfTheTargetArchIsChecked) {
  FetchResult r = Get("/payload", {{"amd64", "bad"}, {"arm64", kPayloadSha}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ReadFile(Archive()), "payload");
}

TEST_F(UrlTest, Sha256ComparisonIgnoresCase) {
  std::string upper = kPayloadSha;
  for (char& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_TRUE(Get("/payload", {{"arm64", upper}}).ok);
}

TEST_F(UrlTest, Sha256MismatchIsAnError) {
  FetchResult r = Get("/payload", {{"arm64", "bad"}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            std::string("source 'keystone-base': sha256 checksum does not "
                        "match (configured: bad, computed: ") +
                kPayloadSha + ")");
  EXPECT_TRUE(ListTree(dest_.path()).empty());
}

TEST_F(UrlTest, MissingArchKeyIsAClearError) {
  // B033: upstream's KeyError left the image in status 'building'.
  FetchResult r = Get("/payload", {{"amd64", kPayloadSha}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            "source 'keystone-base': no sha256 for arch 'arm64' (configured "
            "for: amd64)");
  EXPECT_EQ(server_.requests(), 0);  // refused before downloading
  EXPECT_TRUE(ListTree(dest_.path()).empty());
}

TEST_F(UrlTest, HttpErrorIsAnErrorAndLeavesNoFile) {
  server_.Route("/gone", {404, "", "nope"});
  FetchResult r = Get("/gone");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "source 'keystone-base': cannot download '" +
                         server_.Url("/gone") + "': status code 404");
  EXPECT_TRUE(ListTree(dest_.path()).empty());
}

TEST_F(UrlTest, FailureKeepsAnEarlierArchiveWhole) {
  WriteFile(Archive(), "earlier");
  server_.Route("/err", {500, "", "partial body"});
  EXPECT_FALSE(Get("/err").ok);
  EXPECT_EQ(ReadFile(Archive()), "earlier");
  EXPECT_EQ(ListTree(dest_.path()),
            (std::vector<std::string>{"keystone-base-archive"}));
}

TEST_F(UrlTest, TruncatedBodyIsAnErrorAndLeavesNoFile) {
  server_.Route("/short", {200, "", "payl", false, 7});
  FetchResult r = Get("/short");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("source 'keystone-base': cannot download '" +
                              server_.Url("/short") + "': transfer closed",
                          0),
            0u)
      << r.error;
  EXPECT_TRUE(ListTree(dest_.path()).empty());
}

TEST_F(UrlTest, RedirectsAreFollowed) {
  server_.Route("/old", {302, "Location: /mid\r\n", ""});
  server_.Route("/mid",
                {301, "Location: " + server_.Url("/payload") + "\r\n", ""});
  FetchResult r = Get("/old", {{"arm64", kPayloadSha}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ReadFile(Archive()), "payload");
  EXPECT_EQ(server_.requests(), 3);
}

TEST_F(UrlTest, StalledServerTimesOut) {
  server_.Route("/hang", {200, "", "", true});
  opts_.timeout_seconds = 1;
  auto start = std::chrono::steady_clock::now();
  FetchResult r = Get("/hang");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("source 'keystone-base': cannot download '" +
                              server_.Url("/hang") + "': Operation too slow",
                          0),
            0u)
      << r.error;
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_TRUE(ListTree(dest_.path()).empty());
}

TEST_F(UrlTest, RefusedConnectionIsAnError) {
  Source s{"keystone-base", "url", "http://127.0.0.1:1/x",
           std::nullopt,    {},    true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("source 'keystone-base': cannot download "
                          "'http://127.0.0.1:1/x': Failed to connect",
                          0),
            0u)
      << r.error;
}

TEST_F(UrlTest, OnlyHttpIsAllowed) {
  WriteFile(dest_ / "secret", "s");
  Source s{"keystone-base", "url", "file://" + (dest_ / "secret"),
           std::nullopt,    {},    true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(
      r.error.rfind("source 'keystone-base': cannot download 'file://", 0), 0u)
      << r.error;
  EXPECT_FALSE(testing::Exists(Archive()));
}

TEST_F(UrlTest, BusyboxHttpdServesTheArchive) {
  // The same download from a real, separate web server process.
  if (!fs::exists("/bin/busybox")) GTEST_SKIP() << "no busybox";
  TempDir www;
  WriteFile(www / "src.tar", "payload");
  // A port the kernel just handed out and that is free again.
  int port = 0;
  {
    HttpServer probe;
    port = probe.port();
  }
  std::string addr = "127.0.0.1:" + std::to_string(port);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/busybox", "busybox", "httpd", "-f", "-p", addr.c_str(), "-h",
          www.path().c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  Source s{"keystone-base",
           "url",
           "http://" + addr + "/src.tar",
           std::nullopt,
           {{"arm64", kPayloadSha}},
           true};
  FetchResult r;
  // Bounded wait for the server to listen.
  for (int i = 0; i < 50; ++i) {
    r = Fetch(s, dest_.path(), "keystone-base-archive", opts_);
    if (r.ok) break;
    usleep(100 * 1000);
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ReadFile(Archive()), "payload");
}

/// A repository with a default branch, a tag, a slashed branch and a
/// commit reachable only by its sha.
class GitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = tmp_ / "repo";
    fs::create_directories(repo_);
    Git({"init", "--quiet", "--initial-branch=master"});
    WriteFile(repo_ + "/README", "v1\n");
    Git({"add", "README"});
    Git({"commit", "--quiet", "-m", "one"});
    Git({"tag", "1.0.0"});
    first_sha_ = Trim(Git({"rev-parse", "HEAD"}));
    WriteFile(repo_ + "/README", "v2\n");
    Git({"commit", "--quiet", "-am", "two"});
    Git({"checkout", "--quiet", "-b", "stable/2025.1"});
    WriteFile(repo_ + "/STABLE", "stable\n");
    Git({"add", "STABLE"});
    Git({"commit", "--quiet", "-m", "three"});
    Git({"checkout", "--quiet", "master"});
    fs::create_directories(dest_.path());
    opts_.work_dir = work_.path();
  }

  std::string Git(std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo_, "-c", "user.name=t", "-c",
                               "user.email=t@example.org"});
    return kb::sources::testing::Run(args);
  }

  static std::string Trim(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }

  FetchResult Clone(const std::string& ref) {
    Source s{"keystone-base", "git", "file://" + repo_, ref, {}, true};
    return Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  }

  /// The member named `name`, or an empty one.
  static Member Find(const std::vector<Member>& m, const std::string& name) {
    for (const Member& x : m) {
      if (x.name == name) return x;
    }
    return Member{"<missing " + name + ">", '?'};
  }

  TempDir tmp_, dest_, work_;
  std::string repo_;
  std::string first_sha_;
  FetchOptions opts_;
};

TEST_F(GitTest, BranchWithSlashIsClonedUnderUpstreamsName) {
  FetchResult r = Clone("stable/2025.1");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.archive_path, dest_ / "keystone-base-archive");
  std::vector<Member> m = ReadTar(r.archive_path);
  const std::string top = "keystone-base-archive-stable-2025.1/";
  EXPECT_EQ(m.at(0).name, top);
  EXPECT_EQ(Find(m, top + "STABLE").data, "stable\n");
  EXPECT_EQ(Find(m, top + "README").data, "v2\n");
  EXPECT_EQ(Find(m, top + ".git/").type, 'd');
  // The remote is gone, the history is not (PBR reads it).
  std::string config = Find(m, top + ".git/config").data;
  EXPECT_EQ(config.find("origin"), std::string::npos) << config;
  EXPECT_EQ(config.find(repo_), std::string::npos) << config;
  EXPECT_EQ(Find(m, top + ".git/HEAD").data, "ref: refs/heads/stable/2025.1\n");
  for (const Member& x : m) {
    EXPECT_EQ(x.uid, 0) << x.name;
    EXPECT_EQ(x.uname, "root") << x.name;
    EXPECT_EQ(x.mtime, 0) << x.name;
  }
  // Only the archive is left: the clone was made in the work dir's scratch
  // space and removed.
  EXPECT_EQ(ListTree(dest_.path()),
            (std::vector<std::string>{"keystone-base-archive"}));
  EXPECT_TRUE(ListTree(work_.path()).empty());
  EXPECT_NE(std::find(r.log.begin(), r.log.end(),
                      "git checkout by reference stable/2025.1 (" +
                          Trim(Git({"rev-parse", "stable/2025.1"})) + ")"),
            r.log.end());
}

TEST_F(GitTest, TagIsCheckedOut) {
  FetchResult r = Clone("1.0.0");
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<Member> m = ReadTar(r.archive_path);
  EXPECT_EQ(Find(m, "keystone-base-archive-1.0.0/README").data, "v1\n");
  EXPECT_EQ(Find(m, "keystone-base-archive-1.0.0/STABLE").type, '?');
}

TEST_F(GitTest, CommitShaIsCheckedOut) {
  FetchResult r = Clone(first_sha_);
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<Member> m = ReadTar(r.archive_path);
  EXPECT_EQ(Find(m, "keystone-base-archive-" + first_sha_ + "/README").data,
            "v1\n");
}

TEST_F(GitTest, MissingReferenceIsAClearError) {
  FetchResult r = Clone("stable/1999.9");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            "source 'keystone-base': git reference 'stable/1999.9' "
            "not found in 'file://" +
                repo_ + "'");
  EXPECT_TRUE(ListTree(dest_.path()).empty());
  EXPECT_TRUE(ListTree(work_.path()).empty());
}

TEST_F(GitTest, FileNameIsNotAReference) {
  // `git checkout README` would succeed, restoring a file.
  FetchResult r = Clone("README");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            "source 'keystone-base': git reference 'README' not "
            "found in 'file://" +
                repo_ + "'");
}

TEST_F(GitTest, UnreachableRepositoryIsAClearError) {
  Source s{"keystone-base", "git", "file://" + (tmp_ / "nope"),
           "master",        {},    true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  EXPECT_FALSE(r.ok);
  std::string nope = tmp_ / "nope";
  EXPECT_EQ(r.error, "source 'keystone-base': cannot clone 'file://" + nope +
                         "': fatal: '" + nope +
                         "' does not appear to be a git repository");
  EXPECT_TRUE(ListTree(work_.path()).empty());
}

TEST_F(GitTest, MissingReferenceOptionIsAClearError) {
  Source s{"keystone-base", "git", "file://" + repo_, std::nullopt, {}, true};
  FetchResult r = Fetch(s, dest_.path(), "keystone-base-archive", opts_);
  EXPECT_EQ(r.error, "source 'keystone-base': git source has no 'reference'");
}

TEST_F(GitTest, WithoutAWorkDirTheCloneIsMadeInTheDestination) {
  opts_.work_dir.clear();
  FetchResult r = Clone("master");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(ListTree(dest_.path()),
            (std::vector<std::string>{"keystone-base-archive"}));
}

TEST_F(GitTest, ParallelClonesOfTheSameSourceDoNotClash) {
  // The scheduler fetches for several images at once, sharing a work dir.
  std::vector<TempDir> dests(4);
  std::vector<FetchResult> results(dests.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < dests.size(); ++i) {
    threads.emplace_back([&, i] {
      Source s{"keystone-base", "git", "file://" + repo_,
               "stable/2025.1", {},    true};
      results[i] = Fetch(s, dests[i].path(), "keystone-base-archive", opts_);
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < dests.size(); ++i) {
    ASSERT_TRUE(results[i].ok) << results[i].error;
    std::vector<Member> m = ReadTar(results[i].archive_path);
    EXPECT_EQ(Find(m, "keystone-base-archive-stable-2025.1/STABLE").data,
              "stable\n");
  }
  EXPECT_TRUE(ListTree(work_.path()).empty());
}

class MergedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    img_ = work_ / "docker/img";
    fs::create_directories(img_);
  }

  TempDir tmp_, work_;
  std::string img_;
  FetchOptions opts_;
};

TEST_F(MergedTest, NoSourcesGiveAnArchiveOfAnEmptyFolder) {
  FetchResult r = MakeMergedArchive({}, img_, "plugins", opts_);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.archive_path, img_ + "/plugins-archive");
  std::vector<Member> m = ReadTar(r.archive_path);
  EXPECT_EQ(Names(m), (std::vector<std::string>{"plugins/"}));
  EXPECT_EQ(m[0].uid, 0);
  EXPECT_EQ(m[0].mtime, 0);
  EXPECT_EQ(ListTree(img_),
            (std::vector<std::string>{"plugins-archive", "plugins/"}));
}

TEST_F(MergedTest, SourcesAreMergedUnderTheKind) {
  WriteFile(tmp_ / "foo-plugin/setup.py", "foo");
  WriteFile(tmp_ / "bar/setup.cfg", "bar");
  std::vector<Source> srcs = {
      {"img-plugin-foo", "local", tmp_ / "foo-plugin", std::nullopt, {}, true},
      {"img-plugin-off", "local", tmp_ / "missing", std::nullopt, {}, false},
      {"img-plugin-bar", "local", tmp_ / "bar", std::nullopt, {}, true}};
  FetchResult r = MakeMergedArchive(srcs, img_, "plugins", opts_);
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<Member> m = ReadTar(r.archive_path);
  EXPECT_EQ(Names(m),
            (std::vector<std::string>{
                "plugins/", "plugins/bar/", "plugins/bar/setup.cfg",
                "plugins/foo-plugin/", "plugins/foo-plugin/setup.py"}));
  EXPECT_EQ(m[4].data, "foo");
  // PARITY(kolla): each source's own archive stays beside it.
  EXPECT_TRUE(testing::Exists(img_ + "/img-plugin-foo-archive"));
  EXPECT_FALSE(testing::Exists(img_ + "/img-plugin-off-archive"));
  EXPECT_NE(std::find(r.log.begin(), r.log.end(),
                      "turned 2 plugins into plugins archive"),
            r.log.end());

  // The same inputs again give the same bytes.
  std::string first = testing::Sha256(r.archive_path);
  fs::remove_all(img_ + "/plugins");
  FetchResult again = MakeMergedArchive(srcs, img_, "plugins", opts_);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(testing::Sha256(again.archive_path), first);
}

TEST_F(MergedTest, MaliciousDownloadedPluginIsRefused) {
  HttpServer server;
  testing::MakeTar(tmp_ / "sibling.tar",
                   {{"../plugins-evil/pwn.txt", 'f', "x"}});
  server.Route("/evil.tar", {200, "", ReadFile(tmp_ / "sibling.tar")});
  std::vector<Source> srcs = {{"img-plugin-evil",
                               "url",
                               server.Url("/evil.tar"),
                               std::nullopt,
                               {},
                               true}};
  FetchResult r = MakeMergedArchive(srcs, img_, "plugins", opts_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            "source 'img-plugin-evil': unsafe member "
            "'../plugins-evil/pwn.txt' in '" +
                img_ +
                "/img-plugin-evil-archive': it leaves the "
                "destination");
  EXPECT_FALSE(testing::Exists(img_ + "/plugins-evil"));
  EXPECT_FALSE(testing::Exists(img_ + "/plugins-archive"));
}

TEST_F(MergedTest, GitAdditionIsMerged) {
  std::string repo = tmp_ / "extra";
  fs::create_directories(repo);
  std::vector<std::string> git = {
      "git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org"};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), git.begin(), git.end());
    return kb::sources::testing::Run(args);
  };
  run({"init", "--quiet", "--initial-branch=main"});
  WriteFile(repo + "/tool.sh", "echo hi\n");
  run({"add", "tool.sh"});
  run({"commit", "--quiet", "-m", "one"});
  std::vector<Source> srcs = {
      {"img-additions-extra", "git", "file://" + repo, "main", {}, true}};
  opts_.work_dir = tmp_ / "scratch";
  fs::create_directories(opts_.work_dir);
  FetchResult r = MakeMergedArchive(srcs, img_, "additions", opts_);
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<Member> m = ReadTar(r.archive_path);
  ASSERT_GE(m.size(), 3u);
  EXPECT_EQ(m[0].name, "additions/");
  EXPECT_EQ(m[1].name, "additions/img-additions-extra-archive-main/");
  bool found = false;
  for (const Member& x : m) {
    if (x.name == "additions/img-additions-extra-archive-main/tool.sh") {
      found = x.data == "echo hi\n";
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(MergedTest, RelativeWorkDirAcceptsAnOkPlugin) {
  // B029: upstream refused every plugin when --work-dir was relative.
  testing::MakeTar(tmp_ / "ok.tar", {{"repo/setup.py", 'f', "ok"}});
  std::vector<Source> srcs = {
      {"img-plugin-ok", "local", tmp_ / "ok.tar", std::nullopt, {}, true}};
  char cwd[4096];
  ASSERT_TRUE(getcwd(cwd, sizeof cwd));
  ASSERT_EQ(chdir(work_.path().c_str()), 0);
  FetchResult r = MakeMergedArchive(srcs, "docker/img", "plugins", opts_);
  ASSERT_EQ(chdir(cwd), 0);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.archive_path, "docker/img/plugins-archive");
  EXPECT_EQ(Names(ReadTar(img_ + "/plugins-archive")),
            (std::vector<std::string>{"plugins/", "plugins/repo/",
                                      "plugins/repo/setup.py"}));
}

TEST_F(MergedTest, FailingSourceIsNamed) {
  std::vector<Source> srcs = {
      {"img-plugin-x", "local", tmp_ / "missing", std::nullopt, {}, true}};
  FetchResult r = MakeMergedArchive(srcs, img_, "plugins", opts_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "source 'img-plugin-x': cannot read local source '" +
                         (tmp_ / "missing") + "': No such file or directory");
}

}  // namespace
}  // namespace kb::sources
