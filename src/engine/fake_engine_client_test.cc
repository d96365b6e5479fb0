#include "engine/fake_engine_client.h"

#include <gtest/gtest.h>

namespace kb::engine {
namespace {

using nlohmann::json;

BuildRequest Tagged(const std::string& tag) {
  BuildRequest r;
  r.tag = tag;
  r.labels = {{"build-date", "20260101"}};
  return r;
}

TEST(FakeEngineClientTest, UnscriptedBuildSucceedsAndIsInspectable) {
  FakeEngineClient engine;
  std::vector<json> got;
  BuildResult result = engine.Build(Tagged("kolla/base:t"),
                                    [&](const json& m) { got.push_back(m); });
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.image_id, FakeEngineClient::FakeImageId("kolla/base:t"));
  EXPECT_EQ(result.image_id.size(), 7u + 64u);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1]["aux"]["ID"], result.image_id);

  std::optional<ImageInfo> info = engine.InspectImage("kolla/base:t", nullptr);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->labels.at("build-date"), "20260101");
  EXPECT_EQ(engine.builds().size(), 1u);
}

TEST(FakeEngineClientTest, FailBuildFailsOnlyTheGivenNumberOfTimes) {
  FakeEngineClient engine;
  engine.FailBuild("a:t", "The command 'false' returned a non-zero code: 1", 2);
  EXPECT_EQ(engine.Build(Tagged("a:t"), nullptr).error,
            "The command 'false' returned a non-zero code: 1");
  EXPECT_FALSE(engine.Build(Tagged("a:t"), nullptr).ok);
  EXPECT_TRUE(engine.Build(Tagged("a:t"), nullptr).ok);
}

TEST(FakeEngineClientTest, PushOfUnbuiltImageFailsLikeDockerd) {
  FakeEngineClient engine;
  std::optional<EngineError> err = engine.Push("r:5000/a", "t", "", nullptr);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message,
            "engine: POST /images/r:5000/a/push: An image does not exist "
            "locally with the tag: r:5000/a");
  ASSERT_TRUE(engine.Build(Tagged("r:5000/a:t"), nullptr).ok);
  EXPECT_EQ(engine.Push("r:5000/a", "t", "", nullptr), std::nullopt);
  ASSERT_EQ(engine.pushes().size(), 2u);
  EXPECT_EQ(engine.pushes()[1].registry_auth_b64, "e30=");
}

TEST(FakeEngineClientTest, PingErrorFailsEverything) {
  FakeEngineClient engine;
  engine.SetPingError(EngineError{"engine: cannot connect to x: y", true});
  BuildResult result = engine.Build(Tagged("a:t"), nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.connection_error);
  std::optional<EngineError> err;
  EXPECT_EQ(engine.InspectImage("a:t", &err), std::nullopt);
  ASSERT_TRUE(err);
  EXPECT_TRUE(err->connection);
}

}  // namespace
}  // namespace kb::engine
