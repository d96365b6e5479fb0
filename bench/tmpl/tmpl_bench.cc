// Renders every debian Dockerfile.j2 of the shared kolla corpus with the
// C++ engine. Target: < 0.3 ms per template (counter "per_template").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/tmpl/kolla_standins.h"
#include "tmpl/environment.h"

namespace {

namespace fs = std::filesystem;

std::string DockerDir() {
  return std::string(KB_SOURCE_DIR) + "/../shared/kolla-corpus/kolla/docker";
}

std::vector<std::string> Templates(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename() == "Dockerfile.j2") {
      out.push_back(fs::relative(e.path(), dir).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// users = {name: {uid, gid, group}} from the corpus' kolla defaults.
tmpl::Value Users() {
  std::ifstream in(std::string(KB_SOURCE_DIR) +
                   "/../shared/kolla-corpus/kolla-defaults.json");
  tmpl::Value users = tmpl::Value::NewDict();
  if (!in) return users;
  auto j = nlohmann::json::parse(in);
  for (const auto& [section, ids] : j["users"].items()) {
    std::string name = section.substr(0, section.size() - 5);  // "-user"
    tmpl::Value d = tmpl::Value::NewDict();
    d.DictSet("uid", tmpl::Value::Int(ids["uid"].get<int64_t>()));
    d.DictSet("gid", tmpl::Value::Int(ids["gid"].get<int64_t>()));
    d.DictSet("group", tmpl::Value::Str(name));
    users.DictSet(name, d);
  }
  return users;
}

tmpl::Value DebianContext(const std::string& image, const tmpl::Value& users) {
  using tmpl::Value;
  Value c = Value::NewDict();
  auto s = [&](const char* k, const char* v) { c.DictSet(k, Value::Str(v)); };
  s("base_distro", "debian");
  s("base_image", "debian");
  s("base_distro_tag", "trixie");
  s("base_arch", "x86_64");
  s("base_package_type", "deb");
  s("debian_arch", "amd64");
  s("supported_distro_name", "Debian GNU/Linux 13 (trixie)");
  s("image_prefix", "");
  s("namespace", "kolla");
  s("openstack_release", "master");
  s("openstack_branch", "master");
  s("tag", "master-debian-trixie");
  s("maintainer", "Kolla Project (https://launchpad.net/kolla)");
  s("kolla_version", "21.0.0");
  s("distro_package_manager", "apt");
  c.DictSet("image_name", Value::Str(image));
  c.DictSet("use_dumb_init", Value::Bool(true));
  c.DictSet("docker_healthchecks", Value::Bool(true));
  c.DictSet("clean_package_cache", Value::Bool(true));
  c.DictSet("patches_path", Value::None());
  c.DictSet("rpm_setup", Value::NewList());
  c.DictSet("env", Value::NewDict());
  c.DictSet("users", users);
  return c;
}

// Renders all templates with an Environment whose cache is warm: the cost
// kolla-build pays per image.
void BM_RenderDebianCorpus(benchmark::State& state) {
  std::string dir = DockerDir();
  auto names = Templates(dir);
  if (names.empty()) {
    state.SkipWithError("kolla corpus not found");
    return;
  }
  tmpl::Environment env;
  env.SetLoader(tmpl::FileSystemLoader({dir}));
  kb::tmpltest::RegisterKollaStandins(env);
  std::vector<std::shared_ptr<const tmpl::Template>> templates;
  std::vector<tmpl::Value> contexts;
  tmpl::Value users = Users();
  for (const auto& n : names) {
    auto t = env.GetTemplate(n);
    if (!t.ok()) {
      state.SkipWithError(t.error().Format().c_str());
      return;
    }
    templates.push_back(t.value());
    contexts.push_back(
        DebianContext(fs::path(n).parent_path().filename(), users));
  }
  size_t bytes = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < templates.size(); ++i) {
      auto r = env.Render(*templates[i], contexts[i]);
      if (!r.ok()) {
        state.SkipWithError(r.error().Format().c_str());
        return;
      }
      bytes += r.value().size();
      benchmark::DoNotOptimize(r.value().data());
    }
  }
  state.counters["templates"] = static_cast<double>(templates.size());
  state.counters["per_template"] = benchmark::Counter(
      static_cast<double>(templates.size()),
      benchmark::Counter::kIsIterationInvariantRate |
          benchmark::Counter::kInvert);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_RenderDebianCorpus)->Unit(benchmark::kMillisecond);

// Parsing from scratch (a cold cache), per template.
void BM_ParseDebianCorpus(benchmark::State& state) {
  std::string dir = DockerDir();
  auto names = Templates(dir);
  if (names.empty()) {
    state.SkipWithError("kolla corpus not found");
    return;
  }
  for (auto _ : state) {
    tmpl::Environment env;
    env.SetLoader(tmpl::FileSystemLoader({dir}));
    kb::tmpltest::RegisterKollaStandins(env);
    for (const auto& n : names) benchmark::DoNotOptimize(env.GetTemplate(n));
  }
  state.counters["per_template"] = benchmark::Counter(
      static_cast<double>(names.size()),
      benchmark::Counter::kIsIterationInvariantRate |
          benchmark::Counter::kInvert);
}
BENCHMARK(BM_ParseDebianCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
