#include "kolla/template_helpers.h"

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "kolla/customizable.h"
#include "kolla/package_install.h"
#include "kolla/python_call.h"
#include "kolla/repos.h"

namespace kb::kolla {
namespace {

// The repos files of one Environment, each pair read once.
class RepoCache {
 public:
  explicit RepoCache(HelperOptions opts) : opts_(std::move(opts)) {}

  /// The table for the override named by the context (or the options);
  /// raises the load error, which is cached too.
  std::shared_ptr<const RepoData> Get(tmpl::CallContext& ctx) {
    std::string override_path = opts_.repos_yaml.value_or("");
    tmpl::Value from_context = ctx.Resolve("repos_yaml");
    if (from_context.Truthy()) override_path = from_context.ToStr();

    std::lock_guard<std::mutex> lock(mu_);
    auto it = loaded_.find(override_path);
    if (it == loaded_.end()) {
      it = loaded_
               .emplace(override_path,
                        LoadRepoData(opts_.default_repos_yaml, override_path))
               .first;
    }
    if (!it->second.ok()) {
      tmpl::Raise(it->second.error().error_class, it->second.error().message);
    }
    return it->second.value();
  }

 private:
  HelperOptions opts_;
  std::mutex mu_;
  std::map<std::string, tmpl::Result<std::shared_ptr<const RepoData>>> loaded_;
};

tmpl::Value ContextValue(tmpl::CallContext& ctx, std::string_view name) {
  // Python's context.get(name) gives None for a missing name.
  tmpl::Value v = ctx.Resolve(name);
  return v.is_undefined() ? tmpl::Value::None() : v;
}

tmpl::Value HandleReposGlobal(RepoCache& cache, tmpl::CallContext& ctx,
                              tmpl::CallArgs& args) {
  static const PySignature kSig{"handle_repos", {"reponames", "mode"}, 2, 1};
  auto slots = BindArgs(kSig, args);
  if (!slots[0]->is_list()) {
    // Checked before the file is read, as upstream does.
    tmpl::Raise("TypeError", "First argument should be a list of repositories");
  }
  std::shared_ptr<const RepoData> data = cache.Get(ctx);
  RepoTarget target{ContextValue(ctx, "base_package_type"),
                    ContextValue(ctx, "base_distro"),
                    ContextValue(ctx, "base_arch"),
                    ContextValue(ctx, "openstack_release_codename")};
  auto out = HandleRepos(*data, target, *slots[0], *slots[1]);
  if (!out.ok()) tmpl::Raise(out.error().error_class, out.error().message);
  return tmpl::Value::Str(std::move(out).value());
}

tmpl::Value RaiseErrorGlobal(tmpl::CallContext&, tmpl::CallArgs& args) {
  static const PySignature kSig{"raise_error", {"msg"}, 1, 0};
  auto slots = BindArgs(kSig, args);
  // PARITY(kolla): methods.raise_error raises a bare Exception.
  tmpl::Raise("Exception", slots[0]->ToStr());
}

}  // namespace

void RegisterTemplateHelpers(tmpl::Environment& env,
                             const HelperOptions& opts) {
  auto cache = std::make_shared<RepoCache>(opts);
  env.AddFilter("customizable", Customizable);
  env.AddGlobal("debian_package_install",
                tmpl::Value::Function("debian_package_install",
                                      DebianPackageInstallGlobal));
  env.AddGlobal(
      "handle_repos",
      tmpl::Value::Function("handle_repos", [cache](tmpl::CallContext& ctx,
                                                    tmpl::CallArgs& args) {
        return HandleReposGlobal(*cache, ctx, args);
      }));
  env.AddGlobal("raise_error",
                tmpl::Value::Function("raise_error", RaiseErrorGlobal));
}

}  // namespace kb::kolla
