// Renders every image template of the shared kolla corpus through the
// engine with the helpers registered, with the values upstream's
// create_dockerfiles passes, and compares with upstream's expected
// Dockerfiles: first the lines the helpers produce (repository setup and
// Debian package installs), then the whole file. testdata/oracle_render.py does
// the same with Jinja2 and must agree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "kolla/template_helpers.h"
#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

namespace fs = std::filesystem;
using testing::Str;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

tmpl::Value FromJson(const nlohmann::json& j) {
  if (j.is_object()) {
    tmpl::Value d = tmpl::Value::NewDict();
    for (auto it = j.begin(); it != j.end(); ++it) {
      d.DictSet(it.key(), FromJson(it.value()));
    }
    return d;
  }
  if (j.is_array()) {
    std::vector<tmpl::Value> items;
    for (const auto& item : j) items.push_back(FromJson(item));
    return tmpl::Value::NewList(std::move(items));
  }
  if (j.is_string()) return tmpl::Value::Str(j.get<std::string>());
  if (j.is_boolean()) return tmpl::Value::Bool(j.get<bool>());
  if (j.is_number_integer()) return tmpl::Value::Int(j.get<int64_t>());
  if (j.is_number()) return tmpl::Value::Float(j.get<double>());
  return tmpl::Value::None();
}

// kolla_worker.create_dockerfiles' values for `base` with default options.
tmpl::Value CaseValues(const nlohmann::json& defaults, const std::string& base,
                       const std::string& image) {
  bool rpm = base == "centos" || base == "rocky";
  const auto& tags = defaults["base_tags"][base];
  std::string tag = tags["tag"].get<std::string>();
  tmpl::Value users = tmpl::Value::NewDict();
  for (auto it = defaults["users"].begin(); it != defaults["users"].end();
       ++it) {
    std::string name = it.key().substr(0, it.key().size() - 5);
    tmpl::Value u = tmpl::Value::NewDict();
    u.DictSet("uid", FromJson(it.value()["uid"]));
    u.DictSet("gid", FromJson(it.value()["gid"]));
    u.DictSet("group", it.value().contains("group")
                           ? FromJson(it.value()["group"])
                           : Str(name.c_str()));
    users.DictSet(name, u);
  }
  tmpl::Value v = tmpl::Value::NewDict();
  auto set = [&v](const char* k, tmpl::Value x) { v.DictSet(k, x); };
  set("base_distro", tmpl::Value::Str(base));
  set("base_image", FromJson(tags["name"]));
  set("base_distro_tag", tmpl::Value::Str(tag));
  set("base_arch", Str("x86_64"));
  set("repos_yaml", tmpl::Value::None());
  set("use_dumb_init", tmpl::Value::Bool(true));
  set("base_package_type", Str(rpm ? "rpm" : "deb"));
  set("debian_arch", Str("amd64"));
  set("docker_healthchecks", tmpl::Value::Bool(true));
  set("supported_distro_name", FromJson(defaults["distro_pretty_name"][base]));
  set("image_prefix", Str(""));
  set("namespace", Str("kolla"));
  set("openstack_release", FromJson(defaults["openstack_release"]));
  set("openstack_release_codename",
      FromJson(defaults["openstack_release_codename"]));
  set("openstack_branch", Str("master"));
  set("openstack_branch_slashed", Str("master"));
  set("tag", tmpl::Value::Str("master-" + base + "-" + tag));
  set("maintainer", Str("Kolla Project (https://launchpad.net/kolla)"));
  set("kolla_version", Str("21.0.0"));
  set("image_name", tmpl::Value::Str(image));
  set("users", users);
  set("distro_package_manager", Str(rpm ? "dnf" : "apt"));
  set("rpm_setup", tmpl::Value::NewList());
  set("clean_package_cache", tmpl::Value::Bool(true));
  set("patches_path", tmpl::Value::None());
  set("env", tmpl::Value::NewDict());
  return v;
}

// The whole Dockerfile but the value of the kolla_version label, which a
// replacement writes with its own version.
std::string WithoutVersion(const std::string& dockerfile) {
  std::string out;
  std::istringstream in(dockerfile);
  for (std::string line; std::getline(in, line);) {
    out += line.rfind("LABEL kolla_version=", 0) == 0 ? "LABEL kolla_version"
                                                      : line;
    out += "\n";
  }
  return out;
}

// The lines only kolla's helpers write.
std::vector<std::string> HelperLines(const std::string& dockerfile) {
  std::vector<std::string> out;
  std::istringstream in(dockerfile);
  for (std::string line; std::getline(in, line);) {
    if (line.find("/etc/apt/sources.list.d/") != std::string::npos ||
        line.find("/etc/yum.repos.d/ 2>") != std::string::npos ||
        line.find("dnf config-manager --") != std::string::npos ||
        line.find("apt-get --error-on=any update") != std::string::npos ||
        line.find("dpkg -i ") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

class CorpusRenderTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusRenderTest, HelperLinesMatchUpstream) {
  std::string corpus = testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "no shared kolla corpus";
  std::string base = GetParam();
  auto defaults =
      nlohmann::json::parse(ReadFile(corpus + "/kolla-defaults.json"));
  tmpl::Environment env;
  env.SetLoader(tmpl::FileSystemLoader({corpus + "/kolla/docker"}));
  HelperOptions opts;
  opts.default_repos_yaml = corpus + "/kolla/template/repos.yaml";
  RegisterTemplateHelpers(env, opts);

  fs::path expected_root = fs::path(corpus) / "expected" / base;
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(expected_root)) {
    if (entry.path().filename() != "Dockerfile") continue;
    std::string rel =
        fs::relative(entry.path().parent_path(), expected_root).string();
    std::string image = entry.path().parent_path().filename().string();
    auto t = env.GetTemplate(rel + "/Dockerfile.j2");
    ASSERT_TRUE(t.ok()) << t.error().Format();
    auto out = env.Render(*t.value(), CaseValues(defaults, base, image));
    ASSERT_TRUE(out.ok()) << rel << ": " << out.error().Format();
    std::string want = ReadFile(entry.path());
    EXPECT_EQ(HelperLines(out.value()), HelperLines(want))
        << base << "/" << rel;
    EXPECT_EQ(WithoutVersion(out.value()), WithoutVersion(want))
        << base << "/" << rel;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

// debian-override: the override file extends each image's template, as
// kolla-build --template-override does (parent_template in the context).
TEST(CorpusOverrideTest, CustomizableOverridesMatchUpstream) {
  std::string corpus = testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "no shared kolla corpus";
  auto defaults =
      nlohmann::json::parse(ReadFile(corpus + "/kolla-defaults.json"));
  HelperOptions opts;
  opts.default_repos_yaml = corpus + "/kolla/template/repos.yaml";
  tmpl::Environment images;
  images.SetLoader(tmpl::FileSystemLoader({corpus + "/kolla/docker"}));
  RegisterTemplateHelpers(images, opts);
  tmpl::Environment overrides;
  overrides.SetLoader(
      tmpl::DictLoader({{"override-debian.j2",
                         ReadFile(corpus + "/cases/override-debian.j2")}}));
  RegisterTemplateHelpers(overrides, opts);
  auto child = overrides.GetTemplate("override-debian.j2");
  ASSERT_TRUE(child.ok()) << child.error().Format();

  fs::path expected_root = fs::path(corpus) / "expected" / "debian-override";
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(expected_root)) {
    if (entry.path().filename() != "Dockerfile") continue;
    std::string rel =
        fs::relative(entry.path().parent_path(), expected_root).string();
    auto parent = images.GetTemplate(rel + "/Dockerfile.j2");
    ASSERT_TRUE(parent.ok()) << parent.error().Format();
    std::string image = entry.path().parent_path().filename().string();
    tmpl::Value values = CaseValues(defaults, "debian", image);
    values.DictSet("parent_template", tmpl::TemplateValue(parent.value()));
    auto out = overrides.Render(*child.value(), values);
    ASSERT_TRUE(out.ok()) << rel << ": " << out.error().Format();
    std::string want = ReadFile(entry.path());
    EXPECT_EQ(HelperLines(out.value()), HelperLines(want)) << rel;
    EXPECT_EQ(WithoutVersion(out.value()), WithoutVersion(want)) << rel;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

INSTANTIATE_TEST_SUITE_P(Distros, CorpusRenderTest,
                         ::testing::Values("centos", "debian", "rocky",
                                           "ubuntu"));

}  // namespace
}  // namespace kb::kolla
