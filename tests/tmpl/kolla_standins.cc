#include "tests/tmpl/kolla_standins.h"

#include <algorithm>

namespace kb::tmpltest {

using tmpl::CallArgs;
using tmpl::CallContext;
using tmpl::Value;

namespace {

std::string JoinStrs(const Value& list, const std::string& sep) {
  std::string out;
  bool first = true;
  for (const auto& v : list.ListItems()) {
    if (!first) out += sep;
    first = false;
    out += v.ToStr();
  }
  return out;
}

// Same logic as kolla's filters.customizable: changes the list in place.
Value Customizable(CallContext& ctx, const Value& input, CallArgs& args) {
  if (input.is_undefined()) return input;
  if (args.args.size() != 1 || !args.args[0].is_str()) {
    tmpl::Raise("TypeError", "customizable() takes one call_type argument");
  }
  Value image = ctx.Resolve("image_name");
  if (!image.is_str()) tmpl::Raise("KeyError", "'image_name'");
  std::string name = image.AsStr();
  std::replace(name.begin(), name.end(), '-', '_');
  name += "_" + args.args[0].AsStr() + "_";
  Value over = ctx.Resolve(name + "override");
  if (!over.is_undefined()) return over;
  Value append = ctx.Resolve(name + "append");
  if (!append.is_undefined()) {
    if (!input.is_list()) {
      tmpl::Raise("AttributeError", "'" + input.TypeName() +
                                        "' object has no attribute 'extend'");
    }
    for (const auto& v : append.ListItems()) input.ListItems().push_back(v);
  }
  Value remove = ctx.Resolve(name + "remove");
  if (!remove.is_undefined()) {
    auto& items = input.ListItems();
    for (const auto& r : remove.ListItems()) {
      auto it = std::find_if(items.begin(), items.end(),
                             [&](const Value& v) { return v.Equals(r); });
      if (it != items.end()) items.erase(it);
    }
  }
  return input;
}

}  // namespace

void RegisterKollaStandins(tmpl::Environment& env) {
  env.AddFilter("customizable", Customizable);
  env.AddGlobal("debian_package_install",
                Value::Function("debian_package_install",
                                [](CallContext&, CallArgs& a) {
                                  bool clean = true;
                                  if (a.args.size() > 1) {
                                    clean = a.args[1].Truthy();
                                  }
                                  std::string s = "apt-get install " +
                                                  JoinStrs(a.args.at(0), " ");
                                  if (clean) s += " && apt-get clean";
                                  return Value::Str(s);
                                }));
  env.AddGlobal("handle_repos",
                Value::Function("handle_repos", [](CallContext& c,
                                                   CallArgs& a) {
                  return Value::Str("REPOS " + a.args.at(1).ToStr() + " " +
                                    c.Resolve("base_distro").ToStr() + " " +
                                    JoinStrs(a.args.at(0), ","));
                }));
  env.AddGlobal("raise_error",
                Value::Function("raise_error", [](CallContext&, CallArgs& a) {
                  tmpl::Raise("TemplateRuntimeError", a.args.at(0).ToStr());
                  return Value();
                }));
}

}  // namespace kb::tmpltest
