// Jinja2's builtin template tests (tests.py).
#include <cmath>

#include "tmpl/args.h"
#include "tmpl/environment.h"
#include "tmpl/ops.h"
#include "tmpl/unicode_case.h"
#include "tmpl/value_internal.h"

namespace tmpl {
namespace {

const Value& Arg(CallArgs& args, const char* name, const char* param) {
  auto a = BindArgs(name, args, {param}, 1);
  args.args = {*a[0]};
  return args.args[0];
}

// str.islower() / str.isupper(): no character of the other case (or
// titlecase), and at least one of this case.
bool IsLowerOrUpper(const Value& v, bool lower) {
  std::u32string u = ToU32(v.ToStr());
  bool cased = false;
  for (char32_t c : u) {
    if (unicode::IsTitlecase(c) ||
        (lower ? unicode::IsUppercase(c) : unicode::IsLowercase(c))) {
      return false;
    }
    if (lower ? unicode::IsLowercase(c) : unicode::IsUppercase(c)) {
      cased = true;
    }
  }
  return cased;
}

}  // namespace

void RegisterBuiltinTests(Environment& env) {
  env.AddTest("defined", [](CallContext&, const Value& v, CallArgs& a) {
    BindArgs("defined", a, {});
    return !v.is_undefined();
  });
  env.AddTest("undefined", [](CallContext&, const Value& v, CallArgs& a) {
    BindArgs("undefined", a, {});
    return v.is_undefined();
  });
  env.AddTest("none", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_none", a, {});
    return v.is_none();
  });
  env.AddTest("boolean", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_boolean", a, {});
    return v.is_bool();
  });
  env.AddTest("true", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_true", a, {});
    return v.is_bool() && v.AsBool();
  });
  env.AddTest("false", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_false", a, {});
    return v.is_bool() && !v.AsBool();
  });
  env.AddTest("integer", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_integer", a, {});
    return v.is_int();
  });
  env.AddTest("float", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_float", a, {});
    return v.is_float();
  });
  env.AddTest("number", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_number", a, {});
    return v.is_number();
  });
  env.AddTest("string", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_string", a, {});
    return v.is_str();
  });
  env.AddTest("mapping", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_mapping", a, {});
    return v.is_dict();
  });
  env.AddTest("sequence", [](CallContext&, const Value& v, CallArgs& a) {
    BindArgs("test_sequence", a, {});
    // PARITY(jinja): anything with len() and __getitem__, Undefined too.
    return v.is_str() || v.is_list() || v.is_tuple() || v.is_dict() ||
           v.is_undefined();
  });
  env.AddTest("iterable", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_iterable", a, {});
    return v.is_str() || v.is_list() || v.is_tuple() || v.is_dict() ||
           v.is_undefined() ||
           (v.is_object() && dynamic_cast<GeneratorObj*>(v.AsObject()));
  });
  env.AddTest("callable", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_callable", a, {});
    return v.is_callable();
  });
  env.AddTest("escaped", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_escaped", a, {});
    return v.is_markup();
  });
  env.AddTest("lower", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_lower", a, {});
    return IsLowerOrUpper(v, true);
  });
  env.AddTest("upper", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_upper", a, {});
    return IsLowerOrUpper(v, false);
  });
  env.AddTest("odd", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_odd", a, {});
    return BinaryOp("%", v, Value::Int(2)).Equals(Value::Int(1));
  });
  env.AddTest("even", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_even", a, {});
    return BinaryOp("%", v, Value::Int(2)).Equals(Value::Int(0));
  });
  env.AddTest("divisibleby", [](CallContext&, const Value& v, CallArgs& a) {
    const Value& n = Arg(a, "divisibleby", "num");
    return BinaryOp("%", v, n).Equals(Value::Int(0));
  });
  env.AddTest("sameas", [](CallContext&, const Value& v, CallArgs& a) {
    const Value& o = Arg(a, "sameas", "other");
    if (v.kind() != o.kind()) return false;
    switch (v.kind()) {
      case Kind::kNone:
        return true;
      case Kind::kBool:
        return v.AsBool() == o.AsBool();
      case Kind::kInt:
        if (v.is_big_int()) return v.AsObject() == o.AsObject();
        // Small ints are shared objects in CPython.
        return v.AsInt() == o.AsInt() && v.AsInt() >= -5 && v.AsInt() <= 256;
      default:
        return v.AsObject() == o.AsObject();
    }
  });
  env.AddTest("in", [](CallContext&, const Value& v, CallArgs& a) {
    const Value& seq = Arg(a, "in", "seq");
    return Contains(seq, v);
  });
  env.AddTest("filter", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_filter", a, {});
    return v.is_str() && c.environment().FindFilter(v.AsStr()) != nullptr;
  });
  env.AddTest("test", [](CallContext& c, const Value& v, CallArgs& a) {
    BindArgs("test_test", a, {});
    return v.is_str() && c.environment().FindTest(v.AsStr()) != nullptr;
  });
  struct Cmp {
    const char* names[3];
    const char* op;
  };
  static const Cmp kCmp[] = {
      {{"==", "eq", "equalto"}, "=="}, {{"!=", "ne", nullptr}, "!="},
      {{">", "gt", "greaterthan"}, ">"}, {{">=", "ge", nullptr}, ">="},
      {{"<", "lt", "lessthan"}, "<"},    {{"<=", "le", nullptr}, "<="},
  };
  for (const auto& c : kCmp) {
    std::string op = c.op;
    for (const char* n : c.names) {
      if (!n) continue;
      env.AddTest(n, [op](CallContext& c, const Value& v, CallArgs& a) {
        const Value& other = Arg(a, "compare", "other");
        bool strict = c.environment().options().strict_undefined;
        if (v.is_strict_undefined(strict)) FailUndefined(v);
        if (other.is_strict_undefined(strict)) FailUndefined(other);
        return CompareOp(op, v, other);
      });
    }
  }
}

}  // namespace tmpl
