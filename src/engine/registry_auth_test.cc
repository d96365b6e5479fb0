#include "engine/registry_auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace kb::engine {
namespace {

class RegistryAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kb-engine-auth-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/config.json";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  void WriteConfig(const std::string& text) { std::ofstream(path_) << text; }

  std::string dir_, path_;
};

// B037's config: user "user", password "p:w" (a colon inside).
constexpr char kB037Config[] =
    R"({"auths":{"https://registry.example:5000/v2/":{"auth":"dXNlcjpwOnc="}}})";

TEST_F(RegistryAuthTest, AnonymousIsBase64UrlOfEmptyObject) {
  EXPECT_EQ(kAnonymousRegistryAuth, "e30=");
  EXPECT_EQ(RegistryAuthFor("registry.example:5000", path_), "e30=");
}

TEST_F(RegistryAuthTest, B037CredentialsEncodeLikeDockerPy) {
  EXPECT_EQ(EncodeRegistryAuth("u", "p?>"),
            "eyJ1c2VybmFtZSI6ICJ1IiwgInBhc3N3b3JkIjogInA_PiJ9");
}

TEST_F(RegistryAuthTest, B037MatchesHostPortAfterStrippingSchemeAndPath) {
  WriteConfig(kB037Config);
  // base64.urlsafe_b64encode(json.dumps({"username": "user", "password":
  // "p:w"}))
  std::string expected = "eyJ1c2VybmFtZSI6ICJ1c2VyIiwgInBhc3N3b3JkIjogInA6dyJ9";
  EXPECT_EQ(RegistryAuthFor("registry.example:5000", path_), expected);
  EXPECT_EQ(RegistryAuthFor("http://registry.example:5000", path_), expected);
}

TEST_F(RegistryAuthTest, B037NoMatchWithoutPortOrWithOtherCase) {
  WriteConfig(kB037Config);
  EXPECT_EQ(RegistryAuthFor("registry.example", path_), "e30=");
  EXPECT_EQ(RegistryAuthFor("REGISTRY.example:5000", path_), "e30=");
}

TEST_F(RegistryAuthTest, PasswordSplitAtFirstColon) {
  WriteConfig(kB037Config);
  std::string decoded;
  ASSERT_TRUE(
      Base64Decode(RegistryAuthFor("registry.example:5000", path_), &decoded));
  EXPECT_EQ(decoded, R"({"username": "user", "password": "p:w"})");
}

TEST_F(RegistryAuthTest, EmptyRegistryMeansDockerHub) {
  WriteConfig(R"({"auths":{"https://index.docker.io/v1/":)"
              R"({"auth":"aHViOnNlY3JldA=="}}})");  // hub:secret
  EXPECT_EQ(RegistryAuthFor("", path_), EncodeRegistryAuth("hub", "secret"));
  EXPECT_EQ(RegistryAuthFor("quay.io", path_), "e30=");
}

TEST_F(RegistryAuthTest, UnreadableOrBrokenConfigIsAnonymous) {
  EXPECT_EQ(RegistryAuthFor("r:5000", dir_ + "/missing.json"), "e30=");
  WriteConfig("{not json");
  EXPECT_EQ(RegistryAuthFor("r:5000", path_), "e30=");
}

TEST_F(RegistryAuthTest, NonAsciiPasswordIsEscapedLikePython) {
  // json.dumps({"username": "é", "password": "😀\n"}) ensure_ascii output.
  std::string decoded;
  ASSERT_TRUE(Base64Decode(EncodeRegistryAuth("\xC3\xA9", "\xF0\x9F\x98\x80\n"),
                           &decoded));
  EXPECT_EQ(decoded, R"({"username": "\u00e9", "password": "\ud83d\ude00\n"})");
}

TEST_F(RegistryAuthTest, RegistryConfigHoldsEveryRegistry) {
  WriteConfig(R"({"auths":{"https://registry.example:5000/v2/":)"
              R"({"auth":"dXNlcjpwOnc="},"quay.io":{"auth":"cTpy"},)"
              R"("broken":{"auth":"bm9jb2xvbg=="}}})");  // q:r, nocolon
  std::string decoded;
  ASSERT_TRUE(Base64Decode(RegistryConfigFor(path_), &decoded));
  EXPECT_EQ(nlohmann::json::parse(decoded),
            nlohmann::json::parse(
                R"({"https://registry.example:5000/v2/":{"username":"user",)"
                R"("password":"p:w",)"
                R"("serveraddress":"https://registry.example:5000/v2/"},)"
                R"("quay.io":{"username":"q","password":"r",)"
                R"("serveraddress":"quay.io"}})"));
}

TEST_F(RegistryAuthTest, RegistryConfigIsEmptyWithoutCredentials) {
  EXPECT_EQ(RegistryConfigFor(path_), "");
  WriteConfig(R"({"auths":{}})");
  EXPECT_EQ(RegistryConfigFor(path_), "");
}

TEST(Base64Test, UrlAlphabetAndPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg==");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8=");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xFB\xFF"), "-_8=");
  std::string out;
  ASSERT_TRUE(Base64Decode("-_8=", &out));
  EXPECT_EQ(out, "\xFB\xFF");
  ASSERT_TRUE(Base64Decode("+/8", &out));
  EXPECT_EQ(out, "\xFB\xFF");
  EXPECT_FALSE(Base64Decode("a*b", &out));
}

TEST(SplitRepoTagTest, PortIsNeverATag) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(
      SplitRepoTag("registry.example:5000/kolla/cron:master-debian-trixie"),
      P("registry.example:5000/kolla/cron", "master-debian-trixie"));
  EXPECT_EQ(SplitRepoTag("registry.example:5000/kolla/cron"),
            P("registry.example:5000/kolla/cron", ""));
  EXPECT_EQ(SplitRepoTag("kolla/cron:2025.1"), P("kolla/cron", "2025.1"));
  EXPECT_EQ(SplitRepoTag("cron"), P("cron", ""));
  EXPECT_EQ(SplitRepoTag("127.0.0.1:5000/a:b:c"), P("127.0.0.1:5000/a:b", "c"));
}

TEST(RegistryOfRepoTest, FirstComponentWithDotColonOrLocalhost) {
  EXPECT_EQ(RegistryOfRepo("registry.example:5000/kolla/cron"),
            "registry.example:5000");
  EXPECT_EQ(RegistryOfRepo("quay.io/openstack.kolla/cron"), "quay.io");
  EXPECT_EQ(RegistryOfRepo("localhost/kolla/cron"), "localhost");
  EXPECT_EQ(RegistryOfRepo("kolla/cron"), "");
  EXPECT_EQ(RegistryOfRepo("cron"), "");
}

}  // namespace
}  // namespace kb::engine
