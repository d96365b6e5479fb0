// Credentials for `POST /images/{name}/push` and image-name splitting.

#ifndef KB_ENGINE_REGISTRY_AUTH_H_
#define KB_ENGINE_REGISTRY_AUTH_H_

#include <string>
#include <string_view>
#include <utility>

namespace kb::engine {

/// The `X-Registry-Auth` value for an anonymous push: base64url of `{}`.
inline constexpr std::string_view kAnonymousRegistryAuth = "e30=";

/// The `X-Registry-Auth` value for `registry` ("host:port", "" for Docker
/// Hub) from the docker CLI config file at `docker_config_path` (B037).
/// An `auths` key matches when, after stripping its scheme and any path
/// (`https://host:5000/v2/` -> `host:5000`), it equals the registry exactly;
/// case matters. Its `auth` field is base64 of `user:password`, split at the
/// first colon. Returns kAnonymousRegistryAuth when the file is missing or
/// unreadable or no key matches, because newer daemons drop a push that has
/// no header at all. Credential helpers (`credsStore`) are not consulted.
std::string RegistryAuthFor(const std::string& registry,
                            const std::string& docker_config_path);

/// The `X-Registry-Config` value of `POST /build`: base64url of a JSON
/// object mapping every `auths` key of the config file to its username and
/// password, so the daemon can pull FROM images of any of those registries
/// (docker-py sends the same on every build). "" when there are none: then
/// the header is left out.
std::string RegistryConfigFor(const std::string& docker_config_path);

/// base64url (with padding) of `{"username": U, "password": P}`, laid out
/// as Python's json.dumps writes it, so the header is byte-identical to
/// docker-py's.
std::string EncodeRegistryAuth(std::string_view username,
                               std::string_view password);

/// `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
std::string DefaultDockerConfigPath();

/// Splits an image name into repository and tag at the last ':' after the
/// last '/', so a registry port is never taken for a tag:
/// "reg:5000/kolla/cron:master" -> {"reg:5000/kolla/cron", "master"},
/// "reg:5000/kolla/cron" -> {"reg:5000/kolla/cron", ""}.
std::pair<std::string, std::string> SplitRepoTag(std::string_view name);

/// The registry part of a repository name ("reg:5000/kolla/cron" ->
/// "reg:5000"); "" (Docker Hub) when the first component has no '.' or ':'
/// and is not "localhost", as the docker CLI decides.
std::string RegistryOfRepo(std::string_view repo);

/// Base64 with the URL-safe alphabet ('-', '_') and '=' padding.
std::string Base64UrlEncode(std::string_view bytes);

/// Decodes standard or URL-safe base64, padding optional; false on a
/// character outside both alphabets.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace kb::engine

#endif  // KB_ENGINE_REGISTRY_AUTH_H_
