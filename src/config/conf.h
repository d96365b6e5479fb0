// kolla-build's configuration with oslo.config semantics: the public API.

#ifndef KB_CONFIG_CONF_H_
#define KB_CONFIG_CONF_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/defaults.h"
#include "config/opt.h"
#include "config/value.h"

namespace kb::config {

/// A fully parsed, validated, defaulted and interpolated configuration.
/// Option names are the underscored names ("base_tag", "build_args").
/// Every getter's option must be registered, else it is a bug (abort with
/// "[this is a bug]"); group getters return nullopt instead.
class Conf {
 public:
  /// [DEFAULT] (and CLI) options. Str is "" when the value is None.
  std::string Str(std::string_view opt) const;
  std::optional<std::string> OptStr(std::string_view opt) const;
  bool Bool(std::string_view opt) const;  // None (no default) is false
  /// An IntOpt; a value written empty in a file is None, read here as 0.
  int64_t Int(std::string_view opt) const;
  std::optional<int64_t> OptInt(std::string_view opt) const;
  /// ListOpt or MultiOpt; None is empty.
  std::vector<std::string> List(std::string_view opt) const;
  /// DictOpt, in the order written; None is empty.
  std::vector<std::pair<std::string, std::string>> Dict(
      std::string_view opt) const;
  /// The positional regex arguments (or `regex` from a file).
  std::vector<std::string> Positional() const;

  /// Other groups: per-image source sections ("keystone-base"),
  /// "<name>-user" sections, "<image>-plugin-<x>", "<image>-additions-<x>",
  /// "profiles". Lists every group that has a registered default or was
  /// present in a config file, sorted. Section names from files are
  /// normalized as oslo does (lowercase).
  std::vector<std::string> Groups() const;
  bool HasGroup(std::string_view group) const;
  /// A group's option: nullopt when the group or option is unknown or the
  /// value is None. Sections that only a file names get upstream's schema
  /// for them: "profiles" keys are lists, "*-user" sections have uid, gid
  /// and group, every other section has the source options (type,
  /// location, reference, enabled, version, sha256).
  std::optional<std::string> GroupStr(std::string_view group,
                                      std::string_view opt) const;
  std::optional<bool> GroupBool(std::string_view group,
                                std::string_view opt) const;
  std::optional<int64_t> GroupInt(std::string_view group,
                                  std::string_view opt) const;
  std::optional<std::vector<std::string>> GroupList(std::string_view group,
                                                    std::string_view opt) const;
  std::optional<std::vector<std::pair<std::string, std::string>>> GroupDict(
      std::string_view group, std::string_view opt) const;
  /// The keys of a group (registered ones and any a file set), sorted;
  /// for "profiles" these are the profile names.
  std::vector<std::string> GroupKeys(std::string_view group) const;

  /// The typed value of any option; DEFAULT is group "DEFAULT".
  /// Returns nullptr when not registered.
  const Value* Get(std::string_view group, std::string_view opt) const;
  /// The config files that were read, in order.
  const std::vector<std::string>& config_files() const { return files_; }

 private:
  friend class ConfBuilder;
  const Value& MustGet(std::string_view opt) const;

  std::map<std::string, std::map<std::string, Value, std::less<>>, std::less<>>
      values_;
  std::vector<std::string> files_;
};

struct ParseError {
  /// One line, without the "kolla-build: error: " prefix, e.g.
  /// "argument --threads: Invalid Integer(min=1) value: 0" or
  /// "site.conf:3: [DEFAULT] tag: no such option 'HOME' in group [DEFAULT]".
  std::string message;
  int exit_code = 2;  // 2 for usage/value errors
  /// For argparse-style usage errors: the usage text to print on stderr
  /// before the message, as argparse does. Empty otherwise.
  std::string usage;
  /// "file:line" when the bad value came from a config file.
  std::string location;
};

/// What `main` gets back: either a Conf, or a request already answered
/// (--help / --version printed into `output`, exit 0), or an error.
struct ParseOutcome {
  std::optional<Conf> conf;
  std::optional<ParseError> error;
  std::string output;  // text to print on stdout (help, version)
  int exit_code = 0;
};

/// What ParseKollaBuild needs from the machine; tests replace it.
struct ParseEnv {
  std::string host_arch;  // uname -m, "arm64" read as "aarch64"
  std::string exe_path;   // this program, for ../share/kolla/docker
  std::function<bool(const std::string&)> exists;  // path exists
  std::function<bool(const std::string&)> is_dir;
  /// Reads a file; returns false when it cannot be read (errno in *err_no).
  std::function<bool(const std::string&, std::string*, int*)> read_file;
  /// Width of the terminal on stdout, 0 when it is not a terminal; --help
  /// wraps to it unless COLUMNS is set, as Python's argparse does.
  std::function<int()> terminal_columns;
  /// Sorted "*.conf" files of a directory.
  std::function<std::vector<std::string>(const std::string&)> list_conf;

  /// The real machine.
  static ParseEnv System();
};

/// Parses argv (argv[0] is the program) exactly as upstream kolla-build's
/// oslo.config would: default config file locations, --config-file,
/// --config-dir, [DEFAULT] values, CLI overrides, choices/min checks,
/// kolla's derived defaults (base_tag, tag, base_image, openstack_branch,
/// debian_arch, ...), $name/${name} interpolation.
/// `environ` is the process environment (HOME for the default config file
/// locations, COLUMNS for --help).
ParseOutcome ParseKollaBuild(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environ);
ParseOutcome ParseKollaBuild(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environ,
                             const ParseEnv& env);

/// oslo's find_config_files('kolla', 'kolla-build') and find_config_dirs:
/// the first existing of ~/.kolla/X, ~/X, /etc/kolla/X, /etc/X (and the
/// snap folders) for X = kolla.conf, then kolla-build.conf.
std::vector<std::string> DefaultConfigFiles(
    const std::map<std::string, std::string>& environ, const ParseEnv& env);
std::vector<std::string> DefaultConfigDirs(
    const std::map<std::string, std::string>& environ, const ParseEnv& env);
/// Where --images-dir defaults to, in the order tried.
std::vector<std::string> DefaultImagesDirs(
    const std::map<std::string, std::string>& environ, const ParseEnv& env);

/// The --help text (argparse layout, options sorted as oslo sorts them).
std::string HelpText(const std::vector<GroupSpec>& groups, int columns);
/// The usage text argparse prints before an error.
std::string UsageText(const std::vector<GroupSpec>& groups, int columns);

}  // namespace kb::config

#endif  // KB_CONFIG_CONF_H_
