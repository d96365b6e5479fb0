// argparse as oslo.config drives it: the kolla-build command line.

#ifndef KB_CONFIG_ARGV_H_
#define KB_CONFIG_ARGV_H_

#include <string>
#include <vector>

#include "config/opt.h"

namespace kb::config {

/// What one command-line token does.
enum class FlagAction {
  kStore,       // --tag X
  kStoreTrue,   // --push
  kStoreFalse,  // --nopush
  kAppend,      // --profile X (MultiOpt)
  kHelp,
  kVersion,
  kConfigFile,
  kConfigDir,
};

/// One argparse argument: its option strings in order ("--base", "-b"),
/// the option it sets (null for help, version, config-file/dir), and how.
struct CliArgument {
  std::vector<std::string> option_strings;
  const OptSpec* opt = nullptr;
  FlagAction action = FlagAction::kStore;
  std::string metavar;  // "BASE", "PATH"
  std::string help;
  bool takes_value() const {
    return action == FlagAction::kStore || action == FlagAction::kAppend ||
           action == FlagAction::kConfigFile ||
           action == FlagAction::kConfigDir;
  }
  /// "--profile/-p", as argparse names an argument in errors.
  std::string DisplayName() const;
};

/// The arguments in argparse's order: -h first, then the rest sorted by
/// their option strings as oslo's _CachedArgumentParser sorts them. The
/// positional `regex` is not included. `opts` must outlive the result.
std::vector<CliArgument> BuildCliArguments(const std::vector<OptSpec>& opts);

/// One step of the parse, in command-line order.
struct CliEvent {
  const CliArgument* arg = nullptr;  // null: positional values
  std::string value;                 // for arguments that take one
  std::vector<std::string> positionals;
};

struct CliParse {
  std::vector<CliEvent> events;  // stops after help/version
  std::string error;             // argparse's message, without prefix
};

/// Splits `args` (argv without argv[0]) as argparse does: unique prefixes
/// of long options, `--opt=value`, `-T4`, `-dq`, "--", one run of
/// positional arguments, "expected one argument", "ignored explicit
/// argument", "ambiguous option", "unrecognized arguments".
CliParse ParseCommandLine(const std::vector<CliArgument>& arguments,
                          const std::vector<std::string>& args);

/// argparse's usage and help texts for prog "kolla-build".
std::string FormatUsage(const std::vector<CliArgument>& arguments,
                        const OptSpec* positional, int columns);
std::string FormatHelp(const std::vector<CliArgument>& arguments,
                       const OptSpec* positional, int columns);

}  // namespace kb::config

#endif  // KB_CONFIG_ARGV_H_
