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
#include "config/resolver.h"

#ifndef KB_VERSION
#define KB_VERSION "0.0.0"
#endif

namespace kb::config {
namespace {

const char* const kDefault = kDefaultGroup;

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
    if (err_no == ENOENT) {
      missing->push_back(fixed);
      return true;
    }
    *err = err_no == EACCES
               ? "permission denied reading config file '" + fixed + "'"
               : "cannot read config file '" + fixed + "'";
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
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      *err_no = EISDIR;
      return false;
    }
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

namespace {

using SetDefaults = std::map<std::pair<std::string, std::string>, Value>;

// "$" doubled: set_default values are interpolated when read, and a
// derived value must read back as it was made.
std::string EscapeDollars(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '$' ? std::string("$$") : std::string(1, c);
  return out;
}

// One run of ParseKollaBuild, step by step as oslo's ConfigOpts.__call__
// and kolla's parse() do them. A step returns an outcome only when the
// run ends there (an error, --help, --version).
class KollaParse {
 public:
  KollaParse(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& environ,
             const ParseEnv& env)
      : environ_(environ),
        env_(env),
        schema_(KollaGroups(env.host_arch)),
        arguments_(BuildCliArguments(schema_.Default().opts)),
        columns_(Columns(environ, env)),
        args_(argv.size() > 1 ? argv.begin() + 1 : argv.end(), argv.end()) {
    for (const auto& o : schema_.Default().opts) {
      if (o.positional) positional_ = &o;
    }
  }

  ParseOutcome Run() {
    if (auto out = ReadDefaultFiles()) return *out;
    if (auto out = ApplyCommandLine()) return *out;
    if (auto out = ValidateCliOptions()) return *out;
    if (auto out = DeriveDefaults()) return *out;
    return ResolveAll();
  }

 private:
  std::optional<ParseOutcome> Error(std::string message) {
    return ValueError(Failure{std::move(message), ""});
  }
  bool ReadFile(const std::string& path) {
    return ReadConfigFile(path, schema_, env_, environ_, &ns_, &missing_,
                          &err_);
  }
  bool ReadDir(const std::string& dir) {
    return ReadConfigDir(dir, schema_, env_, environ_, &ns_, &missing_, &err_);
  }

  std::optional<ParseOutcome> ReadDefaultFiles();
  std::optional<ParseOutcome> ApplyCommandLine();
  std::optional<ParseOutcome> ValidateCliOptions();
  std::optional<ParseOutcome> DeriveDefaults();
  ParseOutcome ResolveAll();

  const std::map<std::string, std::string>& environ_;
  const ParseEnv& env_;
  Schema schema_;
  std::vector<CliArgument> arguments_;
  const OptSpec* positional_ = nullptr;
  int columns_;
  std::vector<std::string> args_;
  Namespace ns_;
  std::vector<std::string> missing_;
  std::string err_;
  SetDefaults set_defaults_;
};

// PARITY(oslo): the default files and dirs are read first, unless the
// command line names some, and only the exact spellings count.
std::optional<ParseOutcome> KollaParse::ReadDefaultFiles() {
  bool has_file_arg = false, has_dir_arg = false;
  for (const auto& a : args_) {
    has_file_arg = has_file_arg || a == "--config-file" ||
                   a.rfind("--config-file=", 0) == 0;
    has_dir_arg =
        has_dir_arg || a == "--config-dir" || a.rfind("--config-dir=", 0) == 0;
  }
  if (!has_file_arg) {
    for (const auto& f : DefaultConfigFiles(environ_, env_)) {
      if (!ReadFile(f)) return Error(err_);
    }
  }
  if (!has_dir_arg) {
    for (const auto& d : DefaultConfigDirs(environ_, env_)) {
      if (!ReadDir(d)) return Error(err_);
    }
  }
  return std::nullopt;
}

// The command line, in order. Files named there are read at their place,
// so later arguments override them and they override earlier ones.
std::optional<ParseOutcome> KollaParse::ApplyCommandLine() {
  CliParse parsed = ParseCommandLine(arguments_, args_);
  for (const auto& ev : parsed.events) {
    if (ev.arg == nullptr) {
      ns_.cli[positional_->dest()] = Raw{ev.positionals, "", 0, "", ""};
      continue;
    }
    const CliArgument& a = *ev.arg;
    ParseOutcome answered;
    switch (a.action) {
      case FlagAction::kHelp:
        answered.output = FormatHelp(arguments_, positional_, columns_);
        return answered;
      case FlagAction::kVersion:
        answered.output = std::string(KB_VERSION) + "\n";
        return answered;
      case FlagAction::kConfigFile:
        if (!ReadFile(ev.value)) return Error(err_);
        break;
      case FlagAction::kConfigDir: {
        std::string dir = ExpandUser(ev.value, environ_);
        if (!env_.exists(dir)) {
          return Error("config directory '" + dir + "' not found");
        }
        if (!ReadDir(dir)) return Error(err_);
        break;
      }
      case FlagAction::kStore:
        ns_.cli[a.opt->dest()] = Raw{ev.value, "", 0, a.DisplayName(), ""};
        break;
      case FlagAction::kStoreTrue:
      case FlagAction::kStoreFalse:
        ns_.cli[a.opt->dest()] =
            Raw{a.action == FlagAction::kStoreTrue, "", 0, a.DisplayName(), ""};
        break;
      case FlagAction::kAppend: {
        // PARITY(argparse): append to what is there, values that files
        // gave included.
        Raw& raw = ns_.cli[a.opt->dest()];
        StrList values;
        if (auto* l = std::get_if<StrList>(&raw.value)) values = *l;
        values.push_back(ev.value);
        raw = Raw{values, "", 0, a.DisplayName(), ""};
        break;
      }
    }
  }
  if (!parsed.error.empty()) {
    return UsageError(arguments_, positional_, parsed.error, columns_);
  }
  if (!missing_.empty()) {
    std::string joined;
    for (const auto& m : missing_) joined += (joined.empty() ? "" : ", ") + m;
    return Error("failed to find some config files: " + joined);
  }
  schema_.AddFileSections(ns_);
  return std::nullopt;
}

// PARITY(oslo): _validate_cli_options checks every CLI option that has a
// value, sorted by name, before kolla sets its derived defaults and
// without the environment. Upstream then exits 0; we exit 2 (B028).
std::optional<ParseOutcome> KollaParse::ValidateCliOptions() {
  std::vector<const OptSpec*> cli_opts;
  for (const auto& o : schema_.Default().opts) {
    if (o.cli) cli_opts.push_back(&o);
  }
  std::stable_sort(
      cli_opts.begin(), cli_opts.end(),
      [](const OptSpec* a, const OptSpec* b) { return a->name < b->name; });
  Resolver r(schema_, ns_, set_defaults_);
  for (const OptSpec* o : cli_opts) {
    Raw raw;
    if (!r.FindRaw(kDefault, *o, &raw)) continue;
    Value v;
    if (!r.Get(kDefault, o->dest(), &v)) return ValueError(r.failure());
  }
  return std::nullopt;
}

// kolla's parse(): set_default() of base_tag, openstack_branch(_slashed),
// debian_arch and (in the corpus' release) tag, from the values read so
// far; plus our images_dir.
std::optional<ParseOutcome> KollaParse::DeriveDefaults() {
  {
    Resolver r(schema_, ns_, set_defaults_, &environ_);
    Value base, release, arch;
    if (!r.Get(kDefault, "base", &base) ||
        !r.Get(kDefault, "openstack_release", &release) ||
        !r.Get(kDefault, "base_arch", &arch)) {
      return ValueError(r.failure());
    }
    const DistroDefault* distro = FindDistro(PyStr(base));
    if (distro == nullptr) Bug("base '" + PyStr(base) + "' has no defaults");
    set_defaults_[{kDefault, "base_tag"}] = distro->tag;
    std::string rel = PyStr(release);
    std::string branch = (rel == "master" ? "" : "stable-") + rel;
    std::string slashed = branch;
    std::replace(slashed.begin(), slashed.end(), '-', '/');
    set_defaults_[{kDefault, "openstack_branch"}] = EscapeDollars(branch);
    set_defaults_[{kDefault, "openstack_branch_slashed"}] =
        EscapeDollars(slashed);
    set_defaults_[{kDefault, "debian_arch"}] =
        std::string(PyStr(arch) == "aarch64" ? "arm64" : "amd64");
    for (const auto& d : DefaultImagesDirs(environ_, env_)) {
      if (env_.is_dir(d)) {
        set_defaults_[{kDefault, "images_dir"}] = EscapeDollars(d);
        break;
      }
    }
  }

  // The tag default needs base_tag as just defaulted, so a new resolver.
  Resolver r(schema_, ns_, set_defaults_, &environ_);
  Value release, base, base_tag;
  if (!r.Get(kDefault, "openstack_release", &release) ||
      !r.Get(kDefault, "base", &base) ||
      !r.Get(kDefault, "base_tag", &base_tag)) {
    return ValueError(r.failure());
  }
  set_defaults_[{kDefault, "tag"}] =
      EscapeDollars(PyStr(release) + "-" + PyStr(base) + "-" + PyStr(base_tag));
  return std::nullopt;
}

// Every option of every group, read once, so any bad value or reference
// surfaces now as one line rather than halfway through a build.
ParseOutcome KollaParse::ResolveAll() {
  Conf conf;
  Resolver r(schema_, ns_, set_defaults_, &environ_);
  for (const auto& g : schema_.groups()) {
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
  ConfBuilder::SetFiles(&conf, ns_.file_names);

  ParseOutcome out;
  out.conf = std::move(conf);
  return out;
}

}  // namespace

ParseOutcome ParseKollaBuild(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environ,
                             const ParseEnv& env) {
  return KollaParse(argv, environ, env).Run();
}

}  // namespace kb::config
