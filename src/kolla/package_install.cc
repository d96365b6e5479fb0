#include "kolla/package_install.h"

#include "kolla/python_call.h"

namespace kb::kolla {

std::string DebianPackageInstall(const std::vector<std::string>& packages,
                                 bool clean_package_cache) {
  std::vector<std::string> cmds;
  std::string regular;
  std::vector<std::string> urls;
  for (const auto& p : packages) {
    if (p.rfind("http", 0) == 0) {
      urls.push_back(p);
    } else {
      regular += (regular.empty() ? "" : " ") + p;
    }
  }
  bool any_regular = urls.size() != packages.size();
  if (any_regular) {
    cmds.push_back("apt-get --error-on=any update");
    cmds.push_back("apt-get -y install --no-install-recommends " + regular);
    if (clean_package_cache) {
      cmds.push_back("apt-get clean");
      cmds.push_back("rm -rf /var/lib/apt/lists/*");
    }
  }
  for (const auto& url : urls) {
    // The file name is what follows the last '/'.
    std::string name = url.substr(url.rfind('/') + 1);
    cmds.push_back("curl --location " + url + " -o " + name);
    cmds.push_back("dpkg -i " + name);
    cmds.push_back("rm -rf " + name);
  }
  std::string out;
  for (const auto& c : cmds) out += (out.empty() ? "" : " && ") + c;
  return out;
}

tmpl::Value DebianPackageInstallGlobal(tmpl::CallContext& ctx,
                                       tmpl::CallArgs& args) {
  static const PySignature kSig{
      "debian_package_install", {"packages", "clean_package_cache"}, 1, 0};
  auto slots = BindArgs(kSig, args);
  std::vector<std::string> packages;
  for (const auto& item : IterItems(*slots[0])) {
    if (!item.is_str()) RaiseNoAttribute(item, "startswith");
    packages.push_back(item.AsStr());
  }
  bool clean = !slots[1] || slots[1]->Truthy();
  return tmpl::Value::Str(DebianPackageInstall(packages, clean));
}

}  // namespace kb::kolla
