// The client's requests and its reading of answers, against a scripted
// server (see fake_http_server.h); the e2e tests cover the real daemon.

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "engine/engine_client.h"
#include "engine/fake_http_server.h"

namespace kb::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

FakeResponse Json(int status, const std::string& body) {
  FakeResponse r;
  r.status = status;
  r.chunks = {body};
  return r;
}

// The content of one member of a tar.
std::string TarFile(const std::string& bytes, const std::string& name) {
  std::string out;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_open_memory(a, bytes.data(), bytes.size());
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    if (archive_entry_pathname(e) != name) continue;
    char buf[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) out.append(buf, n);
  }
  archive_read_free(a);
  return out;
}

// Member names of a tar, read back with libarchive.
std::vector<std::string> TarNames(const std::string& bytes) {
  std::vector<std::string> names;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_open_memory(a, bytes.data(), bytes.size());
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    names.push_back(archive_entry_pathname(e));
  }
  archive_read_free(a);
  return names;
}

class DockerClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kb-engine-fake-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ + "/ctx");
    std::ofstream(dir_ + "/ctx/Dockerfile") << "FROM base\n";
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  // Serves /version with `api_version` (and Podman's component list when
  // `podman`); `handler` answers everything else.
  void Serve(std::function<FakeResponse(const FakeRequest&)> handler,
             const std::string& api_version = "1.41", bool podman = false) {
    server_ = std::make_unique<FakeHttpServer>(
        dir_ + "/engine.sock",
        [handler, api_version, podman](const FakeRequest& r) {
          if (r.target == "/version") {
            std::string components =
                podman ? R"(,"Components":[{"Name":"Podman Engine"}])" : "";
            return Json(200, R"({"Version":"x","ApiVersion":")" + api_version +
                                 "\"" + components + "}");
          }
          return handler(r);
        });
    client_ = MakeDockerClient(server_->host(), 10);
  }

  // The requests after /version.
  std::vector<FakeRequest> Calls() {
    std::vector<FakeRequest> calls;
    for (const FakeRequest& r : server_->requests()) {
      if (r.target != "/version") calls.push_back(r);
    }
    return calls;
  }

  BuildRequest Request() {
    BuildRequest r;
    r.context_dir = dir_ + "/ctx";
    r.tag = "reg:5000/kolla/base:master";
    return r;
  }

  std::string dir_;
  std::unique_ptr<FakeHttpServer> server_;
  std::unique_ptr<EngineClient> client_;
};

TEST_F(DockerClientTest, UsesTheDaemonsOlderApiVersion) {
  Serve([](const FakeRequest&) { return Json(404, R"({"message":"no"})"); },
        "1.41");
  client_->InspectImage("x", nullptr);
  ASSERT_EQ(Calls().size(), 1u);
  EXPECT_EQ(Calls()[0].target, "/v1.41/images/x/json");
}

TEST_F(DockerClientTest, CapsANewerApiVersionAtOurs) {
  Serve([](const FakeRequest&) { return Json(404, R"({"message":"no"})"); },
        "1.51");
  ASSERT_EQ(client_->Ping(), std::nullopt);
  client_->InspectImage("x", nullptr);
  EXPECT_EQ(Calls()[0].target, "/v1.45/images/x/json");
}

TEST_F(DockerClientTest, BuildSendsParametersAndTheContextTar) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"aux":{"ID":"sha256:1234"}})"
                     "\r\n");
  });
  BuildRequest request = Request();
  request.nocache = true;
  request.pull = true;
  request.network_mode = "host";
  request.buildargs = {{"http_proxy", "http://p:3128"}};
  request.labels = {{"build-date", "20260101"}};
  BuildResult result = client_->Build(request, nullptr);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.image_id, "sha256:1234");

  std::vector<FakeRequest> calls = Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "POST");
  EXPECT_EQ(calls[0].target,
            "/v1.41/build?t=reg%3A5000%2Fkolla%2Fbase%3Amaster&nocache=1&rm=1"
            "&forcerm=1&pull=1&networkmode=host"
            "&buildargs=%7B%22http_proxy%22%3A%22http%3A%2F%2Fp%3A3128%22%7D");
  EXPECT_EQ(calls[0].headers["content-type"], "application/x-tar");
  EXPECT_EQ(calls[0].headers["transfer-encoding"], "chunked");
  EXPECT_EQ(TarNames(calls[0].body), std::vector<std::string>{"Dockerfile"});
  // Docker's classic builder makes a step per label parameter: they go as
  // one LABEL line of the Dockerfile sent, the file on disk untouched.
  EXPECT_EQ(TarFile(calls[0].body, "Dockerfile"),
            "FROM base\nLABEL \"build-date\"=\"20260101\"\n");
  std::ifstream disk(dir_ + "/ctx/Dockerfile");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(disk), {}),
            "FROM base\n");
}

TEST_F(DockerClientTest, PodmanGetsLabelsAsTheParameter) {
  Serve(
      [](const FakeRequest&) {
        return Json(200, R"({"aux":{"ID":"sha256:1234"}})");
      },
      "1.41", /*podman=*/true);
  BuildRequest request = Request();
  request.labels = {{"build-date", "20260101"}};
  ASSERT_TRUE(client_->Build(request, nullptr).ok);
  std::vector<FakeRequest> calls = Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_NE(calls[0].target.find(
                "&labels=%7B%22build-date%22%3A%2220260101%22%7D"),
            std::string::npos);
  EXPECT_EQ(TarFile(calls[0].body, "Dockerfile"), "FROM base\n");
}

TEST_F(DockerClientTest, BuildSendsRegistryConfigOnlyWhenGiven) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"aux":{"ID":"sha256:1234"}})");
  });
  ASSERT_TRUE(client_->Build(Request(), nullptr).ok);
  BuildRequest request = Request();
  request.registry_config_b64 = "eyJxIjoge319";
  ASSERT_TRUE(client_->Build(request, nullptr).ok);
  std::vector<FakeRequest> calls = Calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].headers.count("x-registry-config"), 0u);
  EXPECT_EQ(calls[1].headers["x-registry-config"], "eyJxIjoge319");
}

TEST_F(DockerClientTest, BuildOmitsEmptyBuildArgsAndLabels) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"aux":{"ID":"sha256:1234"}})");
  });
  ASSERT_TRUE(client_->Build(Request(), nullptr).ok);
  EXPECT_EQ(Calls()[0].target,
            "/v1.41/build?t=reg%3A5000%2Fkolla%2Fbase%3Amaster&nocache=0&rm=1"
            "&forcerm=1&pull=0");
}

TEST_F(DockerClientTest, UntaggedBuildSendsNoT) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"aux":{"ID":"sha256:1234"}})");
  });
  BuildRequest request = Request();
  request.tag = "";
  ASSERT_TRUE(client_->Build(request, nullptr).ok);
  EXPECT_EQ(Calls()[0].target, "/v1.41/build?nocache=0&rm=1&forcerm=1&pull=0");
}

TEST_F(DockerClientTest, B034StreamErrorFailsTheBuildWithItsText) {
  Serve([](const FakeRequest&) {
    FakeResponse r;
    r.chunks = {
        "{\"stream\":\"Step 1/3 : FROM kolla/base:t\\n\"}\r\n"
        "{\"stream\":\" ---\\u003e 1a2b\\n\"}\r\n{\"str",
        "eam\":\"Step 2/3 : RUN false\\n\"}\r\n",
        "{\"aux\":{\"ID\":\"sha256:abc\"}}\r\n"
        "{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c "
        "false' returned a non-zero code: 1\"},\"error\":\"The command "
        "'/bin/sh -c false' returned a non-zero code: 1\"}\r\n"};
    return r;
  });
  std::vector<std::string> lines;
  BuildResult result = client_->Build(Request(), [&](const json& msg) {
    if (msg.contains("stream")) lines.push_back(msg["stream"]);
  });
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.connection_error);
  EXPECT_EQ(result.error,
            "The command '/bin/sh -c false' returned a non-zero code: 1");
  EXPECT_EQ(lines, (std::vector<std::string>{"Step 1/3 : FROM kolla/base:t\n",
                                             " ---> 1a2b\n",
                                             "Step 2/3 : RUN false\n"}));
}

TEST_F(DockerClientTest, StreamErrorLosesItsLineEnd) {
  // Podman's form: no errorDetail message, a trailing newline.
  Serve([](const FakeRequest&) {
    return Json(200, R"({"stream":"STEP 2/2\n"})"
                     "\r\n"
                     R"({"error":"exit status 3\n","errorDetail":{}})");
  });
  BuildResult result = client_->Build(Request(), nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "exit status 3");
}

TEST_F(DockerClientTest, EachMessageArrivesBeforeTheNextChunkIsSent) {
  std::mutex mu;
  std::condition_variable cv;
  int seen = 0;
  bool waited_in_vain = false;
  Serve([&](const FakeRequest&) {
    FakeResponse r;
    r.chunks = {R"({"stream":"one\n"})"
                "\r\n",
                R"({"stream":"two\n"})"
                "\r\n",
                R"({"aux":{"ID":"sha256:9"}})"};
    r.before_chunk = [&](size_t i) {
      std::unique_lock<std::mutex> lock(mu);
      if (!cv.wait_for(lock, std::chrono::seconds(5),
                       [&] { return seen >= static_cast<int>(i); })) {
        waited_in_vain = true;
      }
    };
    return r;
  });
  BuildResult result = client_->Build(Request(), [&](const json&) {
    std::lock_guard<std::mutex> lock(mu);
    ++seen;
    cv.notify_all();
  });
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(seen, 3);
  EXPECT_FALSE(waited_in_vain);
}

TEST_F(DockerClientTest, HttpErrorBeforeTheStreamGivesStatusAndMessage) {
  Serve([](const FakeRequest&) {
    return Json(
        500, R"({"message":"Cannot locate specified Dockerfile: Dockerfile"})");
  });
  BuildResult result = client_->Build(Request(), nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "engine: POST /build: 500: Cannot locate specified Dockerfile: "
            "Dockerfile");
}

TEST_F(DockerClientTest, ShortIdOfSuccessfullyBuiltIsResolved) {
  Serve([](const FakeRequest& r) {
    if (r.target == "/v1.41/images/c686ef33086c/json") {
      return Json(200, R"({"Id":"sha256:c686ef33086cfull","Config":{}})");
    }
    return Json(200, R"({"stream":"Successfully built c686ef33086c\n"})");
  });
  BuildResult result = client_->Build(Request(), nullptr);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.image_id, "sha256:c686ef33086cfull");
}

TEST_F(DockerClientTest, SilentStepLongerThanTheTimeoutIsNotCut) {
  Serve([](const FakeRequest&) {
    FakeResponse r;
    r.chunks = {R"({"stream":"Step 1/1 : RUN make\n"})"
                "\r\n",
                R"({"aux":{"ID":"sha256:5"}})"};
    r.before_chunk = [](size_t i) {
      if (i == 1) std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    };
    return r;
  });
  BuildRequest request = Request();
  request.timeout_seconds = 1;
  BuildResult result = client_->Build(request, nullptr);
  EXPECT_TRUE(result.ok) << result.error;
}

TEST_F(DockerClientTest, StreamWithoutImageIdIsAFailure) {
  Serve([](const FakeRequest&) { return Json(200, R"({"stream":"hi\n"})"); });
  BuildResult result = client_->Build(Request(), nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "engine: POST /build: the output names no image id");
}

TEST_F(DockerClientTest, DroppedConnectionMidStreamIsAConnectionError) {
  Serve([](const FakeRequest&) {
    FakeResponse r;
    r.chunks = {R"({"stream":"Step 1/2\n"})"
                "\r\n",
                "never sent"};
    r.drop_after = 1;
    return r;
  });
  BuildResult result = client_->Build(Request(), nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.connection_error);
  EXPECT_EQ(result.error.rfind("engine: POST /build: ", 0), 0u) << result.error;
}

TEST_F(DockerClientTest, MissingContextFolderIsReportedWithoutARequest) {
  Serve([](const FakeRequest&) { return Json(500, "{}"); });
  BuildRequest request = Request();
  request.context_dir = dir_ + "/nope";
  BuildResult result = client_->Build(request, nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "engine: POST /build: cannot read build context '" +
                              dir_ + "/nope': No such file or directory");
  EXPECT_TRUE(Calls().empty());
}

TEST_F(DockerClientTest, ThrowingCallbackStopsTheBuild) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"stream":"x\n"})"
                     "\r\n"
                     R"({"aux":{"ID":"sha256:1"}})");
  });
  BuildResult result = client_->Build(
      Request(), [](const json&) { throw std::runtime_error("disk full"); });
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "engine: POST /build: output callback failed: disk full");
}

TEST_F(DockerClientTest, B037PushSendsAnonymousAuthAndSplitsTheName) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"status":"The push refers to repository"})");
  });
  auto [repo, tag] =
      SplitRepoTag("registry.example:5000/kolla/cron:master-debian-trixie");
  ASSERT_EQ(client_->Push(repo, tag, "", nullptr), std::nullopt);
  std::vector<FakeRequest> calls = Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "POST");
  EXPECT_EQ(calls[0].target,
            "/v1.41/images/registry.example:5000/kolla/cron/push"
            "?tag=master-debian-trixie");
  EXPECT_EQ(calls[0].headers["x-registry-auth"], "e30=");
}

TEST_F(DockerClientTest, PushSendsGivenAuth) {
  Serve([](const FakeRequest&) { return Json(200, R"({"status":"ok"})"); });
  ASSERT_EQ(client_->Push("r:5000/a", "t", "eyJ4IjogMX0=", nullptr),
            std::nullopt);
  EXPECT_EQ(Calls()[0].headers["x-registry-auth"], "eyJ4IjogMX0=");
}

TEST_F(DockerClientTest, PushStreamErrorIsReported) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"status":"Preparing"})"
                     "\r\n"
                     R"({"errorDetail":{"message":"unauthorized: x"},)"
                     R"("error":"unauthorized: x"})");
  });
  std::optional<EngineError> err = client_->Push("r:5000/a", "t", "", nullptr);
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->connection);
  EXPECT_EQ(err->message,
            "engine: POST /images/r:5000/a/push: unauthorized: x");
}

TEST_F(DockerClientTest, InspectReadsIdAndLabels) {
  Serve([](const FakeRequest&) {
    return Json(200, R"({"Id":"sha256:77","Config":{"Labels":)"
                     R"({"kolla_version":"20.1.0","a":"b"}}})");
  });
  std::optional<EngineError> err;
  std::optional<ImageInfo> info = client_->InspectImage("kolla/base:t", &err);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->id, "sha256:77");
  EXPECT_EQ(info->labels, (std::map<std::string, std::string>{
                              {"a", "b"}, {"kolla_version", "20.1.0"}}));
  EXPECT_EQ(Calls()[0].target, "/v1.41/images/kolla/base:t/json");
}

TEST_F(DockerClientTest, InspectNullLabelsAndServerError) {
  Serve([](const FakeRequest& r) {
    if (r.target.find("/broken/") != std::string::npos) {
      return Json(500, R"({"message":"boom"})");
    }
    return Json(200, R"({"Id":"sha256:1","Config":{"Labels":null}})");
  });
  std::optional<EngineError> err;
  std::optional<ImageInfo> info = client_->InspectImage("ok", &err);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->labels.empty());
  EXPECT_EQ(client_->InspectImage("x/broken/y", &err), std::nullopt);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message, "engine: GET /images/x/broken/y/json: 500: boom");
}

TEST_F(DockerClientTest, MissingSocketIsAConnectionError) {
  std::string host = "unix://" + dir_ + "/none.sock";
  std::unique_ptr<EngineClient> client = MakeDockerClient(host, 5);
  std::optional<EngineError> err = client->Ping();
  ASSERT_TRUE(err);
  EXPECT_TRUE(err->connection);
  EXPECT_EQ(err->message, "engine: cannot connect to " + host +
                              ": No such file or directory");
  std::optional<EngineError> push = client->Push("a", "b", "", nullptr);
  ASSERT_TRUE(push);
  EXPECT_TRUE(push->connection);
}

TEST_F(DockerClientTest, BadHostFailsEveryCall) {
  std::unique_ptr<EngineClient> client = MakeDockerClient("ssh://h", 5);
  std::optional<EngineError> err = client->Ping();
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->connection);
  EXPECT_EQ(err->message,
            "engine: unsupported engine address 'ssh://h'; expected "
            "unix:///path or tcp://host:port");
  EXPECT_EQ(client->Build(Request(), nullptr).error, err->message);
}

TEST_F(DockerClientTest, CancelFlagAbortsAWaitingBuild) {
  std::atomic<bool> cancel{false};
  Serve([&](const FakeRequest&) {
    FakeResponse r;
    r.chunks = {R"({"stream":"Step 1/2\n"})"
                "\r\n",
                R"({"aux":{"ID":"x"}})"};
    r.before_chunk = [](size_t i) {
      if (i == 1) std::this_thread::sleep_for(std::chrono::seconds(3));
    };
    return r;
  });
  BuildRequest request = Request();
  request.cancel = &cancel;
  auto start = std::chrono::steady_clock::now();
  BuildResult result =
      client_->Build(request, [&](const json&) { cancel = true; });
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(2500));
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(result.error, "engine: POST /build: cancelled");
}

TEST(MinApiVersionTest, ComparesNumerically) {
  EXPECT_EQ(MinApiVersion("1.41", "1.45"), "1.41");
  EXPECT_EQ(MinApiVersion("1.9", "1.45"), "1.9");
  EXPECT_EQ(MinApiVersion("1.100", "1.45"), "1.45");
}

TEST(HasBuildxPluginTest, NeedsAnExecutableDockerBuildx) {
  char tmpl[] = "/tmp/kb-engine-plugins-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  EXPECT_FALSE(HasBuildxPlugin({dir + "/missing", dir}));
  std::ofstream(dir + "/docker-buildx") << "#!/bin/sh\n";
  chmod((dir + "/docker-buildx").c_str(), 0644);
  EXPECT_FALSE(HasBuildxPlugin({dir}));
  chmod((dir + "/docker-buildx").c_str(), 0755);
  EXPECT_TRUE(HasBuildxPlugin({dir + "/missing", dir}));
  fs::remove_all(dir);
}

TEST(DefaultCliPluginDirsTest, DockerConfigFirst) {
  setenv("DOCKER_CONFIG", "/cfg", 1);
  std::vector<std::string> dirs = DefaultCliPluginDirs();
  unsetenv("DOCKER_CONFIG");
  EXPECT_EQ(dirs, (std::vector<std::string>{
                      "/cfg/cli-plugins", "/usr/local/lib/docker/cli-plugins",
                      "/usr/local/libexec/docker/cli-plugins",
                      "/usr/lib/docker/cli-plugins",
                      "/usr/libexec/docker/cli-plugins"}));
}

}  // namespace
}  // namespace kb::engine
