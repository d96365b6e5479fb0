// Payload types behind Value handles; private to the engine.
#ifndef KB_TMPL_VALUE_INTERNAL_H_
#define KB_TMPL_VALUE_INTERNAL_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "tmpl/value.h"

namespace tmpl {

struct StrObj : Object {
  StrObj(std::string str, bool is_markup) : s(std::move(str)),
                                            markup(is_markup) {}
  std::string TypeName() const override { return markup ? "Markup" : "str"; }
  std::string s;
  bool markup;
};

struct ListObj : Object {
  explicit ListObj(std::vector<Value> v) : items(std::move(v)) {}
  std::vector<Value> items;
  // Named-tuple fields (groupby's grouper/list); empty for plain tuples.
  std::vector<std::string> field_names;
};

struct ValueHash {
  size_t operator()(const Value& v) const { return v.Hash(); }
};

struct ValueEq {
  bool operator()(const Value& a, const Value& b) const {
    return a.Equals(b);
  }
};

struct DictObj : Object {
  std::string TypeName() const override { return "dict"; }
  void Set(const Value& key, Value v);
  std::optional<Value> Get(const Value& key) const;
  bool Erase(const Value& key);

  std::vector<std::pair<Value, Value>> items;  // insertion order
  std::unordered_map<Value, size_t, ValueHash, ValueEq> index;
};

struct UndefinedObj : Object {
  std::string TypeName() const override { return "Undefined"; }
  std::string message;
  std::string error_class;
};

struct FunctionObj : Object {
  FunctionObj(std::string n, NativeFunction f)
      : name(std::move(n)), fn(std::move(f)) {}
  std::string TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(CallContext& ctx, CallArgs& args) override;
  std::string Repr() override;
  std::string name;
  NativeFunction fn;
};

}  // namespace tmpl

#endif  // KB_TMPL_VALUE_INTERNAL_H_
