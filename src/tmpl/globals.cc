// Jinja2's default globals: range, dict, namespace, cycler, joiner, lipsum.
#include "tmpl/args.h"
#include "tmpl/bigint.h"
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
  Value start = Value::Int(0), stop, step = Value::Int(1);
  auto as_int = [](const Value& v) {
    return v.is_bool() ? Value::Int(v.AsInt()) : v;
  };
  if (n == 1) {
    stop = as_int(args.args[0]);
  } else {
    start = as_int(args.args[0]);
    stop = as_int(args.args[1]);
    if (n == 3) step = as_int(args.args[2]);
  }
  int step_sign = IntSign(step);
  if (step_sign == 0) Raise("ValueError", "range() arg 3 must not be zero");
  // len(range): ceil((stop - start) / step), at least 0, in Python ints.
  Value span = step_sign > 0 ? BinaryOp("-", stop, start)
                             : BinaryOp("-", start, stop);
  Value abs_step = IntAbs(step);
  Value len = IntSign(span) <= 0
                  ? Value::Int(0)
                  : BinaryOp("//", BinaryOp("-", BinaryOp("+", span, abs_step),
                                            Value::Int(1)),
                             abs_step);
  // PARITY(jinja): safe_range takes len(), which overflows first.
  if (len.is_big_int()) {
    Raise("OverflowError", "Python int too large to convert to C ssize_t");
  }
  if (len.AsInt() > kMaxRange) {
    Raise("OverflowError", "Range too big. The sandbox blocks ranges larger "
                           "than MAX_RANGE (100000).");
  }
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(len.AsInt()));
  if (!start.is_big_int() && !stop.is_big_int() && !step.is_big_int()) {
    // Every item lies between start and stop, so stepping to the next
    // one cannot overflow.
    int64_t cur = start.AsInt();
    for (int64_t i = 0; i < len.AsInt(); ++i) {
      items.push_back(Value::Int(cur));
      if (i + 1 < len.AsInt()) cur += step.AsInt();
    }
  } else {
    Value cur = start;
    for (int64_t i = 0; i < len.AsInt(); ++i) {
      items.push_back(cur);
      cur = BinaryOp("+", cur, step);
    }
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
