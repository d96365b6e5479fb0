// kolla's template helpers for the tmpl engine: the filter and globals
// upstream kolla registers into its Jinja2 environment.
#ifndef KB_KOLLA_TEMPLATE_HELPERS_H_
#define KB_KOLLA_TEMPLATE_HELPERS_H_

#include <optional>
#include <string>

#include "tmpl/environment.h"

namespace kb::kolla {

/// Where handle_repos finds its repository table.
struct HelperOptions {
  /// The default table, `<images dir>/../template/repos.yaml`.
  std::string default_repos_yaml;
  /// --repos-yaml: merged over the default (per section, per repository
  /// name). A non-empty `repos_yaml` value in the render context wins.
  std::optional<std::string> repos_yaml;
};

/// Registers the filter `customizable` and the globals
/// `debian_package_install`, `handle_repos` and `raise_error` in `env`,
/// with upstream kolla's behaviour (see customizable.h,
/// package_install.h, repos.h). Each repos file is read once and cached
/// for the life of `env`; a failure to read one fails every render that
/// calls handle_repos, with the file named in the message.
void RegisterTemplateHelpers(tmpl::Environment& env, const HelperOptions& opts);

}  // namespace kb::kolla

#endif  // KB_KOLLA_TEMPLATE_HELPERS_H_
