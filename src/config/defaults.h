// Upstream kolla's built-in tables, compiled in (see defaults_data.cc).

#ifndef KB_CONFIG_DEFAULTS_H_
#define KB_CONFIG_DEFAULTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::config {

/// One `[<name>-user]` default: kolla/common/users.py. `group` is already
/// filled in as upstream derives it (the name without "-user" unless the
/// table gives one).
struct UserDefault {
  std::string name;  // "keystone-user"
  int64_t uid, gid;
  std::string group;
};

/// One per-image source default: kolla/common/sources.py.
struct SourceDefault {
  std::string image;     // "keystone-base"
  std::string type;      // url | git | local
  std::string location;  // un-interpolated, as upstream lists it
  std::optional<std::string> reference, version;
  std::vector<std::pair<std::string, std::string>> sha256;  // arch -> sum
  bool enabled = true;
  /// False when upstream gives no sha256 at all (the option is then None,
  /// not an empty dict).
  bool has_sha256 = false;
};

/// A base distro: DEFAULT_BASE_TAGS and DISTRO_PRETTY_NAME of config.py.
struct DistroDefault {
  std::string distro;       // "debian"
  std::string image;        // "debian", "quay.io/centos/centos"
  std::string tag;          // "trixie"
  std::string pretty_name;  // must match PRETTY_NAME in /etc/os-release
};

/// Every default user, sorted by name.
const std::vector<UserDefault>& DefaultUsers();
/// Every default source, sorted by image name.
const std::vector<SourceDefault>& DefaultSources();
/// Profile name -> patterns, in upstream's registration order.
const std::vector<std::pair<std::string, std::vector<std::string>>>&
DefaultProfiles();
/// "debian" / "centos+aarch64" / "aarch64" -> image names that cannot be
/// built there (kolla/image/unbuildable.py).
const std::vector<std::pair<std::string, std::vector<std::string>>>&
Unbuildable();
/// The supported base distros, in the order of `--base` choices.
const std::vector<DistroDefault>& DefaultDistros();
/// Returns the distro entry, or nullptr when `distro` is not supported.
const DistroDefault* FindDistro(std::string_view distro);

/// OPENSTACK_RELEASE of config.py: the default of --openstack-release.
std::string_view DefaultOpenstackRelease();
/// The release codename templates see as `openstack_release_codename`.
std::string_view OpenstackReleaseCodename();
/// TARBALLS_BASE of config.py: the default of --tarballs-base.
std::string_view DefaultTarballsBase();

}  // namespace kb::config

#endif  // KB_CONFIG_DEFAULTS_H_
