// Payload types behind Value handles; private to the engine.
#ifndef KB_TMPL_VALUE_INTERNAL_H_
#define KB_TMPL_VALUE_INTERNAL_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tmpl/value.h"

namespace tmpl {

/// Python's str.isprintable() for one code point: not in the categories
/// Cc, Cf, Cs, Co, Cn, Zl, Zp or Zs, the space itself aside. (repr() escapes
/// what it is not.)
bool IsPrintable(char32_t cp);

/// Containers (lists, tuples, dicts, namespaces) made while a render runs
/// are noted here, so the render can free the reference cycles templates
/// make among them (`{% set _ = l.append(l) %}`, `{% set ns.me = ns %}`);
/// see Evaluator::~Evaluator. Null when no render is running.
extern thread_local std::vector<std::weak_ptr<Object>>* g_render_containers;

inline void TrackContainer(const std::shared_ptr<Object>& obj) {
  auto* t = g_render_containers;
  if (!t) return;
  // Dropped containers are forgotten now and then, so a long loop does
  // not keep a weak handle per temporary.
  if (t->size() >= 4096 && t->size() == t->capacity()) {
    std::erase_if(*t, [](const std::weak_ptr<Object>& w) {
      return w.expired();
    });
  }
  t->push_back(obj);
}

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
  // Set for lists standing in for Python's range and dict views, which
  // print differently: "range" or "dict_keys"/"dict_values"/"dict_items".
  std::string py_type;
  Value range_start, range_stop, range_step;  // ints of any size
  // For dict views: the dict viewed (None for other lists), and its
  // version `items` was last filled from (see Value::ListItems).
  Value view_of;
  uint64_t view_version = 0;
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
  // Position of each key, kept only past kIndexFrom entries: most dicts a
  // template sees are small (kolla's users table has a hundred dicts of
  // three), and a scan of a few keys beats hashing and a node per key.
  std::unordered_map<Value, size_t, ValueHash, ValueEq> index;
  // Bumped by every change, so live views know when to re-read.
  uint64_t version = 1;
  static constexpr size_t kIndexFrom = 8;

 private:
  std::optional<size_t> Find(const Value& key) const;
  void Reindex();
};

struct UndefinedObj : Object {
  std::string TypeName() const override { return "Undefined"; }
  std::string message;
  std::string error_class;
  bool lenient = false;
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

/// A native function that prints as Python prints what it stands for:
/// `repr` as is ("<class 'dict'>"), or, when it ends in " at ", followed
/// by the object's address and '>' ("<function generate_lorem_ipsum at
/// 0x...>"; addresses differ between runs in Python too).
struct PyReprFunctionObj : FunctionObj {
  PyReprFunctionObj(std::string n, NativeFunction f, std::string r)
      : FunctionObj(std::move(n), std::move(f)), repr(std::move(r)) {}
  std::string Repr() override {
    if (repr.size() < 4 || repr.compare(repr.size() - 4, 4, " at ") != 0) {
      return repr;
    }
    char buf[32];
    snprintf(buf, sizeof(buf), "%p", static_cast<void*>(this));
    return repr + buf + ">";
  }
  std::string repr;
};

inline Value PyFunction(std::string name, NativeFunction fn,
                        std::string repr) {
  return Value::FromObject(std::make_shared<PyReprFunctionObj>(
      std::move(name), std::move(fn), std::move(repr)));
}

/// A Python generator (what map, select and reject return): lazily maps
/// or filters `src`; iterating it consumes it.
struct GeneratorObj : Object {
  // Maps one source item; nullopt drops it (select/reject).
  using Step = std::function<std::optional<Value>(const Value&)>;
  GeneratorObj(std::vector<Value> s, Step st, std::string fn)
      : src(std::move(s)), step(std::move(st)), func(std::move(fn)) {}
  // A generator whose items are computed, all at once, on first use.
  GeneratorObj(std::function<std::vector<Value>()> p, std::string fn)
      : producer(std::move(p)), func(std::move(fn)) {}
  std::string TypeName() const override {
    return iterator_type.empty() ? "generator" : iterator_type;
  }
  std::optional<std::vector<Value>> Iter() override {
    std::vector<Value> out;
    while (auto v = Next()) out.push_back(std::move(*v));
    return out;
  }
  /// The next produced item, or nullopt when exhausted.
  std::optional<Value> Next() {
    if (producer) {
      auto p = std::move(producer);
      producer = nullptr;
      src = p();
    }
    while (pos < src.size()) {
      if (!step) return src[pos++];
      auto v = step(src[pos++]);
      if (v) return v;
    }
    return std::nullopt;
  }
  std::string Repr() override {
    char buf[32];
    snprintf(buf, sizeof(buf), "%p", static_cast<void*>(this));
    if (!iterator_type.empty()) {
      return "<" + iterator_type + " object at " + buf + ">";
    }
    return "<generator object " + func + " at " + buf + ">";
  }
  std::function<std::vector<Value>()> producer;
  std::vector<Value> src;
  size_t pos = 0;
  Step step;
  std::string func;
  // Set for plain iterators (reversed(list) gives list_reverseiterator).
  std::string iterator_type;
};

}  // namespace tmpl

#endif  // KB_TMPL_VALUE_INTERNAL_H_
