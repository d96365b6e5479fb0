// Against the real dockerd and registry started by tests/harness (CTest
// fixture 'services'), and against its podman service when podman is
// installed; skipped when KB_TEST_SERVICES_ENV is not set.

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_client.h"

namespace kb::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> env;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

size_t AppendToString(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET on the registry's HTTP API; returns the body ("" on failure).
std::string HttpGet(const std::string& url) {
  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendToString);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return code == CURLE_OK ? body : "";
}

// The engine each test runs against: "docker" or "podman".
class EngineE2ETest : public ::testing::TestWithParam<std::string> {
 protected:
  bool podman() const { return GetParam() == "podman"; }

  void SetUp() override {
    const char* env_path = std::getenv("KB_TEST_SERVICES_ENV");
    if (!env_path || !fs::exists(env_path)) {
      GTEST_SKIP() << "KB_TEST_SERVICES_ENV not set; run through ctest -L e2e";
    }
    env_ = ReadEnvFile(env_path);
    ASSERT_TRUE(env_.count("DOCKER_HOST")) << env_path;
    ASSERT_TRUE(env_.count("KB_TEST_REGISTRY")) << env_path;
    ASSERT_TRUE(env_.count("KB_TEST_BASE_IMAGE")) << env_path;
    if (podman()) {
      if (!env_.count("KB_TEST_PODMAN_HOST")) {
        GTEST_SKIP() << "podman is not installed; the harness started none";
      }
      client_ = MakePodmanClient(env_["KB_TEST_PODMAN_HOST"], 60);
    } else {
      client_ = MakeDockerClient(env_["DOCKER_HOST"], 60);
    }

    char tmpl[] = "/tmp/kb-engine-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    context_ = tmpl;
  }

  void TearDown() override {
    if (!context_.empty()) fs::remove_all(context_);
  }

  void WriteDockerfile(const std::vector<std::string>& lines) {
    std::ofstream out(context_ + "/Dockerfile");
    for (const std::string& line : lines) out << line << "\n";
  }

  // A tag no other test run uses.
  std::string UniqueTag(const std::string& name) {
    return "kb-e2e/" + name + ":" + std::to_string(getpid());
  }

  BuildResult BuildAndLog(const BuildRequest& request) {
    log_.clear();
    return client_->Build(request, [this](const json& msg) {
      if (msg.contains("stream") && msg["stream"].is_string()) {
        log_ += msg["stream"].get<std::string>();
      }
    });
  }

  std::map<std::string, std::string> env_;
  std::unique_ptr<EngineClient> client_;
  std::string context_;
  std::string log_;
};

TEST_P(EngineE2ETest, PingNegotiatesTheDaemonsVersion) {
  EXPECT_EQ(client_->Ping(), std::nullopt);
}

TEST_P(EngineE2ETest, BuildRunsStepsWithBuildArgsAndLabels) {
  WriteDockerfile(
      {"FROM " + env_["KB_TEST_BASE_IMAGE"], "ARG GREETING=none",
       "RUN echo \"greeting=$GREETING\" > /greeting && cat /greeting",
       "LABEL kb.from.dockerfile=yes"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("labels");
  request.buildargs = {{"GREETING", "hello world"}};
  request.labels = {{"kb.e2e.label", "v\xC3\xA9rified"},
                    {"build-date", "20260101"}};
  BuildResult result = BuildAndLog(request);

  ASSERT_TRUE(result.ok) << result.error << "\n" << log_;
  EXPECT_EQ(result.image_id.rfind("sha256:", 0), 0u) << result.image_id;
  EXPECT_EQ(result.image_id.size(), 7u + 64u);
  EXPECT_NE(log_.find("greeting=hello world\n"), std::string::npos) << log_;

  std::optional<EngineError> err;
  std::optional<ImageInfo> info = client_->InspectImage(request.tag, &err);
  ASSERT_TRUE(info) << (err ? err->message : "absent");
  EXPECT_EQ(info->id, result.image_id);
  EXPECT_EQ(info->labels["kb.e2e.label"], "v\xC3\xA9rified");
  EXPECT_EQ(info->labels["build-date"], "20260101");
  EXPECT_EQ(info->labels["kb.from.dockerfile"], "yes");
}

TEST_P(EngineE2ETest, FailingRunGivesTheDaemonsText) {
  WriteDockerfile(
      {"FROM " + env_["KB_TEST_BASE_IMAGE"], "RUN echo boom && exit 3"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("failing");
  BuildResult result = BuildAndLog(request);

  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.connection_error);
  // Each engine's own words, passed on unchanged.
  EXPECT_EQ(result.error,
            podman() ? "building at STEP \"RUN echo boom && exit 3\": while "
                       "running runtime: exit status 3"
                     : "The command '/bin/sh -c echo boom && exit 3' "
                       "returned a non-zero code: 3");
  EXPECT_NE(log_.find("boom\n"), std::string::npos) << log_;
  EXPECT_EQ(result.image_id, "");
}

TEST_P(EngineE2ETest, MissingBaseImageFailsWithoutPulling) {
  WriteDockerfile({"FROM 127.0.0.1:1/kb-e2e/does-not-exist:never"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("nobase");
  BuildResult result = BuildAndLog(request);
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.connection_error);
  EXPECT_NE(result.error.find("127.0.0.1:1"), std::string::npos)
      << result.error;
}

TEST_P(EngineE2ETest, MissingDockerfileIsAnError) {
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("nodockerfile");
  BuildResult result = BuildAndLog(request);
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.connection_error);
  // dockerd refuses before the stream starts; podman fails inside it.
  if (!podman()) {
    EXPECT_EQ(result.error.rfind("engine: POST /build: 500: ", 0), 0u)
        << result.error;
  }
  EXPECT_NE(result.error.find("Dockerfile"), std::string::npos) << result.error;
}

TEST_P(EngineE2ETest, OutputArrivesWhileTheBuildRuns) {
  WriteDockerfile({"FROM " + env_["KB_TEST_BASE_IMAGE"],
                   "RUN echo first-line && sleep 3 && echo second-line"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("live");
  request.nocache = true;
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> first_seen;
  BuildResult result = client_->Build(request, [&](const json& msg) {
    if (!first_seen &&
        msg.value("stream", "").find("first-line") != std::string::npos) {
      first_seen = Clock::now();
    }
  });
  Clock::time_point done = Clock::now();
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_TRUE(first_seen);
  EXPECT_GE(done - *first_seen, std::chrono::seconds(2));
}

TEST_P(EngineE2ETest, SameContextHitsTheLayerCacheAfterTouch) {
  // B031: the tar bytes decide the cache key of COPY; mtimes must not count.
  WriteDockerfile({"FROM " + env_["KB_TEST_BASE_IMAGE"], "COPY data /data"});
  std::ofstream(context_ + "/data") << "payload " << getpid() << "\n";
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("cache");
  BuildResult first = BuildAndLog(request);
  ASSERT_TRUE(first.ok) << first.error;

  fs::last_write_time(
      context_ + "/data",
      fs::last_write_time(context_ + "/data") + std::chrono::hours(1));
  BuildResult second = BuildAndLog(request);
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.image_id, first.image_id);
  EXPECT_NE(log_.find("Using cache"), std::string::npos) << log_;
}

TEST_P(EngineE2ETest, CancelAbortsARunningBuild) {
  WriteDockerfile(
      {"FROM " + env_["KB_TEST_BASE_IMAGE"], "RUN echo started && sleep 60"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("cancel");
  request.nocache = true;
  std::atomic<bool> cancel{false};
  request.cancel = &cancel;
  auto start = std::chrono::steady_clock::now();
  BuildResult result = client_->Build(request, [&](const json& msg) {
    if (msg.value("stream", "").find("started") != std::string::npos) {
      cancel = true;
    }
  });
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(result.error, "engine: POST /build: cancelled");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST_P(EngineE2ETest, ConcurrentBuildsOnOneClient) {
  // The scheduler builds on several threads with one client.
  constexpr int kBuilds = 4;
  std::vector<std::string> dirs(kBuilds);
  std::vector<BuildResult> results(kBuilds);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBuilds; ++i) {
    dirs[i] = context_ + "/ctx" + std::to_string(i);
    fs::create_directories(dirs[i]);
    std::ofstream(dirs[i] + "/Dockerfile")
        << "FROM " << env_["KB_TEST_BASE_IMAGE"] << "\n"
        << "RUN echo " << i << " > /which\n";
  }
  for (int i = 0; i < kBuilds; ++i) {
    threads.emplace_back([&, i] {
      BuildRequest request;
      request.context_dir = dirs[i];
      request.tag = UniqueTag("parallel" + std::to_string(i));
      request.nocache = true;
      results[i] = client_->Build(request, nullptr);
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> ids;
  for (const BuildResult& r : results) {
    EXPECT_TRUE(r.ok) << r.error;
    ids.insert(r.image_id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kBuilds));
}

TEST_P(EngineE2ETest, PushReachesTheRegistry) {
  const std::string registry = env_["KB_TEST_REGISTRY"];
  WriteDockerfile(
      {"FROM " + env_["KB_TEST_BASE_IMAGE"], "RUN echo pushed > /pushed"});
  std::string tag = "t" + std::to_string(getpid());
  BuildRequest request;
  request.context_dir = context_;
  request.tag = registry + "/kb-e2e/pushed:" + tag;
  BuildResult built = BuildAndLog(request);
  ASSERT_TRUE(built.ok) << built.error;

  auto [repo, split_tag] = SplitRepoTag(request.tag);
  ASSERT_EQ(split_tag, tag);
  std::string auth = RegistryAuthFor(registry, context_ + "/no-config.json");
  ASSERT_EQ(auth, "e30=");
  std::vector<json> progress;
  std::optional<EngineError> err = client_->Push(
      repo, split_tag, auth, [&](const json& msg) { progress.push_back(msg); });
  ASSERT_EQ(err, std::nullopt) << err->message;
  EXPECT_FALSE(progress.empty());

  json tags =
      json::parse(HttpGet("http://" + registry + "/v2/kb-e2e/pushed/tags/list"),
                  nullptr, false);
  ASSERT_TRUE(tags.is_object()) << tags.dump();
  EXPECT_EQ(tags["name"], "kb-e2e/pushed");
  EXPECT_NE(std::find(tags["tags"].begin(), tags["tags"].end(), tag),
            tags["tags"].end())
      << tags.dump();
}

TEST_P(EngineE2ETest, BuildPullsItsBaseFromTheRegistry) {
  // Push a base, then build FROM it with pull=1 and X-Registry-Config.
  const std::string registry = env_["KB_TEST_REGISTRY"];
  const std::string base =
      registry + "/kb-e2e/base:p" + std::to_string(getpid());
  WriteDockerfile({"FROM " + env_["KB_TEST_BASE_IMAGE"], "RUN touch /base"});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = base;
  ASSERT_TRUE(BuildAndLog(request).ok);
  auto [repo, tag] = SplitRepoTag(base);
  ASSERT_EQ(client_->Push(repo, tag, "", nullptr), std::nullopt);

  std::ofstream(context_ + "/config.json")
      << R"({"auths":{")" << registry << R"(":{"auth":"dTpw"}}})";  // u:p
  WriteDockerfile({"FROM " + base, "RUN test -e /base"});
  request.tag = UniqueTag("pulled");
  request.pull = true;
  request.registry_config_b64 = RegistryConfigFor(context_ + "/config.json");
  ASSERT_NE(request.registry_config_b64, "");
  std::vector<json> messages;
  BuildResult result = client_->Build(
      request, [&](const json& msg) { messages.push_back(msg); });
  ASSERT_TRUE(result.ok) << result.error;
  if (!podman()) {
    bool pulled = false;
    for (const json& msg : messages) {
      if (msg.value("status", "").find("Pulling from kb-e2e/base") == 0) {
        pulled = true;
      }
    }
    EXPECT_TRUE(pulled);
  }
}

TEST_P(EngineE2ETest, PushOfAnAbsentImageFails) {
  const std::string repo = env_["KB_TEST_REGISTRY"] + "/kb-e2e/never-built";
  std::optional<EngineError> err = client_->Push(repo, "x", "", nullptr);
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->connection);
  EXPECT_EQ(err->message.rfind("engine: POST /images/" + repo + "/push: ", 0),
            0u)
      << err->message;
  EXPECT_NE(err->message.find(podman() ? "image not known" : "does not exist"),
            std::string::npos)
      << err->message;
}

TEST_P(EngineE2ETest, InspectOfAnAbsentImageIsNullopt) {
  std::optional<EngineError> err;
  EXPECT_EQ(client_->InspectImage("kb-e2e/never-built:x", &err), std::nullopt);
  EXPECT_EQ(err, std::nullopt);
}

TEST_P(EngineE2ETest, UnreachableSocketIsAConnectionError) {
  std::string host = "unix://" + context_ + "/missing.sock";
  std::unique_ptr<EngineClient> client = MakeDockerClient(host, 5);
  std::optional<EngineError> err = client->Ping();
  ASSERT_TRUE(err);
  EXPECT_TRUE(err->connection);
  EXPECT_EQ(err->message, "engine: cannot connect to " + host +
                              ": No such file or directory");

  WriteDockerfile({"FROM " + env_["KB_TEST_BASE_IMAGE"]});
  BuildRequest request;
  request.context_dir = context_;
  request.tag = UniqueTag("unreachable");
  BuildResult result = client->Build(request, nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.connection_error);
  EXPECT_EQ(result.error, err->message);
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineE2ETest,
                         ::testing::Values("docker", "podman"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kb::engine
