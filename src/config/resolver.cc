#include "config/resolver.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "config/kolla_opts.h"

namespace kb::config {
namespace {

const char* const kDefault = kDefaultGroup;

bool IsIdStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsIdChar(char c) {
  return IsIdStart(c) || c == '.' || (c >= '0' && c <= '9');
}

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

}  // namespace

void Bug(std::string_view what) {
  std::fprintf(stderr, "kolla-build: %.*s [this is a bug]\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(c));
  return s;
}

void Schema::AddFileSections(const Namespace& ns) {
  for (const auto& f : ns.files) {
    for (const auto& [section, keys] : f.sections) {
      if (section == kDefault) continue;
      if (!Find(section)) {
        bool user = section.size() > 5 &&
                    section.compare(section.size() - 5, 5, "-user") == 0;
        groups_.push_back(
            GroupSpec{section, user ? UserOpts(nullptr) : SourceOpts(nullptr)});
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

}  // namespace kb::config
