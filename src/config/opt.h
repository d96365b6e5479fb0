// Option definitions: oslo.config's Opt classes reduced to data.

#ifndef KB_CONFIG_OPT_H_
#define KB_CONFIG_OPT_H_

#include <string>
#include <vector>

#include "config/value.h"

namespace kb::config {

/// One registered option. `name` is spelled as upstream registers it
/// ("base-tag", "network_mode"); the CLI flag is "--" + name and the key
/// in files and getters is dest() ("base_tag").
struct OptSpec {
  std::string name;
  TypeSpec type;
  Value default_value;  // monostate: None
  std::string help;
  char short_flag = 0;      // 'b' for -b
  bool cli = false;         // registered with register_cli_opt
  bool positional = false;  // the `regex` arguments

  std::string dest() const;
};

/// Builders that read like upstream's cfg.StrOpt(...) lines.
OptSpec StrOpt(std::string name, Value default_value, std::string help,
               std::vector<std::string> choices = {});
OptSpec BoolOpt(std::string name, Value default_value, std::string help);
OptSpec IntOpt(std::string name, Value default_value, std::string help,
               std::optional<int64_t> min = std::nullopt,
               std::optional<int64_t> max = std::nullopt);
OptSpec ListOpt(std::string name, Value default_value, std::string help);
OptSpec DictOpt(std::string name, Value default_value, std::string help);
OptSpec MultiOpt(std::string name, std::string help);

/// Returns `opt` marked as a CLI option with the given short flag.
OptSpec Cli(OptSpec opt, char short_flag = 0);

/// A group of options ("DEFAULT", "profiles", "keystone-base", ...).
struct GroupSpec {
  std::string name;
  std::vector<OptSpec> opts;

  /// Returns the option whose dest is `dest`, or nullptr.
  const OptSpec* Find(std::string_view dest) const;
};

}  // namespace kb::config

#endif  // KB_CONFIG_OPT_H_
