#include "engine/json_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kb::engine {
namespace {

using nlohmann::json;

class JsonStreamTest : public ::testing::Test {
 protected:
  void Feed(std::string_view bytes) {
    decoder_.Feed(bytes, [this](const json& msg) { got_.push_back(msg); });
  }

  JsonStreamDecoder decoder_;
  std::vector<json> got_;
};

// B034's three HTTP chunks: several objects in one, one split across two.
constexpr std::string_view kChunk1 =
    "{\"stream\":\"Step 1/3 : FROM kolla/base:t\\n\"}\r\n"
    "{\"stream\":\" ---\\u003e 1a2b\\n\"}\r\n{\"str";
constexpr std::string_view kChunk2 = "eam\":\"Step 2/3 : RUN false\\n\"}\r\n";
constexpr std::string_view kChunk3 =
    "{\"aux\":{\"ID\":\"sha256:abc\"}}\r\n"
    "{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c false'"
    " returned a non-zero code: 1\"},\"error\":\"The command '/bin/sh -c "
    "false' returned a non-zero code: 1\"}\r\n";

TEST_F(JsonStreamTest, B034ChunksGiveFiveObjectsInOrder) {
  Feed(kChunk1);
  ASSERT_EQ(got_.size(), 2u);  // live: the first two before chunk 2 arrives
  Feed(kChunk2);
  ASSERT_EQ(got_.size(), 3u);
  Feed(kChunk3);
  ASSERT_EQ(got_.size(), 5u);

  EXPECT_EQ(got_[0], json({{"stream", "Step 1/3 : FROM kolla/base:t\n"}}));
  EXPECT_EQ(got_[1], json({{"stream", " ---> 1a2b\n"}}));
  EXPECT_EQ(got_[2], json({{"stream", "Step 2/3 : RUN false\n"}}));
  EXPECT_EQ(got_[3], json({{"aux", {{"ID", "sha256:abc"}}}}));
  const std::string text =
      "The command '/bin/sh -c false' returned a non-zero code: 1";
  EXPECT_EQ(got_[4], json({{"errorDetail", {{"code", 1}, {"message", text}}},
                           {"error", text}}));
  EXPECT_FALSE(decoder_.pending());
  EXPECT_FALSE(decoder_.error());
}

TEST_F(JsonStreamTest, B034ChunksFedOneByteAtATime) {
  std::string all =
      std::string(kChunk1) + std::string(kChunk2) + std::string(kChunk3);
  for (char c : all) Feed(std::string_view(&c, 1));
  ASSERT_EQ(got_.size(), 5u);
  EXPECT_EQ(got_[1]["stream"], " ---> 1a2b\n");
  EXPECT_EQ(got_[3]["aux"]["ID"], "sha256:abc");
}

// {"stream":"café 日本\n"} as UTF-8 bytes.
const std::string kUtf8Object =
    "{\"stream\":\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\\n\"}";
const std::string kUtf8Text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\n";

TEST_F(JsonStreamTest, B034Utf8CaseSplitAtOffsets5And7) {
  Feed(std::string_view(kUtf8Object).substr(0, 5));
  Feed(std::string_view(kUtf8Object).substr(5, 2));
  EXPECT_TRUE(got_.empty());
  Feed(std::string_view(kUtf8Object).substr(7));
  ASSERT_EQ(got_.size(), 1u);
  EXPECT_EQ(got_[0]["stream"], kUtf8Text);
}

TEST_F(JsonStreamTest, Utf8SplitInsideCharacters) {
  // 15 falls between the two bytes of 'é', 18 inside the three of '日'.
  Feed(std::string_view(kUtf8Object).substr(0, 15));
  Feed(std::string_view(kUtf8Object).substr(15, 3));
  Feed(std::string_view(kUtf8Object).substr(18));
  ASSERT_EQ(got_.size(), 1u);
  EXPECT_EQ(got_[0]["stream"], kUtf8Text);
}

TEST_F(JsonStreamTest, Utf8SplitAtEveryOffset) {
  const std::string object = kUtf8Object + "\r\n";
  for (size_t a = 1; a < object.size(); ++a) {
    for (size_t b = a; b < object.size(); ++b) {
      JsonStreamDecoder decoder;
      std::vector<json> got;
      auto sink = [&got](const json& msg) { got.push_back(msg); };
      decoder.Feed(std::string_view(object).substr(0, a), sink);
      decoder.Feed(std::string_view(object).substr(a, b - a), sink);
      decoder.Feed(std::string_view(object).substr(b), sink);
      ASSERT_EQ(got.size(), 1u) << a << " " << b;
      EXPECT_EQ(got[0]["stream"], kUtf8Text);
    }
  }
}

TEST_F(JsonStreamTest, BracesInsideStringsDoNotEndTheObject) {
  Feed(R"({"stream":"} { \" \\"})"
       "\r\n"
       R"({"a":[1,{"b":"]"}]})");
  ASSERT_EQ(got_.size(), 2u);
  EXPECT_EQ(got_[0]["stream"], "} { \" \\");
  EXPECT_EQ(got_[1]["a"][1]["b"], "]");
}

TEST_F(JsonStreamTest, UnfinishedObjectIsPending) {
  Feed("{\"stream\":\"Step 1/2\\n\"}\r\n{\"stream\":\"Ste");
  EXPECT_EQ(got_.size(), 1u);
  EXPECT_TRUE(decoder_.pending());
}

TEST_F(JsonStreamTest, SeparatorsAloneAreNotPending) {
  Feed("{\"a\":1}\r\n\r\n  \n");
  EXPECT_EQ(got_.size(), 1u);
  EXPECT_FALSE(decoder_.pending());
}

TEST_F(JsonStreamTest, MalformedObjectIsReportedAndSkipped) {
  Feed("{\"a\":tru}\r\n{\"b\":2}\r\n");
  ASSERT_EQ(got_.size(), 1u);
  EXPECT_EQ(got_[0], json({{"b", 2}}));
  ASSERT_TRUE(decoder_.error());
  EXPECT_EQ(*decoder_.error(), "invalid JSON in stream: '{\"a\":tru}'");
}

}  // namespace
}  // namespace kb::engine
