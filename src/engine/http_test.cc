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
  EXPECT_EQ(ParseDockerHost("tcp://", &e), "empty host in 'tcp://'");
}

TEST(ParseDockerHostTest, BareUnixSchemeIsTheDefaultSocket) {
  Endpoint e;
  ASSERT_EQ(ParseDockerHost("unix://", &e), std::nullopt);
  EXPECT_EQ(e.unix_socket, "/var/run/docker.sock");
}

TEST(ParseDockerHostTest, TlsFromEnvironmentLikeDockerPy) {
  Endpoint e;
  const char* old_home = std::getenv("HOME");
  std::string saved_home = old_home ? old_home : "";
  unsetenv("DOCKER_CERT_PATH");
  unsetenv("DOCKER_TLS_VERIFY");
  ASSERT_EQ(ParseDockerHost("tcp://engine.example", &e), std::nullopt);
  EXPECT_FALSE(e.tls);

  setenv("DOCKER_TLS_VERIFY", "1", 1);
  setenv("HOME", "/home/kb", 1);
  ASSERT_EQ(ParseDockerHost("tcp://engine.example", &e), std::nullopt);
  EXPECT_TRUE(e.tls);
  EXPECT_TRUE(e.tls_verify);
  EXPECT_EQ(e.base_url, "https://engine.example:2376");
  EXPECT_EQ(e.ca_cert, "/home/kb/.docker/ca.pem");
  EXPECT_EQ(e.client_cert, "/home/kb/.docker/cert.pem");
  EXPECT_EQ(e.client_key, "/home/kb/.docker/key.pem");

  // An empty DOCKER_TLS_VERIFY is false; a cert path alone still means TLS.
  setenv("DOCKER_TLS_VERIFY", "", 1);
  setenv("DOCKER_CERT_PATH", "/certs", 1);
  ASSERT_EQ(ParseDockerHost("tcp://10.0.0.1:9999", &e), std::nullopt);
  EXPECT_TRUE(e.tls);
  EXPECT_FALSE(e.tls_verify);
  EXPECT_EQ(e.base_url, "https://10.0.0.1:9999");
  EXPECT_EQ(e.client_key, "/certs/key.pem");

  // Unix sockets never use TLS.
  ASSERT_EQ(ParseDockerHost("unix:///x.sock", &e), std::nullopt);
  EXPECT_FALSE(e.tls);
  unsetenv("DOCKER_CERT_PATH");
  unsetenv("DOCKER_TLS_VERIFY");
  setenv("HOME", saved_home.c_str(), 1);
}

TEST(ParseDockerHostTest, HttpsSchemeVerifiesWithSystemCas) {
  Endpoint e;
  ASSERT_EQ(ParseDockerHost("https://engine.example", &e), std::nullopt);
  EXPECT_TRUE(e.tls);
  EXPECT_TRUE(e.tls_verify);
  EXPECT_EQ(e.ca_cert, "");
  EXPECT_EQ(e.base_url, "https://engine.example:2376");
}

TEST(UrlEscapeTest, JsonAndColons) {
  EXPECT_EQ(UrlEscape(R"({"a":"b c"})"), "%7B%22a%22%3A%22b%20c%22%7D");
  EXPECT_EQ(UrlEscape("kolla/base:master-1.0_x~"),
            "kolla%2Fbase%3Amaster-1.0_x~");
}

}  // namespace
}  // namespace kb::engine
