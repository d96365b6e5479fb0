// kolla's `debian_package_install` template global.
#ifndef KB_KOLLA_PACKAGE_INSTALL_H_
#define KB_KOLLA_PACKAGE_INSTALL_H_

#include <string>
#include <vector>

#include "tmpl/value.h"

namespace kb::kolla {

/// The shell command installing `packages` on a Debian-based image
/// (upstream kolla/template/methods.py). Names starting with "http" are
/// .deb URLs: each is fetched with curl, installed with `dpkg -i` and
/// removed. The others go to one `apt-get -y install
/// --no-install-recommends` after an `apt-get --error-on=any update`,
/// followed by `apt-get clean` and removal of the lists when
/// `clean_package_cache`. Commands are joined with " && "; no packages
/// give "".
std::string DebianPackageInstall(const std::vector<std::string>& packages,
                                 bool clean_package_cache);

/// The global `debian_package_install(packages, clean_package_cache=True)`:
/// binds the arguments as Python does and raises like upstream for items
/// that are not strings ("'int' object has no attribute 'startswith'").
tmpl::Value DebianPackageInstallGlobal(tmpl::CallContext& ctx,
                                       tmpl::CallArgs& args);

}  // namespace kb::kolla

#endif  // KB_KOLLA_PACKAGE_INSTALL_H_
