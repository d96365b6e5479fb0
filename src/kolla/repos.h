// kolla's repository table (repos.yaml) and the `handle_repos` global.
#ifndef KB_KOLLA_REPOS_H_
#define KB_KOLLA_REPOS_H_

#include <memory>
#include <string>

#include "tmpl/error.h"
#include "tmpl/value.h"

namespace kb::kolla {

/// A loaded repos.yaml: top-level sections ("deb", "rpm", "debian",
/// "rocky-aarch64", ...) mapping repository aliases to their fields.
/// Immutable once loaded, so one copy serves every render.
struct RepoData {
  /// The default file with the override file merged over it: per
  /// section, an override entry replaces the whole entry of that name.
  tmpl::Value sections;
  /// The default file alone, for the check that overriding one distro
  /// repo of a shared .repo file overrides all of them.
  tmpl::Value default_sections;
  bool has_override = false;
};

/// Reads `default_path` and, unless `override_path` is empty, merges that
/// file over it (upstream methods.py). Fails with FileNotFoundError for a
/// missing file, YAMLError for bad YAML, and TypeError when a file is not
/// a mapping of sections whose values are mappings of repositories.
tmpl::Result<std::shared_ptr<const RepoData>> LoadRepoData(
    const std::string& default_path, const std::string& override_path);

/// The render context values handle_repos reads (None when unset).
struct RepoTarget {
  tmpl::Value base_package_type;  // "deb" or "rpm"
  tmpl::Value base_distro;        // "debian", "rocky", ...
  tmpl::Value base_arch;          // "x86_64", "aarch64"
  tmpl::Value openstack_release_codename;
};

/// The repositories visible to `target`: the package-type section, then
/// the distro section, then "<distro>-<arch>", later ones merged field by
/// field over earlier ones. A merged entry that gains a URL field
/// (baseurl, metalink, mirrorlist, url) stops being a distro repository.
tmpl::Value BuildRepoTable(const tmpl::Value& sections,
                           const RepoTarget& target);

/// The Dockerfile line `handle_repos(reponames, mode)` renders: "RUN " and
/// the commands enabling (mode "enable") or disabling ("disable") the
/// named repositories, or "" when there is nothing to do. See the rules in
/// repos.cc. Fails with the class upstream raises: TypeError when
/// `reponames` is not a list, KeyError for a repository the table lacks
/// or a field an entry needs, ValueError for unusable entries, and
/// ValueError for a mode other than "enable" and "disable".
tmpl::Result<std::string> HandleRepos(const RepoData& data,
                                      const RepoTarget& target,
                                      const tmpl::Value& reponames,
                                      const tmpl::Value& mode);

}  // namespace kb::kolla

#endif  // KB_KOLLA_REPOS_H_
