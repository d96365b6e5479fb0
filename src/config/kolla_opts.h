// kolla-build's option set: kolla/common/config.py, as data.

#ifndef KB_CONFIG_KOLLA_OPTS_H_
#define KB_CONFIG_KOLLA_OPTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "config/defaults.h"
#include "config/opt.h"

namespace kb::config {

/// The host architecture as upstream names it (uname -m, with "arm64"
/// read as "aarch64").
std::string HostArch();

/// _CLI_OPTS of config.py, in upstream's order, for a host of `host_arch`.
std::vector<OptSpec> KollaCliOpts(std::string_view host_arch);
/// _BASE_OPTS: [DEFAULT] options that only config files may set.
std::vector<OptSpec> KollaBaseOpts();
/// Options this project adds on top of upstream (extra_opts.cc). To add a
/// flag, add one line to that table; it then appears in --help, parses
/// from argv and files, and is read with Conf's getters by its dest.
std::vector<OptSpec> ExtraCliOpts();
/// _PROFILE_OPTS: the [profiles] group.
std::vector<OptSpec> ProfileOpts();
/// get_source_opts(): type, location, reference, enabled, version, sha256.
/// With `src` null, the defaults are upstream's for a section it did not
/// list (all None, enabled true).
std::vector<OptSpec> SourceOpts(const SourceDefault* src);
/// get_user_opts(): uid, gid, group. With `user` null, all None.
std::vector<OptSpec> UserOpts(const UserDefault* user);

/// Every group upstream registers before parsing: DEFAULT (CLI, base and
/// extra options), profiles, one per default source and one per default
/// user.
std::vector<GroupSpec> KollaGroups(std::string_view host_arch);

}  // namespace kb::config

#endif  // KB_CONFIG_KOLLA_OPTS_H_
