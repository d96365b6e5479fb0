#include "tmpl/ops.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "tmpl/bigint.h"
#include "tmpl/environment.h"
#include "tmpl/error.h"
#include "tmpl/value_internal.h"

namespace tmpl {

void FailUndefined(const Value& v) {
  Raise(v.UndefinedClass(), v.UndefinedMessage());
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t len = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p + i, len - i, &cp);
    if (n <= 0) {
      cp = 0xFFFD;
      n = 1;
    }
    out.push_back(static_cast<char32_t>(cp));
    i += n;
  }
  return out;
}

std::string FromU32(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) {
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(static_cast<int32_t>(c), buf);
    out.append(reinterpret_cast<char*>(buf), n);
  }
  return out;
}

std::string ObjectTypeRepr(const Value& v) {
  if (v.is_none()) return "None";
  std::string t = v.TypeName();
  if (v.is_object()) {
    if (t == "Macro") return "jinja2.runtime.Macro object";
    if (t == "Namespace") return "jinja2.utils.Namespace object";
    if (t == "LoopContext") return "jinja2.runtime.LoopContext object";
    if (t == "TemplateModule") return "jinja2.environment.TemplateModule object";
  }
  if (t == "Markup") return "markupsafe.Markup object";
  return t + " object";
}

static std::string TypeStr(const Value& v) { return v.TypeName(); }

[[noreturn]] static void Unsupported(const std::string& op, const Value& a,
                                     const Value& b) {
  Raise("TypeError", "unsupported operand type(s) for " + op + ": '" +
                         TypeStr(a) + "' and '" + TypeStr(b) + "'");
}

static Value Repeat(const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  if (seq.is_str()) {
    const std::string& s = seq.AsStr();
    if (!s.empty() && static_cast<uint64_t>(n) >
                          static_cast<uint64_t>(INT64_MAX) / s.size()) {
      Raise("OverflowError", "repeated string is too long");
    }
    if (!s.empty() && static_cast<uint64_t>(n) > (1u << 28) / s.size()) {
      Raise("MemoryError", "string repetition too large");
    }
    std::string out;
    out.reserve(s.size() * n);
    for (int64_t i = 0; i < n; ++i) out += s;
    // PARITY(markupsafe): Markup * n is Markup.
    return seq.is_markup() ? Value::Markup(std::move(out))
                           : Value::Str(std::move(out));
  }
  const auto& items = seq.ListItems();
  if (!items.empty() && static_cast<uint64_t>(n) > (1u << 24) / items.size()) {
    Raise("MemoryError", "sequence repetition too large");
  }
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) {
    out.insert(out.end(), items.begin(), items.end());
  }
  return seq.is_list() ? Value::NewList(std::move(out))
                       : Value::NewTuple(std::move(out));
}

static int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

static int64_t FloorMod(int64_t a, int64_t b) {
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

static double FloatMod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  if (r == 0) r = std::copysign(0.0, b);
  return r;
}

// Markup % args: arguments are escaped, and (as markupsafe wraps a single
// argument in a helper with __getitem__) a lone argument is never "not all
// converted".
static Value MarkupPercent(const std::string& fmt, const Value& args) {
  auto esc = [](const Value& v) {
    return v.is_str() ? Value::Markup(ToOutput(v, true)) : v;
  };
  Value escaped;
  if (args.is_tuple()) {
    std::vector<Value> items;
    for (const auto& i : args.ListItems()) items.push_back(esc(i));
    escaped = Value::NewTuple(std::move(items));
  } else if (args.is_dict()) {
    escaped = Value::NewDict();
    for (auto& [k, v] : args.DictItems()) escaped.DictSet(k, esc(v));
  } else if (args.is_list()) {
    // markupsafe passes objects with __getitem__ as a mapping.
    escaped = args;
  } else {
    escaped = Value::NewTuple({esc(args)});
  }
  return Value::Markup(PercentFormat(fmt, escaped).AsStr());
}

// Integer arithmetic past int64: c and two as in BinaryOp.
static Value BigIntOp(char c, bool two, const Value& a, const Value& b) {
  if (c == '/' && !two) return IntTrueDivide(a, b);
  // PARITY(python): int ** negative int is float arithmetic.
  if (c == '*' && two && IntSign(b) < 0) {
    return BinaryOp("**", Value::Float(a.AsFloat()),
                    Value::Float(b.AsFloat()));
  }
  return BigIntBinary(c, two, a, b);
}

Value BinaryOp(const std::string& op, const Value& a, const Value& b) {
  if (a.is_undefined()) FailUndefined(a);
  // PARITY(python): str % x runs str.__mod__ first, so an undefined
  // argument is formatted (as a mapping) rather than failing.
  if (op == "%" && a.is_str() && b.is_undefined()) {
    return PercentFormat(a.AsStr(), b);
  }
  if (b.is_undefined()) FailUndefined(b);
  char c = op[0];
  bool two = op.size() == 2;
  if (a.is_number() && b.is_number()) {
    bool ints = a.is_integral() && b.is_integral();
    if (ints && (a.is_big_int() || b.is_big_int())) {
      return BigIntOp(c, two, a, b);
    }
    int64_t x = ints ? a.AsInt() : 0, y = ints ? b.AsInt() : 0;
    // Ints convert to float only when the other operand is one (so a big
    // int never raises "too large to convert" in int arithmetic).
    double fx = ints ? 0 : a.AsFloat(), fy = ints ? 0 : b.AsFloat();
    int64_t r;
    if (c == '+') {
      if (!ints) return Value::Float(fx + fy);
      if (__builtin_add_overflow(x, y, &r)) return BigIntOp(c, two, a, b);
      return Value::Int(r);
    }
    if (c == '-') {
      if (!ints) return Value::Float(fx - fy);
      if (__builtin_sub_overflow(x, y, &r)) return BigIntOp(c, two, a, b);
      return Value::Int(r);
    }
    if (c == '*' && !two) {
      if (!ints) return Value::Float(fx * fy);
      if (__builtin_mul_overflow(x, y, &r)) return BigIntOp(c, two, a, b);
      return Value::Int(r);
    }
    if (c == '/' && !two) {
      if (ints) return IntTrueDivide(a, b);
      if (fy == 0) Raise("ZeroDivisionError", "division by zero");
      return Value::Float(fx / fy);
    }
    if (c == '/' && two) {
      if (ints) {
        if (y == 0) {
          Raise("ZeroDivisionError", "integer division or modulo by zero");
        }
        if (y == -1 && x == std::numeric_limits<int64_t>::min()) {
          return BigIntOp(c, two, a, b);
        }
        return Value::Int(FloorDiv(x, y));
      }
      if (fy == 0) Raise("ZeroDivisionError", "float floor division by zero");
      // PARITY(python): float_floor_div via fmod, so 15 // 0.1 == 149.0.
      double mod = std::fmod(fx, fy);
      double div = (fx - mod) / fy;
      if (mod != 0 && ((fy < 0) != (mod < 0))) div -= 1.0;
      double fl;
      if (div != 0) {
        fl = std::floor(div);
        if (div - fl > 0.5) fl += 1.0;
      } else {
        fl = std::copysign(0.0, fx / fy);
      }
      return Value::Float(fl);
    }
    if (c == '%') {
      if (ints) {
        if (y == 0) Raise("ZeroDivisionError", "integer modulo by zero");
        return Value::Int(FloorMod(x, y));
      }
      if (fy == 0) Raise("ZeroDivisionError", "float modulo");
      return Value::Float(FloatMod(fx, fy));
    }
    if (c == '*' && two) {
      if (ints && y >= 0) {
        int64_t result = 1, base = x;
        int64_t e = y;
        while (e > 0) {
          if (e & 1) {
            if (__builtin_mul_overflow(result, base, &result)) {
              return BigIntOp(c, two, a, b);
            }
          }
          e >>= 1;
          if (e > 0 && __builtin_mul_overflow(base, base, &base)) {
            return BigIntOp(c, two, a, b);
          }
        }
        return Value::Int(result);
      }
      // PARITY(python): int ** negative int is computed in floats.
      if (ints) {
        fx = a.AsFloat();
        fy = b.AsFloat();
      }
      if (fx == 0 && fy < 0) {
        Raise("ZeroDivisionError",
              "0.0 cannot be raised to a negative power");
      }
      if (fx < 0 && std::floor(fy) != fy) {
        Raise("ValueError",
              "complex results of '**' are not supported");
      }
      double res = std::pow(fx, fy);
      if (std::isinf(res) && !std::isinf(fx)) {
        Raise("OverflowError", "(34, 'Numerical result out of range')");
      }
      return Value::Float(res);
    }
  }
  if (c == '+' && !two) {
    if (a.is_str() && b.is_str()) {
      // PARITY(markupsafe): Markup.__add__ and __radd__ escape the plain
      // operand on either side, and the result is Markup.
      if (a.is_markup() || b.is_markup()) {
        return Value::Markup(ToOutput(a, true) + ToOutput(b, true));
      }
      return Value::Str(a.AsStr() + b.AsStr());
    }
    if (a.is_str()) {
      Raise("TypeError", "can only concatenate str (not \"" + TypeStr(b) +
                             "\") to str");
    }
    if (((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) &&
        a.TypeName() == b.TypeName() &&
        (a.TypeName() == "list" || a.TypeName() == "tuple")) {
      std::vector<Value> out = a.ListItems();
      const auto& more = b.ListItems();
      out.insert(out.end(), more.begin(), more.end());
      return a.is_list() ? Value::NewList(std::move(out))
                         : Value::NewTuple(std::move(out));
    }
    if (a.is_list() || a.is_tuple()) {
      Raise("TypeError", "can only concatenate " + TypeStr(a) + " (not \"" +
                             TypeStr(b) + "\") to " + TypeStr(a));
    }
  }
  auto plain_seq = [](const Value& v) {
    return v.is_str() || ((v.is_list() || v.is_tuple()) &&
                          (v.TypeName() == "list" || v.TypeName() == "tuple"));
  };
  if (c == '*' && !two && (plain_seq(a) || plain_seq(b))) {
    if ((a.is_str() || a.is_list() || a.is_tuple()) && b.is_integral()) {
      return Repeat(a, IntAsIndex(b));
    }
    if ((b.is_str() || b.is_list() || b.is_tuple()) && a.is_integral()) {
      return Repeat(b, IntAsIndex(a));
    }
    if (a.is_str() || a.is_list() || a.is_tuple() || b.is_str() ||
        b.is_list() || b.is_tuple()) {
      const Value& other = a.is_str() || a.is_list() || a.is_tuple() ? b : a;
      Raise("TypeError", "can't multiply sequence by non-int of type '" +
                             TypeStr(other) + "'");
    }
  }
  if (c == '%' && a.is_str()) {
    if (a.is_markup()) return MarkupPercent(a.AsStr(), b);
    return PercentFormat(a.AsStr(), b);
  }
  std::string shown = op == "**" ? "** or pow()" : op;
  Unsupported(shown, a, b);
}

bool LessThan(const Value& a, const Value& b) {
  if (a.is_undefined()) FailUndefined(a);
  if (b.is_undefined()) FailUndefined(b);
  if (a.is_number() && b.is_number()) {
    if (a.is_float() && b.is_float()) return a.AsFloat() < b.AsFloat();
    // PARITY(python): int and float compare exactly.
    // NaN compares false.
    if (a.is_float()) return IntFloatCompare(b, a.AsFloat()).value_or(0) > 0;
    if (b.is_float()) return IntFloatCompare(a, b.AsFloat()).value_or(0) < 0;
    if (a.is_big_int() || b.is_big_int()) return IntCompare(a, b) < 0;
    return a.AsInt() < b.AsInt();
  }
  if (a.is_str() && b.is_str()) return a.AsStr() < b.AsStr();
  if (((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) &&
      a.TypeName() == b.TypeName() && a.TypeName() != "range" &&
      a.TypeName().rfind("dict_", 0) != 0) {
    const auto& x = a.ListItems();
    const auto& y = b.ListItems();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (!x[i].Equals(y[i])) return LessThan(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  Raise("TypeError", "'<' not supported between instances of '" +
                         TypeStr(a) + "' and '" + TypeStr(b) + "'");
}

bool CompareOp(const std::string& op, const Value& a, const Value& b) {
  if (op == "==") return a.Equals(b);
  if (op == "!=") return !a.Equals(b);
  auto fail = [&]() {
    Raise("TypeError", "'" + op + "' not supported between instances of '" +
                           TypeStr(a) + "' and '" + TypeStr(b) + "'");
  };
  try {
    if (op == "<") return LessThan(a, b);
    if (op == ">") return LessThan(b, a);
    if (op == "<=") return LessThan(a, b) || a.Equals(b);
    if (op == ">=") return LessThan(b, a) || a.Equals(b);
  } catch (TemplateException& e) {
    if (e.error.error_class == "TypeError") fail();
    throw;
  }
  fail();
  return false;
}

bool Contains(const Value& hay, const Value& needle) {
  switch (hay.kind()) {
    case Kind::kStr:
      if (!needle.is_str()) {
        Raise("TypeError", "'in <string>' requires string as left operand, "
                           "not " + TypeStr(needle));
      }
      return hay.AsStr().find(needle.AsStr()) != std::string::npos;
    case Kind::kList:
    case Kind::kTuple:
      for (const auto& item : hay.ListItems()) {
        if (item.Equals(needle)) return true;
      }
      return false;
    case Kind::kDict:
      return hay.DictGet(needle).has_value();
    case Kind::kUndefined:
      return false;
    case Kind::kObject:
      if (auto items = hay.AsObject()->Iter()) {
        for (const auto& item : *items) {
          if (item.Equals(needle)) return true;
        }
        return false;
      }
      [[fallthrough]];
    default:
      Raise("TypeError",
            "argument of type '" + TypeStr(hay) + "' is not iterable");
  }
}

std::vector<Value> Iterate(const Value& v) {
  switch (v.kind()) {
    case Kind::kList:
    case Kind::kTuple:
      return v.ListItems();
    case Kind::kDict: {
      std::vector<Value> keys;
      for (auto& [k, val] : v.DictItems()) keys.push_back(k);
      return keys;
    }
    case Kind::kStr: {
      std::vector<Value> out;
      const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(
          v.AsStr().data());
      utf8proc_ssize_t len = static_cast<utf8proc_ssize_t>(v.AsStr().size());
      utf8proc_ssize_t i = 0;
      while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, len - i, &cp);
        if (n <= 0) n = 1;
        out.push_back(Value::Str(v.AsStr().substr(i, n)));
        i += n;
      }
      return out;
    }
    case Kind::kUndefined:
      return {};
    case Kind::kObject:
      if (auto items = v.AsObject()->Iter()) return std::move(*items);
      [[fallthrough]];
    default:
      Raise("TypeError", "'" + TypeStr(v) + "' object is not iterable");
  }
}

int64_t Length(const Value& v) {
  switch (v.kind()) {
    case Kind::kStr: {
      int64_t n = 0;
      for (unsigned char c : v.AsStr()) {
        if ((c & 0xC0) != 0x80) ++n;
      }
      return n;
    }
    case Kind::kList:
    case Kind::kTuple:
      return static_cast<int64_t>(v.ListItems().size());
    case Kind::kDict:
      return static_cast<int64_t>(v.DictSize());
    case Kind::kUndefined:
      return 0;
    default:
      Raise("TypeError", "object of type '" + TypeStr(v) + "' has no len()");
  }
}

static bool IsDunder(const std::string& name) {
  return name.size() > 4 && name.compare(0, 2, "__") == 0 &&
         name.compare(name.size() - 2, 2, "__") == 0;
}

static Value UnsafeUndefined(const Value& obj, const std::string& name) {
  return Value::UndefinedWithHint("access to attribute '" + name + "' of '" +
                                      obj.TypeName() + "' object is unsafe.",
                                  "SecurityError");
}

static Value MissingAttr(const Value& obj, const std::string& name) {
  return Value::UndefinedWithHint("'" + ObjectTypeRepr(obj) +
                                  "' has no attribute " + StrRepr(name));
}

// The data attributes of int, bool and float (bool's are ints).
static std::optional<Value> NumberAttr(const Value& v,
                                       const std::string& name) {
  if (v.is_float()) {
    if (name == "real") return v;
    if (name == "imag") return Value::Float(0.0);
    return std::nullopt;
  }
  Value i = v.is_bool() ? Value::Int(v.AsInt()) : v;
  if (name == "real" || name == "numerator") return i;
  if (name == "imag") return Value::Int(0);
  if (name == "denominator") return Value::Int(1);
  return std::nullopt;
}

// Attribute lookup only (no item fallback); nullopt when absent.
static std::optional<Value> PlainAttr(const Value& obj,
                                      const std::string& name) {
  // PARITY(jinja): the sandbox refuses every '_'-prefixed attribute that
  // exists; dunders exist on every Python object.
  if (IsDunder(name)) return UnsafeUndefined(obj, name);
  if (obj.is_tuple()) {
    const auto& names = static_cast<ListObj*>(obj.AsObject())->field_names;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return obj.ListItems()[i];
    }
  }
  if (obj.is_str() || obj.is_list() || obj.is_tuple() || obj.is_dict()) {
    return BuiltinMethod(obj, name);
  }
  if (obj.is_number()) {
    if (auto v = NumberAttr(obj, name)) return v;
    return BuiltinMethod(obj, name);
  }
  if (obj.is_object()) {
    auto v = obj.AsObject()->GetAttr(name);
    if (v && !name.empty() && name[0] == '_') return UnsafeUndefined(obj, name);
    return v;
  }
  return std::nullopt;
}

// The attributes a Jinja Undefined object really has (dir(Undefined())):
// the sandbox finds them, judges them unsafe (they start with '_') and
// gives an undefined value instead of failing.
static bool IsUndefinedObjectAttr(const std::string& name) {
  static const std::set<std::string> k = {
      "__add__", "__aiter__", "__bool__", "__call__", "__class__",
      "__complex__", "__delattr__", "__dir__", "__div__", "__doc__",
      "__eq__", "__float__", "__floordiv__", "__format__", "__ge__",
      "__getattr__", "__getattribute__", "__getitem__", "__getstate__",
      "__gt__", "__hash__", "__init__", "__init_subclass__", "__int__",
      "__iter__", "__le__", "__len__", "__lt__", "__mod__", "__module__",
      "__mul__", "__ne__", "__neg__", "__new__", "__pos__", "__pow__",
      "__radd__", "__rdiv__", "__reduce__", "__reduce_ex__", "__repr__",
      "__rfloordiv__", "__rmod__", "__rmul__", "__rpow__", "__rsub__",
      "__rtruediv__", "__setattr__", "__sizeof__", "__str__", "__sub__",
      "__subclasshook__", "__truediv__", "_fail_with_undefined_error",
      "_undefined_exception", "_undefined_hint", "_undefined_message",
      "_undefined_name", "_undefined_obj"};
  return k.count(name) > 0;
}

Value GetAttr(const Value& obj, const std::string& name) {
  if (obj.is_undefined()) {
    if (IsUndefinedObjectAttr(name)) {
      return Value::UndefinedWithHint("access to attribute '" + name +
                                          "' of 'Undefined' object is unsafe.",
                                      "SecurityError");
    }
    FailUndefined(obj);
  }
  if (auto v = PlainAttr(obj, name)) return *v;
  if (obj.is_dict()) {
    if (auto v = obj.DictGet(name)) return *v;
  }
  return MissingAttr(obj, name);
}

static bool IsDictView(const Value& v) {
  return v.is_list() &&
         !static_cast<ListObj*>(v.AsObject())->view_of.is_none();
}

static std::optional<Value> PlainItem(const Value& obj, const Value& key) {
  // Dict views are not subscriptable (Jinja then gives an undefined).
  if (IsDictView(obj)) return std::nullopt;
  if (obj.is_list() || obj.is_tuple() || obj.is_str()) {
    // A big int index raises IndexError, which Jinja turns into undefined.
    if (!key.is_integral() || key.is_big_int()) return std::nullopt;
    int64_t i = key.AsInt();
    if (obj.is_str()) {
      std::u32string u = ToU32(obj.AsStr());
      int64_t n = static_cast<int64_t>(u.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return std::nullopt;
      // PARITY(markupsafe): Markup.__getitem__ returns Markup.
      std::string c = FromU32(u.substr(i, 1));
      return obj.is_markup() ? Value::Markup(std::move(c))
                             : Value::Str(std::move(c));
    }
    const auto& items = obj.ListItems();
    int64_t n = static_cast<int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) return std::nullopt;
    return items[i];
  }
  if (obj.is_dict()) {
    if (key.is_list() || key.is_dict()) return std::nullopt;  // unhashable
    return obj.DictGet(key);
  }
  return std::nullopt;
}

Value GetItem(const Value& obj, const Value& key) {
  if (obj.is_undefined()) FailUndefined(obj);
  if (key.is_undefined() && !obj.is_dict()) FailUndefined(key);
  if (auto v = PlainItem(obj, key)) return *v;
  if (key.is_str()) {
    if (auto v = PlainAttr(obj, key.AsStr())) return *v;
    return MissingAttr(obj, key.AsStr());
  }
  return Value::UndefinedWithHint(ObjectTypeRepr(obj) + " has no element " +
                                  key.Repr());
}

static int64_t SliceIndex(const Value& v, int64_t dflt) {
  if (v.is_none()) return dflt;
  // PARITY(jinja): Undefined has no __index__, so it fails as any other
  // non-integer bound (TypeError, not UndefinedError).
  if (!v.is_integral()) {
    Raise("TypeError", "slice indices must be integers or None or have an "
                       "__index__ method");
  }
  // PARITY(python): big ints are clamped (AsInt saturates), as
  // _PyEval_SliceIndex does.
  return v.AsInt();
}

Value Slice(const Value& obj, const Value& start, const Value& stop,
            const Value& step) {
  if (obj.is_undefined()) FailUndefined(obj);
  if (IsDictView(obj)) {
    Raise("TypeError", "'" + obj.TypeName() + "' object is not subscriptable");
  }
  int64_t st = SliceIndex(step, 1);
  if (st == 0) Raise("ValueError", "slice step cannot be zero");
  std::u32string u;
  int64_t n;
  if (obj.is_str()) {
    u = ToU32(obj.AsStr());
    n = static_cast<int64_t>(u.size());
  } else if (obj.is_list() || obj.is_tuple()) {
    n = static_cast<int64_t>(obj.ListItems().size());
  } else {
    Raise("TypeError", "'" + TypeStr(obj) + "' object is not subscriptable");
  }
  auto clamp = [&](const Value& v, bool is_start) -> int64_t {
    if (v.is_none()) {
      if (st > 0) return is_start ? 0 : n;
      return is_start ? n - 1 : -1;
    }
    int64_t i = SliceIndex(v, 0);
    if (i < 0) {
      i += n;
      if (i < 0) i = st > 0 ? 0 : -1;
    } else if (i >= n) {
      i = st > 0 ? n : n - 1;
    }
    return i;
  };
  int64_t b = clamp(start, true), e = clamp(stop, false);
  std::vector<int64_t> idx;
  // Big indices arrive clamped to int64 (as CPython clamps them), so the
  // step must not overflow.
  for (int64_t i = b; st > 0 ? i < e : i > e;) {
    idx.push_back(i);
    if (__builtin_add_overflow(i, st, &i)) break;
  }
  if (obj.is_str()) {
    std::u32string out;
    for (int64_t i : idx) out.push_back(u[i]);
    return obj.is_markup() ? Value::Markup(FromU32(out))
                           : Value::Str(FromU32(out));
  }
  std::vector<Value> out;
  const auto& items = obj.ListItems();
  for (int64_t i : idx) out.push_back(items[i]);
  return obj.is_list() ? Value::NewList(std::move(out))
                       : Value::NewTuple(std::move(out));
}

Value CallValue(CallContext& ctx, const Value& fn, CallArgs& args) {
  if (fn.is_undefined()) FailUndefined(fn);
  if (!fn.is_callable()) {
    Raise("TypeError", "'" + TypeStr(fn) + "' object is not callable");
  }
  return fn.AsObject()->Call(ctx, args);
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ToOutput(const Value& v, bool autoescape) {
  if (!autoescape || v.is_markup()) return v.ToStr();
  return EscapeHtml(v.ToStr());
}

}  // namespace tmpl
