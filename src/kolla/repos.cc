// handle_repos, as upstream kolla (master of 2026-07) renders it.
//
// Rules, checked against every expected Dockerfile of the shared corpus by
// testdata/oracle_render.py:
// - The table is the package-type section ("deb"/"rpm"), then the distro
//   section, then "<distro>-<arch>", merged per repository field by field.
//   A merged entry holding baseurl, metalink, mirrorlist or url loses its
//   `distro` flag.
// - Every name must be in the table, whatever the mode: an unknown name
//   fails the render (upstream logs it and re-raises the KeyError).
// - rpm, enable: a distro repository gives
//   "dnf config-manager --enable NAME || true"; any other repository gives
//   a .repo file written with echo: first every file already defining
//   [NAME] is removed, then '[NAME]', 'name=NAME', 'enabled=1', gpgcheck
//   and repo_gpgcheck when truthy, 'gpgkey=' with further keys on
//   continuation lines, then every baseurl line, or else metalink, or else
//   mirrorlist. Entries are joined with " && ".
// - rpm, disable: only distro repositories give
//   "dnf config-manager --disable NAME || true", with no separator.
// - deb, enable: non-distro repositories give a deb822 .sources file
//   (Uris, Components, Types, Suites, Signed-By, then Trusted and
//   Architectures when set); distro ones give nothing. deb, disable: "".
// - A non-empty result is prefixed with "RUN ".
#include "kolla/repos.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "kolla/python_call.h"
#include "kolla/yaml_value.h"

namespace kb::kolla {
namespace {

const char* const kUrlKeys[] = {"baseurl", "metalink", "mirrorlist", "url"};

std::string ShapeMessage(const std::string& path, const std::string& what) {
  return "repos file '" + path + "': " + what;
}

// Checks the shape upstream's code relies on: a mapping of sections, each
// a mapping (or empty) of repositories, each a mapping of fields.
std::optional<tmpl::Error> CheckShape(const tmpl::Value& doc,
                                      const std::string& path) {
  tmpl::Error e;
  e.error_class = "TypeError";
  if (!doc.is_dict()) {
    e.message = ShapeMessage(
        path, "expected a mapping of sections, found " + doc.TypeName());
    return e;
  }
  for (const auto& [section, repos] : doc.DictItems()) {
    if (repos.is_none()) continue;
    if (!repos.is_dict()) {
      e.message = ShapeMessage(path, "section '" + section.ToStr() +
                                         "' is not a mapping of repositories");
      return e;
    }
    for (const auto& [name, info] : repos.DictItems()) {
      if (!info.is_dict()) {
        e.message = ShapeMessage(path, "repository '" + name.ToStr() +
                                           "' in section '" + section.ToStr() +
                                           "' is not a mapping");
        return e;
      }
    }
  }
  return std::nullopt;
}

tmpl::Value CopyDict(const tmpl::Value& dict) {
  tmpl::Value out = tmpl::Value::NewDict();
  if (dict.is_dict()) {
    for (const auto& [k, v] : dict.DictItems()) out.DictSet(k, v);
  }
  return out;
}

std::optional<tmpl::Value> Field(const tmpl::Value& info,
                                 std::string_view key) {
  return info.DictGet(key);
}

bool Flag(const tmpl::Value& info, std::string_view key) {
  auto v = info.DictGet(key);
  return v && v->Truthy();
}

class Renderer {
 public:
  Renderer(const RepoData& data, const RepoTarget& target)
      : data_(data), target_(target) {}

  std::string Run(const tmpl::Value& reponames, const std::string& mode);

 private:
  tmpl::Value Require(const tmpl::Value& info, const tmpl::Value& repo,
                      std::string_view key);
  void CheckDistroFileGroups(const tmpl::Value& table);
  std::string RpmRepoFile(const tmpl::Value& repo, const tmpl::Value& info);
  std::string DebSourcesFile(const tmpl::Value& repo, const tmpl::Value& info);
  std::string SectionNames() const;

  const RepoData& data_;
  const RepoTarget& target_;
};

tmpl::Value Renderer::Require(const tmpl::Value& info, const tmpl::Value& repo,
                              std::string_view key) {
  auto v = info.DictGet(key);
  if (!v) {
    tmpl::Raise("KeyError", "'" + std::string(key) + "': repository '" +
                                repo.ToStr() +
                                "' in repos.yaml has no such field");
  }
  return *v;
}

std::string Renderer::SectionNames() const {
  return "'" + target_.base_package_type.ToStr() + "', '" +
         target_.base_distro.ToStr() + "' and '" + target_.base_distro.ToStr() +
         "-" + target_.base_arch.ToStr() + "'";
}

// PARITY(kolla): with an override file, an rpm distro repository that the
// override turns into a written .repo file removes the distro's shared
// file (file_group), so every other distro repository of that file must be
// overridden too. Upstream's ValueError text is kept.
void Renderer::CheckDistroFileGroups(const tmpl::Value& table) {
  tmpl::Value defaults = BuildRepoTable(data_.default_sections, target_);
  auto default_info = [&defaults](const tmpl::Value& name) {
    auto v = defaults.DictGet(name);
    return v ? *v : tmpl::Value::NewDict();
  };
  std::vector<std::string> overridden;
  std::set<std::string> overridden_names;
  std::vector<tmpl::Value> groups;
  for (const auto& [name, info] : table.DictItems()) {
    tmpl::Value def = default_info(name);
    if (Flag(info, "distro") || !Flag(def, "distro")) continue;
    overridden.push_back(name.ToStr());
    overridden_names.insert(name.ToStr());
    if (Flag(def, "file_group")) groups.push_back(*def.DictGet("file_group"));
  }
  if (overridden.empty()) return;
  std::vector<std::string> still_distro;
  for (const auto& [name, info] : table.DictItems()) {
    if (!Flag(info, "distro") || overridden_names.count(name.ToStr())) {
      continue;
    }
    tmpl::Value group = info.DictGet("file_group").value_or(tmpl::Value());
    for (const auto& g : groups) {
      if (g.Equals(group)) {
        still_distro.push_back(name.ToStr());
        break;
      }
    }
  }
  if (still_distro.empty()) return;
  std::sort(overridden.begin(), overridden.end());
  std::sort(still_distro.begin(), still_distro.end());
  auto py_list = [](const std::vector<std::string>& names) {
    std::string out = "[";
    for (size_t i = 0; i < names.size(); ++i) {
      out += (i ? ", " : "") + tmpl::StrRepr(names[i]);
    }
    return out + "]";
  };
  tmpl::Raise("ValueError",
              "Repositories " + py_list(overridden) +
                  " override distro-provided repos and will remove their "
                  ".repo file. Repositories " +
                  py_list(still_distro) +
                  " are still using distro defaults and share the same "
                  "file. Please also override them in your repos.yaml.");
}

std::vector<std::string> SplitLines(const tmpl::Value& v,
                                    std::string_view attr) {
  if (!v.is_str()) RaiseNoAttribute(v, attr);
  // PARITY(python): str.splitlines() breaks on \n, \r, \r\n, \v, \f and
  // \x1c-\x1e (and Unicode separators), and gives no final empty line.
  const std::string& s = v.AsStr();
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    size_t skip = 0;
    if (c == '\n' || c == '\v' || c == '\f' || c == '\x1c' || c == '\x1d' ||
        c == '\x1e') {
      skip = 1;
    } else if (c == '\r') {
      skip = i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
    } else if (s.compare(i, 2, "\xc2\x85") == 0) {
      skip = 2;
    } else if (s.compare(i, 3, "\xe2\x80\xa8") == 0 ||
               s.compare(i, 3, "\xe2\x80\xa9") == 0) {
      skip = 3;
    }
    if (skip == 0) {
      cur += c;
      continue;
    }
    lines.push_back(cur);
    cur.clear();
    i += skip - 1;
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

std::string Renderer::RpmRepoFile(const tmpl::Value& repo,
                                  const tmpl::Value& info) {
  std::string name = Require(info, repo, "name").ToStr();
  std::string file = " >>/etc/yum.repos.d/" + repo.ToStr() + ".repo";
  std::string out = "grep -rlF '[" + name +
                    "]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f";
  out +=
      " && echo '[" + name + "]' >/etc/yum.repos.d/" + repo.ToStr() + ".repo";
  out += " && echo 'name=" + name + "'" + file;
  out += " && echo 'enabled=1'" + file;
  for (const char* key : {"gpgcheck", "repo_gpgcheck"}) {
    if (Flag(info, key)) {
      out += " && echo '" + std::string(key) + "=" + Field(info, key)->ToStr() +
             "'" + file;
    }
  }

  if (!Field(info, "baseurl") && !Field(info, "metalink") &&
      !Field(info, "mirrorlist")) {
    tmpl::Raise("ValueError", "Repository '" + repo.ToStr() +
                                  "' has no baseurl, metalink, or mirrorlist");
  }
  auto gpgkey = Field(info, "gpgkey");
  if (!gpgkey) {
    tmpl::Raise("ValueError",
                "Repository '" + repo.ToStr() + "' has no gpgkey");
  }
  // NOTE: several keys go on continuation lines under the first, indented
  // by the width of "gpgkey=", while several baseurls each get a line.
  bool first = true;
  for (const auto& key : SplitLines(*gpgkey, "splitlines")) {
    out += " && echo '" + std::string(first ? "gpgkey=" : "       ") + key +
           "'" + file;
    first = false;
  }
  if (auto baseurl = Field(info, "baseurl")) {
    for (const auto& url : SplitLines(*baseurl, "splitlines")) {
      out += " && echo 'baseurl=" + url + "'" + file;
    }
  } else if (auto metalink = Field(info, "metalink")) {
    out += " && echo 'metalink=" + metalink->ToStr() + "'" + file;
  } else {
    out += " && echo 'mirrorlist=" + Field(info, "mirrorlist")->ToStr() + "'" +
           file;
  }
  return out;
}

std::string Renderer::DebSourcesFile(const tmpl::Value& repo,
                                     const tmpl::Value& info) {
  tmpl::Value gpg_key = Require(info, repo, "gpg_key");
  if (!gpg_key.is_str()) RaiseNoAttribute(gpg_key, "startswith");
  std::string signed_by = gpg_key.AsStr().rfind('/', 0) == 0
                              ? gpg_key.AsStr()
                              : "/etc/kolla/apt-keys/" + gpg_key.AsStr();
  tmpl::Value suite_value = Require(info, repo, "suite");
  if (!suite_value.is_str()) RaiseNoAttribute(suite_value, "replace");
  const tmpl::Value& codename = target_.openstack_release_codename;
  if (!codename.is_str()) RaiseNoAttribute(codename, "lower");
  std::string lower = codename.AsStr();
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string suite = suite_value.AsStr();
  const std::string placeholder = "{openstack_release_codename}";
  for (size_t pos = 0;
       (pos = suite.find(placeholder, pos)) != std::string::npos;
       pos += lower.size()) {
    suite.replace(pos, placeholder.size(), lower);
  }
  std::string component = Require(info, repo, "component").ToStr();
  std::string url = Require(info, repo, "url").ToStr();

  std::string path = "/etc/apt/sources.list.d/" + repo.ToStr() + ".sources";
  std::string out = "echo 'Uris: " + url + "' >" + path;
  out += " && echo 'Components: " + component + "' >>" + path;
  out += " && echo 'Types: deb' >>" + path;
  out += " && echo 'Suites: " + suite + "' >>" + path;
  out += " && echo 'Signed-By: " + signed_by + "' >>" + path;
  if (Flag(info, "trusted")) out += " && echo 'Trusted: yes' >>" + path;
  if (auto arch = Field(info, "arch")) {
    out += " && echo 'Architectures: " + arch->ToStr() + "' >>" + path;
  }
  return out;
}

std::string Renderer::Run(const tmpl::Value& reponames,
                          const std::string& mode) {
  tmpl::Value table = BuildRepoTable(data_.sections, target_);
  bool rpm = target_.base_package_type.is_str() &&
             target_.base_package_type.AsStr() == "rpm";
  bool deb = target_.base_package_type.is_str() &&
             target_.base_package_type.AsStr() == "deb";
  if (rpm && data_.has_override) CheckDistroFileGroups(table);

  const auto& names = reponames.ListItems();
  std::string cmd;
  for (size_t i = 0; i < names.size(); ++i) {
    const tmpl::Value& repo = names[i];
    auto found = table.DictGet(repo);
    if (!found) {
      tmpl::Raise("KeyError", repo.Repr() +
                                  ": no such repository in repos.yaml "
                                  "sections " +
                                  SectionNames());
    }
    const tmpl::Value& info = *found;
    bool distro = Flag(info, "distro");
    bool last = i + 1 == names.size();
    if (rpm && mode == "enable") {
      cmd += distro ? "dnf config-manager --enable " +
                          Require(info, repo, "name").ToStr() + " || true"
                    : RpmRepoFile(repo, info);
      if (!last) cmd += " && ";
    } else if (rpm && mode == "disable" && distro) {
      // PARITY(kolla): upstream joins disabled repositories with nothing
      // in between ("|| truednf ..."); kept for byte-identical output.
      cmd += "dnf config-manager --disable " +
             Require(info, repo, "name").ToStr() + " || true";
    } else if (deb && mode == "enable" && !distro) {
      // PARITY(kolla): the separator follows every non-distro entry but
      // the last name, so a list ending in a distro repository leaves a
      // trailing " && ".
      cmd += DebSourcesFile(repo, info);
      if (!last) cmd += " && ";
    }
  }
  return cmd.empty() ? "" : "RUN " + cmd;
}

}  // namespace

tmpl::Result<std::shared_ptr<const RepoData>> LoadRepoData(
    const std::string& default_path, const std::string& override_path) {
  auto defaults = LoadYamlFile(default_path);
  if (!defaults.ok()) return defaults.error();
  if (auto e = CheckShape(defaults.value(), default_path)) return *e;

  auto data = std::make_shared<RepoData>();
  data->default_sections = defaults.value();
  data->sections = tmpl::Value::NewDict();
  for (const auto& [section, repos] : defaults.value().DictItems()) {
    data->sections.DictSet(section, repos);
  }
  if (override_path.empty()) return std::shared_ptr<const RepoData>(data);

  auto overrides = LoadYamlFile(override_path);
  if (!overrides.ok()) return overrides.error();
  if (auto e = CheckShape(overrides.value(), override_path)) return *e;
  data->has_override = true;
  for (const auto& [section, repos] : overrides.value().DictItems()) {
    // A new dict per merged section keeps default_sections untouched.
    tmpl::Value merged =
        CopyDict(data->sections.DictGet(section).value_or(tmpl::Value()));
    for (const auto& [name, info] : CopyDict(repos).DictItems()) {
      merged.DictSet(name, info);
    }
    data->sections.DictSet(section, merged);
  }
  return std::shared_ptr<const RepoData>(data);
}

tmpl::Value BuildRepoTable(const tmpl::Value& sections,
                           const RepoTarget& target) {
  tmpl::Value table = tmpl::Value::NewDict();
  tmpl::Value arch_section = tmpl::Value::Str(target.base_distro.ToStr() + "-" +
                                              target.base_arch.ToStr());
  const tmpl::Value* order[] = {&target.base_package_type, &target.base_distro,
                                &arch_section};
  for (const tmpl::Value* name : order) {
    if (name->is_undefined()) continue;
    auto repos = sections.DictGet(*name);
    if (!repos || !repos->is_dict()) continue;
    for (const auto& [repo, info] : repos->DictItems()) {
      auto earlier = table.DictGet(repo);
      if (!earlier) {
        table.DictSet(repo, info);
        continue;
      }
      tmpl::Value merged = CopyDict(*earlier);
      for (const auto& [k, v] : info.DictItems()) merged.DictSet(k, v);
      for (const char* key : kUrlKeys) {
        if (merged.DictGet(key)) {
          merged.DictErase(tmpl::Value::Str("distro"));
          break;
        }
      }
      table.DictSet(repo, merged);
    }
  }
  return table;
}

tmpl::Result<std::string> HandleRepos(const RepoData& data,
                                      const RepoTarget& target,
                                      const tmpl::Value& reponames,
                                      const tmpl::Value& mode) {
  try {
    if (!reponames.is_list()) {
      tmpl::Raise("TypeError",
                  "First argument should be a list of repositories");
    }
    // NOTE: upstream silently renders nothing for another mode; a typo in
    // a template override should fail loudly instead.
    if (!mode.is_str() ||
        (mode.AsStr() != "enable" && mode.AsStr() != "disable")) {
      tmpl::Raise("ValueError", "unknown handle_repos mode " + mode.Repr() +
                                    "; expected 'enable' or 'disable'");
    }
    return Renderer(data, target).Run(reponames, mode.AsStr());
  } catch (tmpl::TemplateException& e) {
    return e.error;
  }
}

}  // namespace kb::kolla
