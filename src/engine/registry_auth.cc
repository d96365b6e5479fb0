#include "engine/registry_auth.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace kb::engine {
namespace {

// PARITY(docker-py): auth.INDEX_NAME; "" and "index.docker.io" mean it.
constexpr std::string_view kIndexName = "docker.io";

// "https://host:5000/v2/" -> "host:5000" (docker-py convert_to_hostname).
std::string ToHostname(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.substr(0, scheme.size()) == scheme) {
      url.remove_prefix(scheme.size());
      break;
    }
  }
  return std::string(url.substr(0, url.find('/')));
}

// docker-py resolve_index_name.
std::string ResolveIndexName(std::string_view registry) {
  std::string host = ToHostname(registry);
  if (host.empty() || host == "index.docker.io") return std::string(kIndexName);
  return host;
}

// Decodes the UTF-8 sequence at text[*i] and steps over it; a malformed
// byte decodes to U+FFFD, as Python's "replace" handler does.
uint32_t NextCodePoint(std::string_view text, size_t* i) {
  uint8_t lead = static_cast<uint8_t>(text[*i]);
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (lead < 0x80 || extra == 0 || lead >= 0xF8) {
    ++*i;
    return lead < 0x80 ? lead : 0xFFFD;
  }
  uint32_t cp = lead & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if (*i + k >= text.size() ||
        (static_cast<uint8_t>(text[*i + k]) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (static_cast<uint8_t>(text[*i + k]) & 0x3F);
  }
  *i += extra + 1;
  return cp;
}

// A JSON string literal as Python's json.dumps writes it (ensure_ascii):
// everything outside printable ASCII as \uXXXX, astral planes as pairs.
std::string PythonJsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto u_escape = [](std::string& out, uint32_t unit) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) {
      out += kHex[(unit >> shift) & 15];
    }
  };
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = NextCodePoint(text, &i);
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      u_escape(out, cp);
    } else {
      cp -= 0x10000;
      u_escape(out, 0xD800 + (cp >> 10));
      u_escape(out, 0xDC00 + (cp & 0x3FF));
    }
  }
  return out + "\"";
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  *ok = in.good() || in.eof();
  return text.str();
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

std::string EncodeRegistryAuth(std::string_view username,
                               std::string_view password) {
  // PARITY(docker-py): auth.encode_header is urlsafe_b64encode(json.dumps())
  // with the default ", " and ": " separators.
  std::string json = "{\"username\": " + PythonJsonString(username) +
                     ", \"password\": " + PythonJsonString(password) + "}";
  return Base64UrlEncode(json);
}

namespace {

struct Credentials {
  std::string key;  // as written in config.json
  std::string username, password;
};

// The usable entries of config.json's `auths`, in file order; none when the
// file is missing or broken.
std::vector<Credentials> ReadAuths(const std::string& docker_config_path) {
  std::vector<Credentials> out;
  bool ok = false;
  std::string text = ReadFile(docker_config_path, &ok);
  if (!ok || text.empty()) return out;
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  if (!config.is_object() || !config.contains("auths") ||
      !config["auths"].is_object()) {
    return out;
  }
  for (const auto& [key, entry] : config["auths"].items()) {
    if (!entry.is_object()) continue;
    Credentials c{key, "", ""};
    if (entry.contains("auth") && entry["auth"].is_string()) {
      // PARITY(docker-py): auth.decode_auth splits at the first colon.
      std::string decoded;
      if (!Base64Decode(entry["auth"].get<std::string>(), &decoded)) continue;
      size_t colon = decoded.find(':');
      if (colon == std::string::npos) continue;
      c.username = decoded.substr(0, colon);
      c.password = decoded.substr(colon + 1);
    } else if (entry.value("username", nlohmann::json()).is_string() &&
               entry.value("password", nlohmann::json()).is_string()) {
      c.username = entry["username"].get<std::string>();
      c.password = entry["password"].get<std::string>();
    } else {
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::string RegistryAuthFor(const std::string& registry,
                            const std::string& docker_config_path) {
  std::string wanted = ResolveIndexName(registry);
  for (const Credentials& c : ReadAuths(docker_config_path)) {
    if (ResolveIndexName(c.key) == wanted) {
      return EncodeRegistryAuth(c.username, c.password);
    }
  }
  return std::string(kAnonymousRegistryAuth);
}

std::string RegistryConfigFor(const std::string& docker_config_path) {
  nlohmann::json all = nlohmann::json::object();
  for (const Credentials& c : ReadAuths(docker_config_path)) {
    all[c.key] = {{"username", c.username},
                  {"password", c.password},
                  {"serveraddress", c.key}};
  }
  return all.empty() ? "" : Base64UrlEncode(all.dump());
}

std::string DefaultDockerConfigPath() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) {
    return std::string(dir) + "/config.json";
  }
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.docker/config.json";
}

std::pair<std::string, std::string> SplitRepoTag(std::string_view name) {
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon == std::string_view::npos ||
      (slash != std::string_view::npos && colon < slash)) {
    return {std::string(name), ""};
  }
  return {std::string(name.substr(0, colon)),
          std::string(name.substr(colon + 1))};
}

std::string RegistryOfRepo(std::string_view repo) {
  size_t slash = repo.find('/');
  if (slash == std::string_view::npos) return "";
  std::string_view first = repo.substr(0, slash);
  if (first.find_first_of(".:") == std::string_view::npos &&
      first != "localhost") {
    return "";
  }
  return std::string(first);
}

}  // namespace kb::engine
