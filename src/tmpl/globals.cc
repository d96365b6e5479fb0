// Jinja2's default globals: range, dict, namespace, cycler, joiner, lipsum.
#include "tmpl/args.h"
#include "tmpl/environment.h"
#include "tmpl/eval.h"
#include "tmpl/ops.h"
#include "tmpl/text_filters.h"
#include "tmpl/value_internal.h"

namespace tmpl {
namespace {

// PARITY(jinja): SandboxedEnvironment's MAX_RANGE.
constexpr int64_t kMaxRange = 100000;

Value Range(CallContext&, CallArgs& args) {
  if (!args.kwargs.empty()) {
    Raise("TypeError", "range() takes no keyword arguments");
  }
  size_t n = args.args.size();
  if (n < 1 || n > 3) {
    Raise("TypeError", n < 1 ? "range expected at least 1 argument, got 0"
                             : "range expected at most 3 arguments, got " +
                                   std::to_string(n));
  }
  for (const auto& a : args.args) {
    if (a.is_undefined()) FailUndefined(a);
    if (!a.is_integral()) {
      Raise("TypeError", "'" + a.TypeName() +
                             "' object cannot be interpreted as an integer");
    }
  }
  int64_t start = 0, stop, step = 1;
  if (n == 1) {
    stop = args.args[0].AsInt();
  } else {
    start = args.args[0].AsInt();
    stop = args.args[1].AsInt();
    if (n == 3) step = args.args[2].AsInt();
  }
  if (step == 0) Raise("ValueError", "range() arg 3 must not be zero");
  __int128 len = 0;
  if (step > 0 && stop > start) {
    len = ((__int128)stop - start + step - 1) / step;
  } else if (step < 0 && stop < start) {
    len = ((__int128)start - stop - step - 1) / -step;
  }
  if (len > kMaxRange) {
    Raise("OverflowError", "Range too big. The sandbox blocks ranges larger "
                           "than MAX_RANGE (100000).");
  }
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(len));
  for (int64_t i = 0; i < static_cast<int64_t>(len); ++i) {
    items.push_back(Value::Int(start + i * step));
  }
  return Value::NewRange(std::move(items), start, stop, step);
}

Value Dict(CallContext&, CallArgs& args) {
  Value d = Value::NewDict();
  if (args.args.size() > 1) {
    Raise("TypeError", "dict expected at most 1 argument, got " +
                           std::to_string(args.args.size()));
  }
  if (!args.args.empty()) {
    const Value& src = args.args[0];
    if (src.is_dict()) {
      for (auto& [k, v] : src.DictItems()) d.DictSet(k, v);
    } else {
      for (auto& pair : Iterate(src)) {
        auto kv = Iterate(pair);
        if (kv.size() != 2) {
          Raise("ValueError", "dictionary update sequence element #0 has "
                              "length " + std::to_string(kv.size()) +
                                  "; 2 is required");
        }
        d.DictSet(kv[0], kv[1]);
      }
    }
  }
  for (auto& [k, v] : args.kwargs) d.DictSet(k, v);
  return d;
}

Value MakeNamespace(CallContext& ctx, CallArgs& args) {
  auto ns = std::make_shared<NamespaceObj>();
  TrackContainer(ns);
  Value d = Dict(ctx, args);
  ns->attrs = d;
  return Value::FromObject(ns);
}

class CyclerObj : public Object {
 public:
  std::string TypeName() const override { return "Cycler"; }
  std::optional<Value> GetAttr(std::string_view name) override {
    if (name == "current") return items[pos];
    if (name == "next" || name == "reset") {
      auto self = self_ref.lock();
      bool next = name == "next";
      return Value::Function(std::string(name),
                             [self, next](CallContext&, CallArgs& a) {
                               BindArgs(next ? "next" : "reset", a, {});
                               auto* c = static_cast<CyclerObj*>(self.get());
                               if (!next) {
                                 c->pos = 0;
                                 return Value();
                               }
                               Value v = c->items[c->pos];
                               c->pos = (c->pos + 1) % c->items.size();
                               return v;
                             });
    }
    return std::nullopt;
  }
  std::string Repr() override {
    char buf[32];
    snprintf(buf, sizeof(buf), "%p", static_cast<void*>(this));
    return std::string("<jinja2.utils.Cycler object at ") + buf + ">";
  }
  std::vector<Value> items;
  size_t pos = 0;
  std::weak_ptr<Object> self_ref;
};

Value Cycler(CallContext&, CallArgs& args) {
  if (args.args.empty()) Raise("RuntimeError", "at least one item has to be "
                                               "provided");
  auto c = std::make_shared<CyclerObj>();
  c->items = args.args;
  c->self_ref = c;
  return Value::FromObject(c);
}

Value Joiner(CallContext&, CallArgs& args) {
  auto a = BindArgs("joiner", args, {"sep"});
  std::string sep = a[0] ? a[0]->ToStr() : ", ";
  auto used = std::make_shared<bool>(false);
  return PyFunction("joiner",
                    [sep, used](CallContext&, CallArgs&) {
                      if (!*used) {
                        *used = true;
                        return Value::Str("");
                      }
                      return Value::Str(sep);
                    },
                    "<jinja2.utils.Joiner object at ");
}

}  // namespace

void RegisterBuiltinGlobals(Environment& env) {
  // Printed as Python prints them ({{ dict }} is the class).
  env.AddGlobal("range",
                PyFunction("range", Range, "<function safe_range at "));
  env.AddGlobal("dict", PyFunction("dict", Dict, "<class 'dict'>"));
  env.AddGlobal("namespace",
                PyFunction("namespace", MakeNamespace,
                           "<class 'jinja2.utils.Namespace'>"));
  env.AddGlobal("cycler", PyFunction("cycler", Cycler,
                                     "<class 'jinja2.utils.Cycler'>"));
  env.AddGlobal("joiner", PyFunction("joiner", Joiner,
                                     "<class 'jinja2.utils.Joiner'>"));
  RegisterTextBuiltins(env);
}

}  // namespace tmpl
