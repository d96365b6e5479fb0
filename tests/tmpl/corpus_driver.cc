// Renders a batch of kolla templates with the C++ engine and the kolla
// stand-ins. Reads a JSON document of jobs from the file in argv[1] and
// writes a JSON array of results (in job order) to stdout:
//   {"jobs": [{"docker_dir": D, "template": "base/Dockerfile.j2",
//              "context": {...}, "override_name": N, "override_source": S}]}
//   -> [{"ok": true, "out": "..."} | {"ok": false, "class": C, "message": M}]
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "render/context.h"
#include "tests/tmpl/kolla_standins.h"
#include "tmpl/environment.h"

namespace {

using nlohmann::ordered_json;

ordered_json Fail(const tmpl::Error& e) {
  return {{"ok", false}, {"class", e.error_class}, {"message", e.message},
          {"where", e.Format()}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tmpl_corpus_driver JOBS.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  ordered_json doc = ordered_json::parse(in);
  ordered_json results = ordered_json::array();
  // One environment per docker dir, as templates are cached by name.
  std::map<std::string, std::unique_ptr<tmpl::Environment>> envs;
  for (const auto& job : doc["jobs"]) {
    std::string dir = job["docker_dir"];
    auto& env = envs[dir];
    if (!env) {
      env = std::make_unique<tmpl::Environment>();
      env->SetLoader(tmpl::FileSystemLoader({dir}));
      kb::tmpltest::RegisterKollaStandins(*env);
    }
    tmpl::Value ctx = kb::render::ParseJson(job["context"].dump()).value();
    auto t = env->GetTemplate(job["template"]);
    if (!t.ok()) {
      results.push_back(Fail(t.error()));
      continue;
    }
    std::shared_ptr<const tmpl::Template> top = t.value();
    tmpl::Environment over_env;
    if (job.contains("override_name")) {
      std::string name = job["override_name"];
      over_env.SetLoader(tmpl::DictLoader(
          {{name, job["override_source"].get<std::string>()}}));
      kb::tmpltest::RegisterKollaStandins(over_env);
      ctx.DictSet("parent_template", tmpl::TemplateValue(top));
      auto o = over_env.GetTemplate(name);
      if (!o.ok()) {
        results.push_back(Fail(o.error()));
        continue;
      }
      top = o.value();
    }
    auto r = (job.contains("override_name") ? over_env : *env)
                 .Render(*top, ctx);
    if (!r.ok()) {
      results.push_back(Fail(r.error()));
      continue;
    }
    results.push_back({{"ok", true}, {"out", r.value()}});
  }
  std::cout << results.dump(-1, ' ', false,
                            ordered_json::error_handler_t::replace)
            << "\n";
  return 0;
}
