// The resolution engine behind ParseKollaBuild: what the command line and
// the files said (Namespace), the registered options (Schema), and oslo's
// value lookup with interpolation (Resolver). Internal to src/config.

#ifndef KB_CONFIG_RESOLVER_H_
#define KB_CONFIG_RESOLVER_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/ini.h"
#include "config/opt.h"
#include "config/value.h"

namespace kb::config {

inline constexpr char kDefaultGroup[] = "DEFAULT";

/// Aborts with "[this is a bug]".
[[noreturn]] void Bug(std::string_view what);

/// "abc-d" -> "ABC-D".
std::string Upper(std::string s);

/// A raw value (before interpolation and conversion) and its origin.
struct Raw {
  Value value;       // string, bool (CLI flags) or StrList (multi)
  std::string file;  // empty: the command line
  int line = 0;
  std::string flag;  // the option string used on the command line
  std::string env;   // set: from this environment variable
};

/// What the command line and the config files said, as oslo's _Namespace
/// holds it: the parsed files, and the values of CLI options in the order
/// given (a file's [DEFAULT] values of CLI options count as given at the
/// file's place on the command line).
struct Namespace {
  std::vector<IniFile> files;           // in parse order
  std::map<std::string, Raw> cli;       // dest -> value, for CLI options
  std::vector<std::string> file_names;  // files read, in order
};

/// A one-line error, and "file:line" when a file value caused it.
struct Failure {
  std::string message;
  std::string location;
};

/// The registered groups and options; DEFAULT is the first group.
class Schema {
 public:
  explicit Schema(std::vector<GroupSpec> groups) : groups_(std::move(groups)) {
    for (size_t i = 0; i < groups_.size(); ++i) index_[groups_[i].name] = i;
  }

  const GroupSpec& Default() const { return groups_[0]; }
  const std::vector<GroupSpec>& groups() const { return groups_; }
  const GroupSpec* Find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &groups_[it->second];
  }

  /// Registers what kolla would register for sections only files name:
  /// profiles are ListOpts with an empty default, "-user" sections get the
  /// user options, every other section the source options.
  void AddFileSections(const Namespace& ns);

 private:
  std::vector<GroupSpec> groups_;
  std::map<std::string, size_t, std::less<>> index_;
};

/// oslo's ConfigOpts._do_get and _substitute over one Namespace. Values
/// are cached, so build a new Resolver after changing `set_defaults`.
class Resolver {
 public:
  Resolver(
      const Schema& schema, const Namespace& ns,
      const std::map<std::pair<std::string, std::string>, Value>& set_defaults,
      const std::map<std::string, std::string>* environ = nullptr)
      : schema_(schema),
        ns_(ns),
        set_defaults_(set_defaults),
        environ_(environ) {}

  /// The typed, interpolated value of an option that must be registered.
  /// Returns false, with failure() set, on a bad value, a bad reference or
  /// a reference cycle.
  bool Get(const std::string& group, const std::string& dest, Value* out);
  const Failure& failure() const { return failure_; }

  /// The raw value of an option, or false when neither the command line
  /// nor a file set it. FindInFiles looks at the files only.
  bool FindRaw(const std::string& group, const OptSpec& opt, Raw* out) const;
  bool FindInFiles(const std::string& group, const OptSpec& opt,
                   Raw* out) const;

  /// string.Template substitution of every string in `v`, in `group`.
  bool Substitute(const Value& v, const std::string& group,
                  const std::string& context, Value* out);

 private:
  bool SubstituteString(const std::string& s, const std::string& group,
                        const std::string& context, std::string* out);
  bool Lookup(const std::string& key, const std::string& group,
              const std::string& context, std::string* out);
  bool Fail(const std::string& context, const std::string& message) {
    failure_.message = context + ": " + message;
    return false;
  }

  const Schema& schema_;
  const Namespace& ns_;
  const std::map<std::pair<std::string, std::string>, Value>& set_defaults_;
  const std::map<std::string, std::string>* environ_;
  std::map<std::pair<std::string, std::string>, Value> cache_;
  std::vector<std::pair<std::string, std::string>> stack_;
  Failure failure_;
};

}  // namespace kb::config

#endif  // KB_CONFIG_RESOLVER_H_
