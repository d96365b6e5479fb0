#include "engine/http.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kb::engine {
namespace {

TEST(ParseDockerHostTest, UnixSocket) {
  Endpoint e;
  ASSERT_EQ(ParseDockerHost("unix:///run/x/docker.sock", &e), std::nullopt);
  EXPECT_EQ(e.unix_socket, "/run/x/docker.sock");
  EXPECT_EQ(e.base_url, "http://localhost");
  EXPECT_EQ(e.display, "unix:///run/x/docker.sock");
}

TEST(ParseDockerHostTest, TcpWithAndWithoutPort) {
  Endpoint e;
  ASSERT_EQ(ParseDockerHost("tcp://127.0.0.1:2376", &e), std::nullopt);
  EXPECT_EQ(e.unix_socket, "");
  EXPECT_EQ(e.base_url, "http://127.0.0.1:2376");
  ASSERT_EQ(ParseDockerHost("tcp://engine.example", &e), std::nullopt);
  EXPECT_EQ(e.base_url, "http://engine.example:2375");
  ASSERT_EQ(ParseDockerHost("tcp://[::1]", &e), std::nullopt);
  EXPECT_EQ(e.base_url, "http://[::1]:2375");
  ASSERT_EQ(ParseDockerHost("tcp://[::1]:99/", &e), std::nullopt);
  EXPECT_EQ(e.base_url, "http://[::1]:99");
}

TEST(ParseDockerHostTest, EmptyUsesDockerHostThenDefault) {
  Endpoint e;
  setenv("DOCKER_HOST", "tcp://10.0.0.1:1234", 1);
  ASSERT_EQ(ParseDockerHost("", &e), std::nullopt);
  EXPECT_EQ(e.base_url, "http://10.0.0.1:1234");
  unsetenv("DOCKER_HOST");
  ASSERT_EQ(ParseDockerHost("", &e), std::nullopt);
  EXPECT_EQ(e.unix_socket, "/var/run/docker.sock");
  EXPECT_EQ(e.display, "unix:///var/run/docker.sock");
}

TEST(ParseDockerHostTest, OtherSchemesAreRefused) {
  Endpoint e;
  EXPECT_EQ(ParseDockerHost("ssh://me@host", &e),
            "unsupported engine address 'ssh://me@host'; expected "
            "unix:///path or tcp://host:port");
  EXPECT_EQ(ParseDockerHost("unix://", &e), "empty socket path in 'unix://'");
  EXPECT_EQ(ParseDockerHost("tcp://", &e), "empty host in 'tcp://'");
}

TEST(UrlEscapeTest, JsonAndColons) {
  EXPECT_EQ(UrlEscape(R"({"a":"b c"})"), "%7B%22a%22%3A%22b%20c%22%7D");
  EXPECT_EQ(UrlEscape("kolla/base:master-1.0_x~"),
            "kolla%2Fbase%3Amaster-1.0_x~");
}

}  // namespace
}  // namespace kb::engine
