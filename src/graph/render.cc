#include "graph/render.h"

#include <filesystem>
#include <regex>

#include "kolla/template_helpers.h"
#include "tmpl/environment.h"
#include "util/fs.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace kb::graph {

namespace {

tmpl::Value StrList(const std::vector<std::string>& items) {
  std::vector<tmpl::Value> out;
  out.reserve(items.size());
  for (const auto& s : items) out.push_back(tmpl::Value::Str(s));
  return tmpl::Value::NewList(std::move(out));
}

tmpl::Value OptStr(const std::optional<std::string>& s) {
  return s ? tmpl::Value::Str(*s) : tmpl::Value::None();
}

// The parts of every image's context that a template cannot change:
// strings, booleans and None are immutable in Python, so one copy of each
// serves every render. Building them once matters: the users table alone
// is some hundred entries per image.
struct ContextParts {
  // In upstream's order: before image_name, after users, after rpm_setup.
  std::vector<std::pair<tmpl::Value, tmpl::Value>> scalars, after_users,
      after_rpm_setup;
  struct User {
    tmpl::Value name, group;
    int64_t uid, gid;
  };
  std::vector<User> users;
  tmpl::Value key_users, key_uid, key_gid, key_group, key_rpm_setup,
      key_env, key_image_name;
};

ContextParts MakeContextParts(const KollaValues& v) {
  using tmpl::Value;
  ContextParts p;
  auto* part = &p.scalars;
  auto add = [&](const char* key, Value val) {
    part->emplace_back(Value::Str(key), std::move(val));
  };
  add("base_distro", Value::Str(v.base_distro));
  add("base_image", Value::Str(v.base_image));
  add("base_distro_tag", Value::Str(v.base_distro_tag));
  add("base_arch", Value::Str(v.base_arch));
  add("repos_yaml", OptStr(v.repos_yaml));
  add("use_dumb_init", Value::Bool(v.use_dumb_init));
  add("base_package_type", Value::Str(v.base_package_type));
  add("debian_arch", Value::Str(v.debian_arch));
  add("docker_healthchecks", Value::Bool(v.docker_healthchecks));
  add("supported_distro_name", OptStr(v.supported_distro_name));
  add("image_prefix", Value::Str(v.image_prefix));
  add("namespace", Value::Str(v.namespace_));
  add("openstack_release", Value::Str(v.openstack_release));
  add("openstack_release_codename", Value::Str(v.openstack_release_codename));
  add("openstack_branch", Value::Str(v.openstack_branch));
  add("openstack_branch_slashed", Value::Str(v.openstack_branch_slashed));
  add("tag", Value::Str(v.tag));
  add("maintainer", Value::Str(v.maintainer));
  add("kolla_version", Value::Str(v.kolla_version));
  p.key_image_name = Value::Str("image_name");
  p.key_users = Value::Str("users");
  p.key_uid = Value::Str("uid");
  p.key_gid = Value::Str("gid");
  p.key_group = Value::Str("group");
  for (const UserEntry& u : v.users)
    p.users.push_back({Value::Str(u.name), Value::Str(u.group), u.uid, u.gid});
  part = &p.after_users;
  add("distro_package_manager", Value::Str(v.distro_package_manager));
  p.key_rpm_setup = Value::Str("rpm_setup");
  part = &p.after_rpm_setup;
  add("clean_package_cache", Value::Bool(v.clean_package_cache));
  add("patches_path", OptStr(v.patches_path));
  p.key_env = Value::Str("env");
  return p;
}

// A fresh context per image, as upstream builds one per render: a list a
// filter changes in place must not leak into the next image.
tmpl::Value MakeContext(const ContextParts& p, const KollaValues& v,
                        const tmpl::Value& env, const std::string& image_name) {
  using tmpl::Value;
  Value ctx = Value::NewDict();
  for (const auto& [k, val] : p.scalars) ctx.DictSet(k, val);
  ctx.DictSet(p.key_image_name, Value::Str(image_name));
  Value users = Value::NewDict();
  for (const ContextParts::User& u : p.users) {
    Value e = Value::NewDict();
    e.DictSet(p.key_uid, Value::Int(u.uid));
    e.DictSet(p.key_gid, Value::Int(u.gid));
    e.DictSet(p.key_group, u.group);
    users.DictSet(u.name, e);
  }
  ctx.DictSet(p.key_users, users);
  for (const auto& [k, val] : p.after_users) ctx.DictSet(k, val);
  ctx.DictSet(p.key_rpm_setup, StrList(v.rpm_setup));
  for (const auto& [k, val] : p.after_rpm_setup) ctx.DictSet(k, val);
  ctx.DictSet(p.key_env, env);
  return ctx;
}

// PARITY(kolla): every render gets the same os.environ mapping.
tmpl::Value MakeEnv(const KollaValues& v) {
  tmpl::Value env = tmpl::Value::NewDict();
  for (const auto& [k, val] : v.environ) env.DictSet(k, tmpl::Value::Str(val));
  return env;
}

std::string FormatError(const tmpl::Error& e) { return e.Format(); }

// Points an error inside the merged override text back at its own file.
void MapOverrideError(const std::string& merged_name,
                      const std::vector<std::pair<std::string, int>>& lines,
                      tmpl::Error* e) {
  if (merged_name.empty() || e->template_name != merged_name) return;
  if (e->line >= 1 && e->line <= static_cast<int>(lines.size())) {
    e->template_name = lines[e->line - 1].first;
    e->line = lines[e->line - 1].second;
  }
}

}  // namespace

std::string MergeOverrides(
    const std::vector<std::pair<std::string, std::string>>& files,
    std::vector<std::pair<std::string, int>>* line_origins) {
  // The first `{% extends ... %}` tag of a later file, with the rest of its
  // line when nothing else stands there.
  static const std::regex extends_tag(R"(\{%[-+]?\s*extends\b[^%]*%\})");
  std::string merged;
  for (size_t f = 0; f < files.size(); ++f) {
    std::string text = files[f].second;
    std::vector<int> kept_lines;  // original line of each line of `text`
    int n_lines = 1;
    for (char c : text) n_lines += c == '\n';
    for (int i = 1; i <= n_lines; ++i) kept_lines.push_back(i);
    if (f > 0) {
      std::smatch m;
      if (std::regex_search(text, m, extends_tag)) {
        size_t b = m.position(0), e = b + m.length(0);
        size_t ls = text.rfind('\n', b);
        ls = ls == std::string::npos ? 0 : ls + 1;
        size_t le = text.find('\n', e);
        std::string before = text.substr(ls, b - ls);
        std::string after =
            text.substr(e, (le == std::string::npos ? text.size() : le) - e);
        int line_no = 1;
        for (size_t k = 0; k < b; ++k) line_no += text[k] == '\n';
        if (util::Trim(before).empty() && util::Trim(after).empty()) {
          size_t cut_end = le == std::string::npos ? text.size() : le + 1;
          text.erase(ls, cut_end - ls);
          kept_lines.erase(kept_lines.begin() + (line_no - 1));
        } else {
          text.erase(b, e - b);
        }
      }
    }
    if (line_origins) {
      // A file that does not end in a newline runs into the next one's
      // first line, exactly as the text does.
      for (size_t k = 0; k < kept_lines.size(); ++k) {
        if (k == 0 && !merged.empty() && merged.back() != '\n') continue;
        line_origins->push_back({files[f].first, kept_lines[k]});
      }
      if (!text.empty() && text.back() == '\n') {
        // The empty "line" after the final newline belongs to the next file.
        line_origins->pop_back();
      }
    }
    merged += text;
  }
  return merged;
}

struct Renderer::Impl {
  RenderSettings settings;
  ContextParts parts;
  tmpl::Value env;
  std::unique_ptr<tmpl::Environment> fs_env;
  std::unique_ptr<tmpl::Environment> override_env;
  std::shared_ptr<const tmpl::Template> override_tpl;
  std::string override_name;
  std::vector<std::pair<std::string, int>> override_lines;

};

Renderer::Renderer() : impl_(std::make_unique<Impl>()) {}
Renderer::~Renderer() = default;

std::unique_ptr<Renderer> Renderer::Create(const RenderSettings& s,
                                           RenderError* err) {
  std::unique_ptr<Renderer> r(new Renderer());
  Impl& im = *r->impl_;
  im.settings = s;
  im.env = MakeEnv(s.values);
  im.parts = MakeContextParts(s.values);
  kolla::HelperOptions helpers;
  helpers.default_repos_yaml = s.default_repos_yaml;
  helpers.repos_yaml = s.values.repos_yaml;

  tmpl::Options opts;  // kolla: SandboxedEnvironment, default options
  im.fs_env = std::make_unique<tmpl::Environment>(opts);
  im.fs_env->SetLoader(tmpl::FileSystemLoader(s.template_dirs));
  kolla::RegisterTemplateHelpers(*im.fs_env, helpers);

  if (s.template_overrides.empty()) return r;
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& path : s.template_overrides) {
    std::string read_err;
    auto text = util::ReadFile(path, &read_err);
    if (!text) {
      *err = {"", "cannot read template override: " + read_err};
      return nullptr;
    }
    files.emplace_back(path, *text);
  }
  std::string merged = MergeOverrides(files, &im.override_lines);
  // PARITY(kolla): the merged override is known by the first file's name.
  im.override_name = fs::path(s.template_overrides[0]).filename().string();
  im.override_env = std::make_unique<tmpl::Environment>(opts);
  im.override_env->SetLoader(
      tmpl::DictLoader({{im.override_name, merged}}));
  kolla::RegisterTemplateHelpers(*im.override_env, helpers);
  auto tpl = im.override_env->GetTemplate(im.override_name);
  if (!tpl.ok()) {
    tmpl::Error e = tpl.error();
    MapOverrideError(im.override_name, im.override_lines, &e);
    *err = {"", FormatError(e)};
    return nullptr;
  }
  im.override_tpl = tpl.value();
  return r;
}

std::optional<RenderError> Renderer::Render(Image* img) {
  Impl& im = *impl_;
  auto base = im.fs_env->GetTemplate(img->template_path);
  if (!base.ok()) return RenderError{img->name, FormatError(base.error())};
  tmpl::Value ctx = MakeContext(im.parts, im.settings.values, im.env, img->name);

  tmpl::Result<std::string> out = [&] {
    if (!im.override_tpl) return im.fs_env->Render(*base.value(), ctx);
    ctx.DictSet("parent_template", tmpl::TemplateValue(base.value()));
    return im.override_env->Render(*im.override_tpl, ctx);
  }();
  if (!out.ok()) {
    tmpl::Error e = out.error();
    if (im.override_tpl)
      MapOverrideError(im.override_name, im.override_lines, &e);
    return RenderError{img->name, FormatError(e)};
  }
  img->dockerfile = std::move(out.value());
  return std::nullopt;
}

}  // namespace kb::graph
