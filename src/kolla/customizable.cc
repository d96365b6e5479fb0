#include "kolla/customizable.h"

#include <string>
#include <vector>

#include "kolla/python_call.h"
#include "tmpl/environment.h"
#include "tmpl/error.h"

namespace kb::kolla {
namespace {

// Python's `item in container` for the containers a template may pass.
bool Contains(const tmpl::Value& container, const tmpl::Value& item) {
  if (container.is_str()) {
    if (!item.is_str()) {
      tmpl::Raise("TypeError",
                  "'in <string>' requires string as left "
                  "operand, not " +
                      item.TypeName());
    }
    return container.AsStr().find(item.AsStr()) != std::string::npos;
  }
  if (container.is_dict()) return container.DictGet(item).has_value();
  if (!container.is_list() && !container.is_tuple()) {
    tmpl::Raise("TypeError", "argument of type '" + container.TypeName() +
                                 "' is not iterable");
  }
  for (const auto& v : container.ListItems()) {
    if (v.Equals(item)) return true;
  }
  return false;
}

void Extend(const tmpl::Value& list, const tmpl::Value& extra) {
  if (!list.is_list()) RaiseNoAttribute(list, "extend");
  // Copied first: `p.extend(p)` must double the list once, as in Python.
  std::vector<tmpl::Value> items = IterItems(extra);
  auto& target = list.ListItems();
  target.insert(target.end(), items.begin(), items.end());
}

void RemoveEach(const tmpl::Value& list, const tmpl::Value& removals) {
  auto remove_one = [&list](const tmpl::Value& item) {
    if (!Contains(list, item)) return;
    if (!list.is_list()) RaiseNoAttribute(list, "remove");
    auto& items = list.ListItems();
    for (auto it = items.begin(); it != items.end(); ++it) {
      if (it->Equals(item)) {
        items.erase(it);
        return;
      }
    }
  };
  if (removals.is_list()) {
    // PARITY(kolla): walked by index over the live list, as Python's for
    // loop does, so a remove list that is the input list itself behaves
    // the same (every other item is removed).
    for (size_t i = 0; i < removals.ListItems().size(); ++i) {
      tmpl::Value item = removals.ListItems()[i];
      remove_one(item);
    }
    return;
  }
  for (const auto& item : IterItems(removals)) remove_one(item);
}

}  // namespace

tmpl::Value Customizable(tmpl::CallContext& ctx, const tmpl::Value& input,
                         tmpl::CallArgs& args) {
  static const PySignature kSig{
      "customizable", {"val_list", "call_type"}, 2, 1};
  auto slots = BindArgs(kSig, args, {input});
  const tmpl::Value& val_list = *slots[0];
  // NOTE: upstream skips undefined values so that one override file can
  // serve several distros whose templates define different variables.
  if (val_list.is_undefined()) return val_list;

  // PARITY(kolla): a pass_context filter; it sees the render context
  // (top-level names, render arguments, globals), never template locals.
  tmpl::Value image_name = ctx.ResolveContext("image_name");
  if (image_name.is_undefined()) tmpl::Raise("KeyError", "'image_name'");
  if (!image_name.is_str()) RaiseNoAttribute(image_name, "replace");
  const tmpl::Value& call_type = *slots[1];
  if (!call_type.is_str()) {
    tmpl::Raise("TypeError", "can only concatenate str (not \"" +
                                 call_type.TypeName() + "\") to str");
  }
  std::string name = image_name.AsStr();
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  name += "_" + call_type.AsStr() + "_";

  tmpl::Value override_value = ctx.ResolveContext(name + "override");
  if (!override_value.is_undefined()) return override_value;
  tmpl::Value append = ctx.ResolveContext(name + "append");
  if (!append.is_undefined()) Extend(val_list, append);
  tmpl::Value remove = ctx.ResolveContext(name + "remove");
  if (!remove.is_undefined()) RemoveEach(val_list, remove);
  return val_list;
}

}  // namespace kb::kolla
