#include "config/conf.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/argv.h"
#include "config/ini.h"
#include "config/kolla_opts.h"

#ifndef KB_VERSION
#define KB_VERSION "0.0.0"
#endif

namespace kb::config {
namespace {

const char kDefault[] = "DEFAULT";

std::string Upper(std::string s);

[[noreturn]] void Bug(std::string_view what) {
  std::fprintf(stderr, "kolla-build: %.*s [this is a bug]\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

// ---- The namespace: what the command line and the files said ----

// A raw value and where it came from.
struct Raw {
  Value value;       // string, bool (CLI flags) or StrList (multi)
  std::string file;  // empty: the command line
  int line = 0;
  std::string flag;  // the option string used on the command line
  std::string env;   // set: from this environment variable
};

struct Namespace {
  std::vector<IniFile> files;           // in parse order
  std::map<std::string, Raw> cli;       // dest -> value, for CLI options
  std::vector<std::string> file_names;  // files read, in order
};

struct Failure {
  std::string message;
  std::string location;
};

// ---- The schema: registered groups, plus what files add ----

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

  // Registers what kolla would register for sections only files name:
  // profiles are ListOpts with an empty default, "-user" sections get the
  // user options, every other section the source options.
  void AddFileSections(const Namespace& ns) {
    for (const auto& f : ns.files) {
      for (const auto& [section, keys] : f.sections) {
        if (section == kDefault) continue;
        if (!Find(section)) {
          bool user = section.size() > 5 &&
                      section.compare(section.size() - 5, 5, "-user") == 0;
          groups_.push_back(GroupSpec{
              section, user ? UserOpts(nullptr) : SourceOpts(nullptr)});
          index_[section] = groups_.size() - 1;
        }
        if (section == "profiles") {
          GroupSpec& g = groups_[index_.at("profiles")];
          for (const auto& [key, entries] : keys) {
            if (!g.Find(key)) g.opts.push_back(ListOpt(key, StrList{}, ""));
          }
        }
      }
    }
  }

 private:
  std::vector<GroupSpec> groups_;
  std::map<std::string, size_t, std::less<>> index_;
};

std::string Describe(std::string_view group, const OptSpec& opt,
                     const Raw* raw) {
  std::string what = "[" + std::string(group) + "] " + opt.dest();
  if (raw == nullptr) return what + " (default)";
  if (!raw->env.empty()) return "environment variable " + raw->env;
  if (raw->file.empty()) {
    return "argument " + (raw->flag.empty() ? "--" + opt.name : raw->flag);
  }
  return raw->file + ":" + std::to_string(raw->line) + ": " + what;
}

// ---- The resolver: oslo's ConfigOpts._do_get and _substitute ----

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

  // Returns false and sets failure_ on an error.
  bool Get(const std::string& group, const std::string& dest, Value* out);
  const Failure& failure() const { return failure_; }

  // The raw value of an option, or false when neither the command line
  // nor a file set it.
  bool FindRaw(const std::string& group, const OptSpec& opt, Raw* out) const;
  bool FindInFiles(const std::string& group, const OptSpec& opt,
                   Raw* out) const;

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

bool Resolver::FindRaw(const std::string& group, const OptSpec& opt,
                       Raw* out) const {
  const std::string dest = opt.dest();
  if (group == kDefault && opt.cli) {
    auto it = ns_.cli.find(dest);
    if (it != ns_.cli.end()) {
      // PARITY(oslo): an empty positional list means "not given".
      const auto* l = std::get_if<StrList>(&it->second.value);
      if (!(opt.positional && l && l->empty())) {
        *out = it->second;
        return true;
      }
    }
  }
  return FindInFiles(group, opt, out);
}

bool Resolver::FindInFiles(const std::string& group, const OptSpec& opt,
                           Raw* out) const {
  const std::string dest = opt.dest();
  bool multi = opt.type.kind == OptKind::kMulti;
  StrList values;
  bool found = false;
  for (auto f = ns_.files.rbegin(); f != ns_.files.rend(); ++f) {
    auto s = f->sections.find(group);
    if (s == f->sections.end()) continue;
    auto k = s->second.find(dest);
    if (k == s->second.end() || k->second.empty()) continue;
    if (!found) {
      out->file = f->path;
      out->line = k->second.back().line;
    }
    found = true;
    if (!multi) {
      out->value = k->second.back().value;
      return true;
    }
    // Later files come first in the loop; keep the files' order.
    StrList here;
    for (const auto& e : k->second) here.push_back(e.value);
    values.insert(values.begin(), here.begin(), here.end());
  }
  if (found) out->value = values;
  return found;
}

bool Resolver::Get(const std::string& group, const std::string& dest,
                   Value* out) {
  const GroupSpec* g = schema_.Find(group);
  const OptSpec* opt = g ? g->Find(dest) : nullptr;
  if (opt == nullptr) Bug("unknown option [" + group + "] " + dest);
  auto key = std::make_pair(group, dest);
  if (auto it = cache_.find(key); it != cache_.end()) {
    *out = it->second;
    return true;
  }

  Raw raw;
  bool have_raw = FindRaw(group, *opt, &raw);
  if (environ_ != nullptr) {
    // PARITY(oslo): OS_<GROUP>__<OPT> comes after the command line but
    // before files; a CLI option that any file also sets counts as coming
    // from the file here.
    Raw in_file;
    bool command_line =
        have_raw && raw.file.empty() && !FindInFiles(group, *opt, &in_file);
    std::string name = "OS_" + Upper(group) + "__" + Upper(dest);
    auto e = environ_->find(name);
    if (!command_line && e != environ_->end()) {
      raw = Raw{e->second, "", 0, "", name};
      have_raw = true;
      if (opt->type.kind == OptKind::kMulti) {
        // A MultiOpt iterates the string: one item per character.
        StrList chars;
        for (char c : e->second) chars.emplace_back(1, c);
        raw.value = chars;
      }
    }
  }
  std::string context = Describe(group, *opt, have_raw ? &raw : nullptr);
  if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
    return Fail(context, "recursive reference to option '" + dest + "'");
  }
  stack_.push_back(key);
  bool ok = true;
  Value result;
  auto sd = set_defaults_.find(key);
  if (have_raw) {
    Value substituted;
    ok = Substitute(raw.value, group, context, &substituted);
    if (ok) {
      ConvertResult r = Convert(opt->type, substituted);
      if (!r.ok()) {
        failure_.location =
            raw.file.empty() ? "" : raw.file + ":" + std::to_string(raw.line);
        if (group == kDefault && opt->cli && raw.env.empty()) {
          // PARITY(oslo): _validate_cli_options' wording, for values from
          // files too.
          failure_.message = "argument --" + dest + ": Invalid " +
                             TypeRepr(opt->type) +
                             " value: " + PyStr(substituted);
        } else {
          failure_.message = context + ": Invalid " + TypeRepr(opt->type) +
                             " value: " + PyStr(substituted);
        }
        ok = false;
      } else {
        result = r.value;
      }
    }
  } else if (sd != set_defaults_.end()) {
    // PARITY(oslo): set_default values are substituted in DEFAULT and not
    // converted.
    ok = Substitute(sd->second, kDefault, context, &result);
  } else if (!std::holds_alternative<std::monostate>(opt->default_value)) {
    Value substituted;
    ok = Substitute(opt->default_value, group, context, &substituted);
    if (ok) {
      ConvertResult r = Convert(opt->type, substituted);
      if (!r.ok()) {
        ok = Fail(context, "Invalid " + TypeRepr(opt->type) +
                               " value: " + PyStr(substituted));
      } else {
        result = r.value;
      }
    }
  }
  stack_.pop_back();
  if (!ok) return false;
  cache_[key] = result;
  *out = std::move(result);
  return true;
}

bool Resolver::Substitute(const Value& v, const std::string& group,
                          const std::string& context, Value* out) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::string r;
    if (!SubstituteString(*s, group, context, &r)) return false;
    *out = r;
    return true;
  }
  if (const auto* l = std::get_if<StrList>(&v)) {
    StrList r;
    for (const auto& item : *l) {
      std::string x;
      if (!SubstituteString(item, group, context, &x)) return false;
      r.push_back(std::move(x));
    }
    *out = r;
    return true;
  }
  if (const auto* d = std::get_if<StrDict>(&v)) {
    StrDict r;
    for (const auto& [k, val] : *d) {
      std::string k2, v2;
      if (!SubstituteString(k, group, context, &k2) ||
          !SubstituteString(val, group, context, &v2)) {
        return false;
      }
      r.emplace_back(std::move(k2), std::move(v2));
    }
    *out = r;
    return true;
  }
  *out = v;
  return true;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(c));
  return s;
}

bool IsIdStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsIdChar(char c) {
  return IsIdStart(c) || c == '.' || (c >= '0' && c <= '9');
}

bool Resolver::SubstituteString(const std::string& in, const std::string& group,
                                const std::string& context, std::string* out) {
  // PARITY(oslo): "\$" is treated as "$$" before string.Template runs.
  std::string s;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == '$') {
      s += "$$";
      ++i;
    } else {
      s += in[i];
    }
  }

  // string.Template with idpattern [_a-z][._a-z0-9]* (any case), as
  // safe_substitute: anything that is not a valid placeholder stays.
  out->clear();
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '$') {
      *out += s[i++];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '$') {
      *out += '$';
      i += 2;
      continue;
    }
    if (i + 1 < s.size() && IsIdStart(s[i + 1])) {
      size_t j = i + 1;
      while (j < s.size() && IsIdChar(s[j])) ++j;
      std::string value;
      if (!Lookup(s.substr(i + 1, j - i - 1), group, context, &value)) {
        return false;
      }
      *out += value;
      i = j;
      continue;
    }
    if (i + 2 < s.size() && s[i + 1] == '{' && IsIdStart(s[i + 2])) {
      size_t j = i + 2;
      while (j < s.size() && IsIdChar(s[j])) ++j;
      if (j < s.size() && s[j] == '}') {
        std::string value;
        if (!Lookup(s.substr(i + 2, j - i - 2), group, context, &value)) {
          return false;
        }
        *out += value;
        i = j + 1;
        continue;
      }
    }
    *out += s[i++];
  }
  return true;
}

bool Resolver::Lookup(const std::string& key, const std::string& group,
                      const std::string& context, std::string* out) {
  std::string g = group;
  std::string name = key;
  size_t dot = key.find('.');
  if (dot != std::string::npos) {
    // PARITY(oslo): "a.b" means option b of group a; DEFAULT is not a
    // group there.
    g = key.substr(0, dot);
    name = key.substr(dot + 1);
    const GroupSpec* spec = g == kDefault ? nullptr : schema_.Find(g);
    if (spec == nullptr) return Fail(context, "no such group [" + g + "]");
    if (!spec->Find(name)) {
      // StrSubWrapper then tries the whole key in DEFAULT.
      g = kDefault;
      name = key;
    }
  } else if (g != kDefault && !schema_.Find(g)->Find(name)) {
    g = kDefault;
  }
  if (g == kDefault) {
    if (dot == std::string::npos && schema_.Find(name) && name != kDefault) {
      return Fail(context,
                  "substituting group '" + name + "' is not supported");
    }
    if (!schema_.Default().Find(name)) {
      return Fail(context, "no such option '" + name + "' in group [DEFAULT]");
    }
  }
  Value v;
  if (!Get(g, name, &v)) return false;
  *out = std::holds_alternative<std::monostate>(v) ? "" : PyStr(v);
  return true;
}

// ---- Reading files into the namespace ----

// _parse_cli_opts_from_config_file: the file's [DEFAULT] values of CLI
// options land in the namespace as if given at this point of the
// command line.
void ApplyCliOptsFromFile(const Schema& schema, const IniFile& file,
                          Namespace* ns) {
  auto s = file.sections.find(kDefault);
  if (s == file.sections.end()) return;
  for (const auto& opt : schema.Default().opts) {
    if (!opt.cli) continue;
    auto k = s->second.find(opt.dest());
    if (k == s->second.end() || k->second.empty()) continue;
    Raw& raw = ns->cli[opt.dest()];
    if (opt.type.kind == OptKind::kMulti) {
      StrList values;
      if (auto* l = std::get_if<StrList>(&raw.value)) values = *l;
      for (const auto& e : k->second) values.push_back(e.value);
      raw.value = values;
    } else {
      raw.value = k->second.back().value;
    }
    raw.file = file.path;
    raw.line = k->second.back().line;
    raw.flag.clear();
  }
}

std::string ExpandUser(const std::string& path,
                       const std::map<std::string, std::string>& environ) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/') return path;  // ~user: left as is
  auto home = environ.find("HOME");
  std::string h = home != environ.end() ? home->second : "";
  if (h.empty()) return path;
  while (h.size() > 1 && h.back() == '/') h.pop_back();
  return h + path.substr(1);
}

// oslo's _fixpath: "~" expanded, then made absolute.
std::string FixPath(const std::string& path,
                    const std::map<std::string, std::string>& environ) {
  std::string p = ExpandUser(path, environ);
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(p, ec);
  if (ec) return p;
  return abs.lexically_normal().string();
}

// Returns false with *err set when the file cannot be parsed; a missing
// file is recorded in *missing, as oslo reports them all at the end.
bool ReadConfigFile(const std::string& path, const Schema& schema,
                    const ParseEnv& env,
                    const std::map<std::string, std::string>& environ,
                    Namespace* ns, std::vector<std::string>* missing,
                    std::string* err) {
  std::string fixed = FixPath(path, environ);
  std::string text;
  int err_no = 0;
  if (!env.read_file(fixed, &text, &err_no)) {
    if (err_no == ENOENT || err_no == EACCES) {
      missing->push_back(fixed);
      return true;
    }
    *err = "cannot read config file '" + fixed + "'";
    return false;
  }
  IniFile file;
  if (!ParseIni(fixed, text, &file, err)) return false;
  ns->file_names.push_back(fixed);
  ns->files.push_back(std::move(file));
  ApplyCliOptsFromFile(schema, ns->files.back(), ns);
  return true;
}

bool ReadConfigDir(const std::string& dir, const Schema& schema,
                   const ParseEnv& env,
                   const std::map<std::string, std::string>& environ,
                   Namespace* ns, std::vector<std::string>* missing,
                   std::string* err) {
  for (const auto& f : env.list_conf(dir)) {
    if (!ReadConfigFile(f, schema, env, environ, ns, missing, err)) {
      return false;
    }
  }
  return true;
}

// shutil.get_terminal_size(): COLUMNS if it is a positive number, else
// the terminal's width, else 80.
int Columns(const std::map<std::string, std::string>& environ,
            const ParseEnv& env) {
  auto it = environ.find("COLUMNS");
  if (it != environ.end()) {
    int c = std::atoi(it->second.c_str());
    if (c > 0) return c;
  }
  if (env.terminal_columns) {
    int c = env.terminal_columns();
    if (c > 0) return c;
  }
  return 80;
}

std::vector<std::string> ConfigDirsToSearch(
    const std::map<std::string, std::string>& environ) {
  std::vector<std::string> dirs = {ExpandUser("~/.kolla", environ),
                                   ExpandUser("~", environ), "/etc/kolla",
                                   "/etc"};
  auto snap_c = environ.find("SNAP_COMMON");
  if (snap_c != environ.end() && !snap_c->second.empty()) {
    dirs.push_back(snap_c->second + "/etc/kolla");
  }
  auto snap = environ.find("SNAP");
  if (snap != environ.end() && !snap->second.empty()) {
    dirs.push_back(snap->second + "/etc/kolla");
  }
  return dirs;
}

std::vector<std::string> FindFirst(
    const std::map<std::string, std::string>& environ, const ParseEnv& env,
    std::string_view extension) {
  std::vector<std::string> found;
  for (std::string base : {"kolla", "kolla-build"}) {
    for (const auto& d : ConfigDirsToSearch(environ)) {
      std::string p = d + "/" + base + std::string(extension);
      if (env.exists(p)) {
        found.push_back(p);
        break;
      }
    }
  }
  return found;
}

ParseOutcome UsageError(const std::vector<CliArgument>& arguments,
                        const OptSpec* positional, std::string message,
                        int columns) {
  ParseOutcome out;
  out.exit_code = 2;
  out.error = ParseError{std::move(message), 2,
                         FormatUsage(arguments, positional, columns), ""};
  return out;
}

ParseOutcome ValueError(const Failure& f) {
  ParseOutcome out;
  out.exit_code = 2;
  out.error = ParseError{f.message, 2, "", f.location};
  return out;
}

}  // namespace

// ---- Conf ----

class ConfBuilder {
 public:
  static void Set(Conf* c, const std::string& group, const std::string& opt,
                  Value v) {
    c->values_[group][opt] = std::move(v);
  }
  static void SetFiles(Conf* c, std::vector<std::string> files) {
    c->files_ = std::move(files);
  }
};

const Value* Conf::Get(std::string_view group, std::string_view opt) const {
  auto g = values_.find(group);
  if (g == values_.end()) return nullptr;
  auto o = g->second.find(opt);
  return o == g->second.end() ? nullptr : &o->second;
}

const Value& Conf::MustGet(std::string_view opt) const {
  const Value* v = Get(kDefault, opt);
  if (v == nullptr) Bug("option '" + std::string(opt) + "' is not registered");
  return *v;
}

std::string Conf::Str(std::string_view opt) const {
  return OptStr(opt).value_or("");
}

std::optional<std::string> Conf::OptStr(std::string_view opt) const {
  const Value& v = MustGet(opt);
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  Bug("option '" + std::string(opt) + "' is not a string");
}

bool Conf::Bool(std::string_view opt) const {
  const Value& v = MustGet(opt);
  if (std::holds_alternative<std::monostate>(v)) return false;
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  Bug("option '" + std::string(opt) + "' is not a boolean");
}

std::optional<int64_t> Conf::OptInt(std::string_view opt) const {
  const Value& v = MustGet(opt);
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  Bug("option '" + std::string(opt) + "' is not an integer");
}

int64_t Conf::Int(std::string_view opt) const {
  return OptInt(opt).value_or(0);
}

std::vector<std::string> Conf::List(std::string_view opt) const {
  const Value& v = MustGet(opt);
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (const auto* l = std::get_if<StrList>(&v)) return *l;
  Bug("option '" + std::string(opt) + "' is not a list");
}

std::vector<std::pair<std::string, std::string>> Conf::Dict(
    std::string_view opt) const {
  const Value& v = MustGet(opt);
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (const auto* d = std::get_if<StrDict>(&v)) return *d;
  Bug("option '" + std::string(opt) + "' is not a dict");
}

std::vector<std::string> Conf::Positional() const { return List("regex"); }

std::vector<std::string> Conf::Groups() const {
  std::vector<std::string> out;
  for (const auto& [name, opts] : values_) {
    if (name != kDefault) out.push_back(name);
  }
  return out;  // std::map keeps them sorted
}

bool Conf::HasGroup(std::string_view group) const {
  return group != kDefault && values_.count(group) > 0;
}

std::vector<std::string> Conf::GroupKeys(std::string_view group) const {
  std::vector<std::string> out;
  auto g = values_.find(group);
  if (g == values_.end()) return out;
  for (const auto& [k, v] : g->second) out.push_back(k);
  return out;
}

std::optional<std::string> Conf::GroupStr(std::string_view group,
                                          std::string_view opt) const {
  const Value* v = Get(group, opt);
  if (!v) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return std::nullopt;
}

std::optional<bool> Conf::GroupBool(std::string_view group,
                                    std::string_view opt) const {
  const Value* v = Get(group, opt);
  if (!v) return std::nullopt;
  if (const auto* b = std::get_if<bool>(v)) return *b;
  return std::nullopt;
}

std::optional<int64_t> Conf::GroupInt(std::string_view group,
                                      std::string_view opt) const {
  const Value* v = Get(group, opt);
  if (!v) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  return std::nullopt;
}

std::optional<std::vector<std::string>> Conf::GroupList(
    std::string_view group, std::string_view opt) const {
  const Value* v = Get(group, opt);
  if (!v) return std::nullopt;
  if (const auto* l = std::get_if<StrList>(v)) return *l;
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Conf::GroupDict(
    std::string_view group, std::string_view opt) const {
  const Value* v = Get(group, opt);
  if (!v) return std::nullopt;
  if (const auto* d = std::get_if<StrDict>(v)) return *d;
  return std::nullopt;
}

// ---- The machine ----

ParseEnv ParseEnv::System() {
  ParseEnv env;
  env.host_arch = HostArch();
  std::error_code ec;
  env.exe_path = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  env.exists = [](const std::string& p) {
    std::error_code e;
    return std::filesystem::exists(p, e);
  };
  env.is_dir = [](const std::string& p) {
    std::error_code e;
    return std::filesystem::is_directory(p, e);
  };
  env.read_file = [](const std::string& p, std::string* out, int* err_no) {
    errno = 0;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      *err_no = errno ? errno : ENOENT;
      return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    *out = ss.str();
    return true;
  };
  env.terminal_columns = []() {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0) return 0;
    return static_cast<int>(ws.ws_col);
  };
  env.list_conf = [](const std::string& dir) {
    std::vector<std::string> out;
    std::error_code e;
    for (const auto& entry : std::filesystem::directory_iterator(dir, e)) {
      std::string name = entry.path().filename().string();
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ".conf") == 0 &&
          name[0] != '.') {
        out.push_back(entry.path().string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  return env;
}

std::vector<std::string> DefaultConfigFiles(
    const std::map<std::string, std::string>& environ, const ParseEnv& env) {
  return FindFirst(environ, env, ".conf");
}

std::vector<std::string> DefaultConfigDirs(
    const std::map<std::string, std::string>& environ, const ParseEnv& env) {
  return FindFirst(environ, env, ".conf.d");
}

std::vector<std::string> DefaultImagesDirs(
    const std::map<std::string, std::string>& environ, const ParseEnv& env) {
  std::vector<std::string> dirs = {"/usr/share/kolla/docker",
                                   "/usr/local/share/kolla/docker"};
  // sys.prefix of a virtualenv install.
  auto venv = environ.find("VIRTUAL_ENV");
  if (venv != environ.end() && !venv->second.empty()) {
    dirs.push_back(venv->second + "/share/kolla/docker");
  }
  if (!env.exe_path.empty()) {
    std::filesystem::path exe(env.exe_path);
    dirs.push_back(
        (exe.parent_path().parent_path() / "share/kolla/docker").string());
  }
  return dirs;
}

std::string HelpText(const std::vector<GroupSpec>& groups, int columns) {
  const auto& opts = groups.at(0).opts;
  const OptSpec* positional = nullptr;
  for (const auto& o : opts) {
    if (o.positional) positional = &o;
  }
  return FormatHelp(BuildCliArguments(opts), positional, columns);
}

std::string UsageText(const std::vector<GroupSpec>& groups, int columns) {
  const auto& opts = groups.at(0).opts;
  const OptSpec* positional = nullptr;
  for (const auto& o : opts) {
    if (o.positional) positional = &o;
  }
  return FormatUsage(BuildCliArguments(opts), positional, columns);
}

ParseOutcome ParseKollaBuild(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& environ) {
  return ParseKollaBuild(argv, environ, ParseEnv::System());
}

ParseOutcome ParseKollaBuild(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environ,
                             const ParseEnv& env) {
  Schema schema(KollaGroups(env.host_arch));
  const std::vector<OptSpec>& default_opts = schema.Default().opts;
  const OptSpec* positional = nullptr;
  for (const auto& o : default_opts) {
    if (o.positional) positional = &o;
  }
  std::vector<CliArgument> arguments = BuildCliArguments(default_opts);
  int columns = Columns(environ, env);
  std::vector<std::string> args(argv.size() > 1 ? argv.begin() + 1 : argv.end(),
                                argv.end());

  Namespace ns;
  std::vector<std::string> missing;
  std::string err;

  // 1. Default config files and dirs, unless the command line names some
  // (oslo checks the exact spellings only).
  bool has_file_arg = false, has_dir_arg = false;
  for (const auto& a : args) {
    if (a == "--config-file" || a.rfind("--config-file=", 0) == 0) {
      has_file_arg = true;
    }
    if (a == "--config-dir" || a.rfind("--config-dir=", 0) == 0) {
      has_dir_arg = true;
    }
  }
  if (!has_file_arg) {
    for (const auto& f : DefaultConfigFiles(environ, env)) {
      if (!ReadConfigFile(f, schema, env, environ, &ns, &missing, &err)) {
        return ValueError(Failure{err, ""});
      }
    }
  }
  if (!has_dir_arg) {
    for (const auto& d : DefaultConfigDirs(environ, env)) {
      if (!ReadConfigDir(d, schema, env, environ, &ns, &missing, &err)) {
        return ValueError(Failure{err, ""});
      }
    }
  }

  // 2. The command line, in order; files named there are read at their
  // place, so later arguments override them and they override earlier
  // ones.
  CliParse parsed = ParseCommandLine(arguments, args);
  for (const auto& ev : parsed.events) {
    if (ev.arg == nullptr) {
      ns.cli[positional->dest()] = Raw{ev.positionals, "", 0, "", ""};
      continue;
    }
    const CliArgument& a = *ev.arg;
    switch (a.action) {
      case FlagAction::kHelp: {
        ParseOutcome out;
        out.output = FormatHelp(arguments, positional, columns);
        return out;
      }
      case FlagAction::kVersion: {
        ParseOutcome out;
        out.output = std::string(KB_VERSION) + "\n";
        return out;
      }
      case FlagAction::kConfigFile:
        if (!ReadConfigFile(ev.value, schema, env, environ, &ns, &missing,
                            &err)) {
          return ValueError(Failure{err, ""});
        }
        break;
      case FlagAction::kConfigDir: {
        std::string dir = ExpandUser(ev.value, environ);
        if (!env.exists(dir)) {
          return ValueError(
              Failure{"config directory '" + dir + "' not found", ""});
        }
        if (!ReadConfigDir(dir, schema, env, environ, &ns, &missing, &err)) {
          return ValueError(Failure{err, ""});
        }
        break;
      }
      case FlagAction::kStore:
        ns.cli[a.opt->dest()] = Raw{ev.value, "", 0, a.DisplayName(), ""};
        break;
      case FlagAction::kStoreTrue:
      case FlagAction::kStoreFalse:
        ns.cli[a.opt->dest()] =
            Raw{a.action == FlagAction::kStoreTrue, "", 0, a.DisplayName(), ""};
        break;
      case FlagAction::kAppend: {
        Raw& raw = ns.cli[a.opt->dest()];
        StrList values;
        if (auto* l = std::get_if<StrList>(&raw.value)) values = *l;
        values.push_back(ev.value);
        raw = Raw{values, "", 0, a.DisplayName(), ""};
        break;
      }
    }
  }
  if (!parsed.error.empty()) {
    return UsageError(arguments, positional, parsed.error, columns);
  }
  if (!missing.empty()) {
    std::string joined;
    for (const auto& m : missing) joined += (joined.empty() ? "" : ", ") + m;
    return ValueError(
        Failure{"failed to find some config files: " + joined, ""});
  }
  schema.AddFileSections(ns);

  // 3. PARITY(oslo): _validate_cli_options checks every CLI option,
  // sorted by name, before kolla sets its derived defaults.
  std::map<std::pair<std::string, std::string>, Value> set_defaults;
  {
    std::vector<const OptSpec*> cli_opts;
    for (const auto& o : default_opts) {
      if (o.cli) cli_opts.push_back(&o);
    }
    std::stable_sort(
        cli_opts.begin(), cli_opts.end(),
        [](const OptSpec* a, const OptSpec* b) { return a->name < b->name; });
    Resolver r(schema, ns, set_defaults);
    for (const OptSpec* o : cli_opts) {
      Raw raw;
      if (!r.FindRaw(kDefault, *o, &raw)) continue;
      Value v;
      if (!r.Get(kDefault, o->dest(), &v)) return ValueError(r.failure());
    }
  }

  // 4. kolla's derived defaults (config.py parse()).
  {
    Resolver r(schema, ns, set_defaults);
    Value base, release, arch;
    if (!r.Get(kDefault, "base", &base) ||
        !r.Get(kDefault, "openstack_release", &release) ||
        !r.Get(kDefault, "base_arch", &arch)) {
      return ValueError(r.failure());
    }
    const DistroDefault* distro = FindDistro(PyStr(base));
    if (distro == nullptr) Bug("base '" + PyStr(base) + "' has no defaults");
    set_defaults[{kDefault, "base_tag"}] = distro->tag;
    std::string rel = std::holds_alternative<std::monostate>(release)
                          ? "None"
                          : PyStr(release);
    std::string branch = (rel == "master" ? "" : "stable-") + rel;
    std::string slashed = branch;
    std::replace(slashed.begin(), slashed.end(), '-', '/');
    set_defaults[{kDefault, "openstack_branch"}] = branch;
    set_defaults[{kDefault, "openstack_branch_slashed"}] = slashed;
    set_defaults[{kDefault, "debian_arch"}] =
        std::string(PyStr(arch) == "aarch64" ? "arm64" : "amd64");
    for (const auto& d : DefaultImagesDirs(environ, env)) {
      if (env.is_dir(d)) {
        // Keep a '$' in the path literal: set_default values are
        // interpolated when read.
        std::string escaped;
        for (char c : d)
          escaped += c == '$' ? std::string("$$") : std::string(1, c);
        set_defaults[{kDefault, "images_dir"}] = escaped;
        break;
      }
    }
  }
  {
    // The tag default needs base_tag as just defaulted.
    Resolver r(schema, ns, set_defaults);
    Value release, base, base_tag;
    if (!r.Get(kDefault, "openstack_release", &release) ||
        !r.Get(kDefault, "base", &base) ||
        !r.Get(kDefault, "base_tag", &base_tag)) {
      return ValueError(r.failure());
    }
    std::string tag =
        PyStr(release) + "-" + PyStr(base) + "-" + PyStr(base_tag);
    std::string escaped;
    for (char c : tag)
      escaped += c == '$' ? std::string("$$") : std::string(1, c);
    set_defaults[{kDefault, "tag"}] = escaped;
  }

  // 5. Everything, read once: errors surface now as one line.
  Conf conf;
  Resolver r(schema, ns, set_defaults, &environ);
  for (const auto& g : schema.groups()) {
    for (const auto& o : g.opts) {
      Value v;
      if (!r.Get(g.name, o.dest(), &v)) return ValueError(r.failure());
      ConfBuilder::Set(&conf, g.name, o.dest(), std::move(v));
    }
  }
  // PARITY(kolla): `conf.base_image = ...` when it is unset or empty; an
  // attribute, so never interpolated.
  const Value* bi = conf.Get(kDefault, "base_image");
  if (bi == nullptr || std::holds_alternative<std::monostate>(*bi) ||
      PyStr(*bi).empty()) {
    const Value* base = conf.Get(kDefault, "base");
    ConfBuilder::Set(&conf, kDefault, "base_image",
                     FindDistro(PyStr(*base))->image);
  }
  ConfBuilder::SetFiles(&conf, ns.file_names);

  ParseOutcome out;
  out.conf = std::move(conf);
  return out;
}

}  // namespace kb::config
