#include "engine/http.h"

#include <curl/curl.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace kb::engine {
namespace {

constexpr std::string_view kDefaultHost = "unix:///var/run/docker.sock";

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  const HttpRequest* request;
  HttpResponse* response;
  CURL* curl;
};

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 400 || !t->request->on_data) {
    t->response->body.append(data, n);
    return n;
  }
  if (!t->request->on_data(std::string_view(data, n))) {
    t->response->aborted = true;
    return CURL_WRITEFUNC_ERROR;
  }
  return n;
}

size_t OnRead(char* out, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  ptrdiff_t n = t->request->body(out, size * count);
  if (n < 0) {
    t->response->aborted = true;
    return CURL_READFUNC_ABORT;
  }
  return static_cast<size_t>(n);
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->request->cancel && t->request->cancel->load()) {
    t->response->cancelled = true;
    return 1;
  }
  return 0;
}

bool IsConnectionFailure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:  // the daemon went away mid-answer
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<std::string> ParseDockerHost(std::string_view host,
                                           Endpoint* out) {
  std::string value(host);
  if (value.empty()) {
    const char* env = std::getenv("DOCKER_HOST");
    value = env && *env ? env : std::string(kDefaultHost);
  }
  *out = Endpoint{};
  out->display = value;
  std::string_view v = value;
  if (v.substr(0, 7) == "unix://") {
    out->unix_socket = std::string(v.substr(7));
    // PARITY(docker-py): parse_host takes a bare "unix://" as the default.
    if (out->unix_socket.empty()) out->unix_socket = kDefaultHost.substr(7);
    out->base_url = "http://localhost";
    return std::nullopt;
  }

  bool https = v.substr(0, 8) == "https://";
  if (!https && v.substr(0, 6) != "tcp://" && v.substr(0, 7) != "http://") {
    return "unsupported engine address '" + value +
           "'; expected unix:///path or tcp://host:port";
  }
  std::string_view rest = v.substr(v.find("//") + 2);
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty()) return "empty host in '" + value + "'";

  // PARITY(docker-py): kwargs_from_env turns TLS on when DOCKER_CERT_PATH
  // is set or DOCKER_TLS_VERIFY is non-empty, with ca.pem, cert.pem and
  // key.pem from that folder (default ~/.docker); it verifies the daemon
  // only with DOCKER_TLS_VERIFY.
  const char* cert_path = std::getenv("DOCKER_CERT_PATH");
  const char* verify = std::getenv("DOCKER_TLS_VERIFY");
  bool env_tls = (cert_path && *cert_path) || (verify && *verify);
  if (env_tls) {
    std::string dir = cert_path && *cert_path ? cert_path : "";
    if (dir.empty()) {
      const char* home = std::getenv("HOME");
      dir = std::string(home ? home : "") + "/.docker";
    }
    out->tls = true;
    out->tls_verify = verify && *verify;
    out->ca_cert = dir + "/ca.pem";
    out->client_cert = dir + "/cert.pem";
    out->client_key = dir + "/key.pem";
  } else if (https) {
    out->tls = true;  // an https:// address: system CAs, verified
    out->tls_verify = true;
  }

  // An IPv6 literal keeps its brackets; the port follows the last ':'.
  size_t bracket = rest.rfind(']');
  size_t colon = rest.rfind(':');
  bool has_port = colon != std::string_view::npos &&
                  (bracket == std::string_view::npos || colon > bracket);
  out->base_url = std::string(out->tls ? "https://" : "http://") +
                  std::string(rest) +
                  (has_port   ? ""
                   : out->tls ? ":2376"
                              : ":2375");
  return std::nullopt;
}

std::string UrlEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

HttpResponse Perform(const Endpoint& endpoint, const HttpRequest& request) {
  GlobalInit();
  HttpResponse response;
  CURL* curl = curl_easy_init();
  if (!curl) {
    response.failure = "cannot create a libcurl handle";
    return response;
  }
  Transfer transfer{&request, &response, curl};
  char errbuf[CURL_ERROR_SIZE] = "";
  std::string url = endpoint.base_url + request.target;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (!endpoint.unix_socket.empty()) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH,
                     endpoint.unix_socket.c_str());
  }
  // No signals: several threads run transfers at once.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  if (endpoint.tls) {
    if (!endpoint.client_cert.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, endpoint.client_cert.c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, endpoint.client_key.c_str());
    }
    if (endpoint.tls_verify && !endpoint.ca_cert.empty()) {
      curl_easy_setopt(curl, CURLOPT_CAINFO, endpoint.ca_cert.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER,
                     endpoint.tls_verify ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST,
                     endpoint.tls_verify ? 2L : 0L);
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   request.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, request.timeout_seconds);
  if (request.idle_timeout_seconds > 0) {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     request.idle_timeout_seconds);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);

  struct curl_slist* headers = nullptr;
  for (const std::string& h : request.headers) {
    headers = curl_slist_append(headers, h.c_str());
  }
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    if (request.body) {
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &OnRead);
      curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
      headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
    }
    // Do not wait a second for "100 Continue" before sending the context.
    headers = curl_slist_append(headers, "Expect:");
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (code != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    // For a unix socket curl's own text names "localhost port 80"; the OS
    // error ("No such file or directory") says what is wrong.
    if (code == CURLE_COULDNT_CONNECT && os_errno != 0) {
      response.failure = std::strerror(static_cast<int>(os_errno));
    } else {
      response.failure = *errbuf ? errbuf : curl_easy_strerror(code);
    }
    response.connection_failed =
        IsConnectionFailure(code) && !response.cancelled && !response.aborted;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

}  // namespace kb::engine
