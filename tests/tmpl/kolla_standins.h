// Simple stand-ins for kolla's template helpers, registered identically in
// the C++ driver and in the Python oracle (oracle.py) so the two renders
// can be compared byte for byte.
#ifndef KB_TESTS_TMPL_KOLLA_STANDINS_H_
#define KB_TESTS_TMPL_KOLLA_STANDINS_H_

#include "tmpl/environment.h"

namespace kb::tmpltest {

/// Registers customizable, debian_package_install, handle_repos and
/// raise_error on `env`.
void RegisterKollaStandins(tmpl::Environment& env);

}  // namespace kb::tmpltest

#endif  // KB_TESTS_TMPL_KOLLA_STANDINS_H_
