// Jinja2's builtin filters (filters.py), one function per filter.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <utf8proc.h>

#include "tmpl/args.h"
#include "tmpl/bigint.h"
#include "tmpl/environment.h"
#include "tmpl/html_unescape.h"
#include "tmpl/ops.h"
#include "tmpl/unicode_case.h"
#include "tmpl/value_internal.h"

namespace tmpl {
namespace {

// Jinja's soft_str: str() that keeps markup and prints Undefined as "".
Value SoftStr(CallContext& ctx, const Value& v) {
  if (v.is_str()) return v;
  if (v.is_strict_undefined(ctx.environment().options().strict_undefined)) {
    FailUndefined(v);
  }
  return Value::Str(v.ToStr());
}

Value SameKind(const Value& like, std::string s) {
  return like.is_markup() ? Value::Markup(std::move(s))
                          : Value::Str(std::move(s));
}

Value CallMethod(CallContext& ctx, const Value& self, const char* name,
                 std::vector<Value> args = {}) {
  auto m = BuiltinMethod(self, name);
  CallArgs a;
  a.args = std::move(args);
  return CallValue(ctx, *m, a);
}

void StrictCheck(CallContext& ctx, const Value& v) {
  if (v.is_strict_undefined(ctx.environment().options().strict_undefined)) {
    FailUndefined(v);
  }
}

std::vector<Value> Items(CallContext& ctx, const Value& v) {
  StrictCheck(ctx, v);
  return Iterate(v);
}

// Resolves "a.b.0" on an item, as Jinja's make_attrgetter.
Value AttrPath(const Value& item, const std::string& path) {
  Value cur = item;
  size_t i = 0;
  while (i <= path.size()) {
    size_t dot = path.find('.', i);
    std::string part = path.substr(i, dot == std::string::npos
                                          ? std::string::npos
                                          : dot - i);
    bool numeric = !part.empty() &&
                   std::all_of(part.begin(), part.end(), ::isdigit);
    cur = GetItem(cur, numeric ? *ParseIntText(part, 10)
                               : Value::Str(part));
    if (dot == std::string::npos) break;
    i = dot + 1;
  }
  return cur;
}

Value Lowered(const Value& v, bool case_sensitive) {
  if (case_sensitive || !v.is_str()) return v;
  // Jinja's ignore_case is str.lower(), full mappings included.
  return Value::Str(FromU32(unicode::Lower(ToU32(v.AsStr()))));
}

std::vector<std::string> SplitAttrs(const Value& attr) {
  std::vector<std::string> out;
  if (!attr.is_str()) {
    out.push_back(attr.ToStr());
    return out;
  }
  const std::string& s = attr.AsStr();
  size_t i = 0;
  while (true) {
    size_t c = s.find(',', i);
    out.push_back(s.substr(i, c == std::string::npos ? c : c - i));
    if (c == std::string::npos) break;
    i = c + 1;
  }
  return out;
}

// Jinja's make_multi_attrgetter with optional lowercasing.
Value SortKey(const Value& item, const std::optional<Value>& attribute,
              bool case_sensitive) {
  if (!attribute || attribute->is_none()) return Lowered(item, case_sensitive);
  auto parts = SplitAttrs(*attribute);
  if (parts.size() == 1 && !attribute->is_str()) {
    return Lowered(GetItem(item, *attribute), case_sensitive);
  }
  if (parts.size() == 1) {
    return Lowered(AttrPath(item, parts[0]), case_sensitive);
  }
  std::vector<Value> keys;
  for (const auto& p : parts) {
    keys.push_back(Lowered(AttrPath(item, p), case_sensitive));
  }
  return Value::NewList(std::move(keys));
}

// Jinja filters that are Python generators: evaluated lazily, printed as
// <generator object ...>, consumed by iteration.
Value LazyGenerator(std::function<std::vector<Value>()> fn,
                    const char* name) {
  return Value::FromObject(std::make_shared<GeneratorObj>(std::move(fn),
                                                          name));
}

Value FilterDefault(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("default", args, {"default_value", "boolean"});
  Value dflt = a[0] ? *a[0] : Value::Str("");
  bool boolean = a[1] && a[1]->Truthy();
  if (in.is_undefined() || (boolean && !in.Truthy())) return dflt;
  return in;
}

Value FilterJoin(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("join", args, {"d", "attribute"});
  Value d = a[0] ? *a[0] : Value::Str("");
  std::vector<Value> items = Items(ctx, in);
  if (a[1] && !a[1]->is_none()) {
    for (auto& i : items) i = SortKey(i, a[1], true);
  }
  // PARITY(jinja): with autoescape the result is Markup (items escaped)
  // only when the separator or an item is Markup; otherwise a plain str,
  // escaped later on output like any other.
  bool escape = false;
  if (ctx.autoescape()) {
    escape = d.is_markup();
    for (const auto& i : items) escape = escape || i.is_markup();
  }
  std::string out;
  std::string sep = escape ? ToOutput(d, true) : SoftStr(ctx, d).AsStr();
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    StrictCheck(ctx, items[i]);
    out += escape ? ToOutput(items[i], true) : items[i].ToStr();
  }
  return escape ? Value::Markup(out) : Value::Str(out);
}

Value FilterLength(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("length", args, {});
  StrictCheck(ctx, in);
  return Value::Int(Length(in));
}

Value FilterLower(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("lower", args, {});
  Value s = SoftStr(ctx, in);
  return SameKind(s, CallMethod(ctx, s, "lower").AsStr());
}

Value FilterUpper(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("upper", args, {});
  Value s = SoftStr(ctx, in);
  return SameKind(s, CallMethod(ctx, s, "upper").AsStr());
}

Value FilterCapitalize(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("capitalize", args, {});
  Value s = SoftStr(ctx, in);
  return SameKind(s, CallMethod(ctx, s, "capitalize").AsStr());
}

Value FilterTitle(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("title", args, {});
  Value s = SoftStr(ctx, in);
  // PARITY(jinja): words start after runs of '-', whitespace, '(', '{',
  // '[' and '<' (not Python's str.title).
  std::u32string u = ToU32(s.AsStr());
  std::u32string out;
  auto is_sep = [](char32_t c) {
    return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' ||
           c == ' ' || (c >= 9 && c <= 13) || c == 0x1c || c == 0x1d ||
           c == 0x1e || c == 0x1f || c == 0x85 || c == 0xa0 || c == 0x2028 ||
           c == 0x2029 || c == 0x3000 || (c >= 0x2000 && c <= 0x200a);
  };
  size_t i = 0;
  while (i < u.size()) {
    size_t j = i;
    if (is_sep(u[i])) {
      while (j < u.size() && is_sep(u[j])) ++j;
      out += u.substr(i, j - i);
    } else {
      while (j < u.size() && !is_sep(u[j])) ++j;
      std::u32string word = u.substr(i, j - i);
      std::string first = CallMethod(ctx, Value::Str(FromU32(word.substr(0, 1))),
                                     "upper").AsStr();
      std::string rest = CallMethod(ctx, Value::Str(FromU32(word.substr(1))),
                                    "lower").AsStr();
      out += ToU32(first + rest);
    }
    i = j;
  }
  // PARITY(jinja): do_title joins plain strs, so Markup input gives a
  // plain str (escaped again on output).
  return Value::Str(FromU32(out));
}

Value FilterReplace(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("replace", args, {"old", "new", "count"}, 2);
  Value s = SoftStr(ctx, in);
  std::vector<Value> margs = {SoftStr(ctx, *a[0]), SoftStr(ctx, *a[1])};
  if (a[2] && !a[2]->is_none()) margs.push_back(*a[2]);
  // PARITY(jinja): without autoescape everything is str(); with it, a
  // plain input is escaped (becoming Markup) only when old or new is
  // Markup, and Markup.replace escapes plain arguments.
  if (!ctx.autoescape()) {
    s = Value::Str(s.AsStr());
    for (size_t i = 0; i < 2; ++i) margs[i] = Value::Str(margs[i].AsStr());
  } else if ((margs[0].is_markup() || margs[1].is_markup()) &&
             !s.is_markup()) {
    s = Value::Markup(EscapeHtml(s.AsStr()));
  }
  return CallMethod(ctx, s, "replace", margs);
}

Value FilterTrim(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("trim", args, {"chars"});
  Value s = SoftStr(ctx, in);
  std::vector<Value> margs;
  if (a[0]) margs.push_back(*a[0]);
  return SameKind(s, CallMethod(ctx, s, "strip", margs).AsStr());
}

Value FilterList(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("list", args, {});
  return Value::NewList(Items(ctx, in));
}

Value FilterString(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("string", args, {});
  return SoftStr(ctx, in);
}

Value FilterFirst(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("first", args, {});
  if (in.is_object()) {
    if (auto* g = dynamic_cast<GeneratorObj*>(in.AsObject())) {
      if (auto v = g->Next()) return *v;
      return Value::UndefinedWithHint("No first item, sequence was empty.");
    }
  }
  auto items = Items(ctx, in);
  if (items.empty()) {
    return Value::UndefinedWithHint("No first item, sequence was empty.");
  }
  return items.front();
}

Value FilterLast(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("last", args, {});
  if (in.is_object()) {
    Raise("TypeError", "'" + in.TypeName() + "' object is not reversible");
  }
  auto items = Items(ctx, in);
  if (items.empty()) {
    return Value::UndefinedWithHint("No last item, sequence was empty.");
  }
  // PARITY(jinja): reversed() indexes the sequence, and Markup's
  // __getitem__ gives Markup (first iterates, giving plain str).
  if (in.is_markup()) return Value::Markup(items.back().AsStr());
  return items.back();
}

Value FilterSort(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("sort", args,
                    {"reverse", "case_sensitive", "attribute"});
  bool reverse = a[0] && a[0]->Truthy();
  bool cs = a[1] && a[1]->Truthy();
  auto items = Items(ctx, in);
  std::vector<std::pair<Value, Value>> keyed;
  // PARITY(jinja): the key is always a list (Jinja 3.1.2's multi
  // attrgetter, with or without an attribute), so equal keys, undefined
  // ones too, compare as equal instead of failing.
  bool multi = true;
  bool strict = ctx.environment().options().strict_undefined;
  for (auto& i : items) {
    Value k = SortKey(i, a[2], cs);
    // StrictUndefined keys fail when sorting compares them.
    if (strict && items.size() > 1) StrictCheck(ctx, k);
    if (multi && !k.is_list()) k = Value::NewList({k});
    keyed.emplace_back(k, i);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [reverse](const auto& x, const auto& y) {
                     return reverse ? LessThan(y.first, x.first)
                                    : LessThan(x.first, y.first);
                   });
  std::vector<Value> out;
  for (auto& [k, v] : keyed) out.push_back(v);
  return Value::NewList(std::move(out));
}

Value FilterUnique(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("unique", args, {"case_sensitive", "attribute"});
  bool cs = a[0] && a[0]->Truthy();
  auto attr = a[1];
  CallContext* c = &ctx;
  return LazyGenerator([=]() {
  std::vector<Value> seen, out;
  for (auto& i : Items(*c, in)) {
    Value k = SortKey(i, attr, cs);
    k.Hash();
    bool dup = false;
    for (const auto& s : seen) {
      if (s.Equals(k)) {
        dup = true;
        break;
      }
    }
    if (!dup) {
      seen.push_back(k);
      out.push_back(i);
    }
  }
  return out;
  }, "do_unique");
}

Value FilterDictsort(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("dictsort", args, {"case_sensitive", "by", "reverse"});
  bool cs = a[0] && a[0]->Truthy();
  std::string by = a[1] ? a[1]->ToStr() : "key";
  bool reverse = a[2] && a[2]->Truthy();
  if (by != "key" && by != "value") {
    Raise("FilterArgumentError",
          "You can only sort by either \"key\" or \"value\"");
  }
  StrictCheck(ctx, in);
  if (in.is_undefined()) FailUndefined(in);
  if (!in.is_dict()) {
    Raise("AttributeError", "'" + in.TypeName() +
                                "' object has no attribute 'items'");
  }
  auto items = in.DictItems();
  std::stable_sort(items.begin(), items.end(), [&](const auto& x,
                                                   const auto& y) {
    const Value& kx = by == "key" ? x.first : x.second;
    const Value& ky = by == "key" ? y.first : y.second;
    Value lx = Lowered(kx, cs), ly = Lowered(ky, cs);
    return reverse ? LessThan(ly, lx) : LessThan(lx, ly);
  });
  std::vector<Value> out;
  for (auto& [k, v] : items) out.push_back(Value::NewTuple({k, v}));
  return Value::NewList(std::move(out));
}

Value FilterItems(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("items", args, {});
  CallContext* c = &ctx;
  return LazyGenerator([=]() {
    std::vector<Value> out;
    if (in.is_undefined()) {
      StrictCheck(*c, in);
      return out;
    }
    if (!in.is_dict()) {
      Raise("TypeError", "Can only get item pairs from a mapping.");
    }
    for (auto& [k, v] : in.DictItems()) {
      out.push_back(Value::NewTuple({k, v}));
    }
    return out;
  }, "do_items");
}

Value FilterFormat(CallContext& ctx, const Value& in, CallArgs& args) {
  if (!args.args.empty() && !args.kwargs.empty()) {
    Raise("FilterArgumentError",
          "can't handle positional and keyword arguments at the same time");
  }
  Value s = SoftStr(ctx, in);
  Value operand = Value::NewTuple(args.args);
  if (!args.kwargs.empty()) {
    operand = Value::NewDict();
    for (auto& [k, v] : args.kwargs) operand.DictSet(k, v);
  }
  // PARITY(markupsafe): Markup % escapes the arguments, giving Markup.
  if (s.is_markup()) return BinaryOp("%", s, operand);
  return PercentFormat(s.AsStr(), operand);
}

Value FilterAbs(CallContext&, const Value& in, CallArgs& args) {
  BindArgs("abs", args, {});
  if (in.is_integral()) return IntAbs(in);
  if (in.is_float()) return Value::Float(std::fabs(in.AsFloat()));
  Raise("TypeError", "bad operand type for abs(): '" + in.TypeName() + "'");
}

// PARITY(python): int() and float() of a str first turn each Unicode
// decimal digit into its ASCII digit ('９' -> '9') and each whitespace
// character into a space; any other non-ASCII character spoils the text.
std::string DecimalAndSpaceToAscii(const std::string& text) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return (c & 0x80) == 0; })) {
    return text;
  }
  std::string out;
  for (char32_t c : ToU32(text)) {
    int digit = unicode::DecimalValue(c);
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (digit >= 0) {
      out += static_cast<char>('0' + digit);
    } else if (c == 0x85 || cat == UTF8PROC_CATEGORY_ZS ||
               cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP) {
      out += ' ';
    } else {
      out += '?';
    }
  }
  return out;
}

// Python's float() of a string; nullopt when it does not parse.
std::optional<double> ParseFloat(const std::string& raw) {
  std::string text = DecimalAndSpaceToAscii(raw);
  std::string s;
  for (char c : text) {
    if (c != '_') s += c;
  }
  size_t b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return std::nullopt;
  size_t e = s.find_last_not_of(" \t\n\r\f\v");
  s = s.substr(b, e - b + 1);
  std::string low;
  for (char c : s) low += static_cast<char>(tolower(c));
  std::string body = low;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body = body.substr(1);
  if (body == "inf" || body == "infinity" || body == "nan") {
    double v = body == "nan" ? NAN : INFINITY;
    return low[0] == '-' ? -v : v;
  }
  if (body.empty() || body.find_first_not_of("0123456789.e+-") !=
                          std::string::npos) {
    return std::nullopt;
  }
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != 0) return std::nullopt;
  return v;
}

Value FilterInt(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("int", args, {"default", "base"});
  Value dflt = a[0] ? *a[0] : Value::Int(0);
  // An invalid base (a big int too) makes int() fail, as a bad text does.
  int base = 10;
  if (a[1]) {
    base = a[1]->is_integral() && !a[1]->is_big_int() &&
                   a[1]->AsInt() >= 0 && a[1]->AsInt() <= 36
               ? static_cast<int>(a[1]->AsInt())
               : -1;
  }
  if (in.is_undefined()) FailUndefined(in);
  if (in.is_integral()) return in.is_bool() ? Value::Int(in.AsInt()) : in;
  // PARITY(jinja): int(value), then int(float(value)); only TypeError and
  // ValueError give the default, so infinities raise OverflowError.
  if (in.is_float()) {
    if (std::isnan(in.AsFloat())) return dflt;
    return FloatToInt(in.AsFloat());
  }
  if (in.is_str()) {
    try {
      if (auto v = ParseIntText(DecimalAndSpaceToAscii(in.AsStr()), base)) {
        return *v;
      }
    } catch (TemplateException& e) {
      if (e.error.error_class != "ValueError") throw;  // too many digits
    }
    if (auto f = ParseFloat(in.AsStr())) {
      if (std::isnan(*f)) return dflt;
      return FloatToInt(*f);
    }
  }
  return dflt;
}

Value FilterFloat(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("float", args, {"default"});
  Value dflt = a[0] ? *a[0] : Value::Float(0.0);
  if (in.is_undefined()) FailUndefined(in);
  if (in.is_number()) return Value::Float(in.AsFloat());
  if (in.is_str()) {
    if (auto f = ParseFloat(in.AsStr())) return Value::Float(*f);
  }
  return dflt;
}

// round(i, ndigits) for an int and ndigits < 0: half to even at 10**-nd.
Value RoundIntDigits(const Value& i, const Value& ndigits) {
  Value p = BinaryOp("**", Value::Int(10), IntNegate(ndigits));
  Value q = BinaryOp("//", i, p);
  Value r = BinaryOp("%", i, p);
  int c = IntCompare(BinaryOp("*", r, Value::Int(2)), p);
  if (c > 0 || (c == 0 && IntSign(BinaryOp("%", q, Value::Int(2))) != 0)) {
    q = BinaryOp("+", q, Value::Int(1));
  }
  return BinaryOp("*", q, p);
}

Value FilterRound(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("round", args, {"precision", "method"});
  Value precision = a[0] ? *a[0] : Value::Int(0);
  std::string method = a[1] ? a[1]->ToStr() : "common";
  if (method != "common" && method != "ceil" && method != "floor") {
    Raise("FilterArgumentError", "method must be common, ceil or floor");
  }
  if (in.is_undefined() && method != "common") FailUndefined(in);
  if (!in.is_number()) {
    Raise("TypeError", "type " + in.TypeName() +
                           " doesn't define __round__ method");
  }
  if (method == "common") {
    if (!precision.is_integral()) {
      Raise("TypeError", "'" + precision.TypeName() +
                             "' object cannot be interpreted as an integer");
    }
    if (in.is_integral()) {
      Value i = in.is_bool() ? Value::Int(in.AsInt()) : in;
      if (IntSign(precision) >= 0) return i;
      return RoundIntDigits(i, precision);
    }
    // PARITY(python): float.__round__ clamps a big ndigits.
    int64_t prec = precision.AsInt();
    double d = in.AsFloat();
    if (std::isnan(d) || std::isinf(d)) return Value::Float(d);
    // Correctly rounded decimal conversion, as CPython's round().
    char buf[512];
    if (prec >= 0 && prec < 300) {
      snprintf(buf, sizeof(buf), "%.*f", static_cast<int>(prec), d);
      return Value::Float(std::strtod(buf, nullptr));
    }
    if (prec >= 300) return Value::Float(d);
    if (prec < -330) return Value::Float(std::copysign(0.0, d));
    double p = std::pow(10.0, static_cast<double>(-prec));
    return Value::Float(std::nearbyint(d / p) * p);
  }
  // PARITY(jinja): func(value * 10**precision) / 10**precision, in Python
  // arithmetic: 10**precision is an int for precision >= 0, math.floor and
  // math.ceil give ints, and the last step is a true division.
  Value p = BinaryOp("**", Value::Int(10), precision);
  Value scaled = BinaryOp("*", in, p);
  Value whole = scaled;
  if (scaled.is_float()) {
    double v = scaled.AsFloat();
    whole = FloatToInt(method == "ceil" ? std::ceil(v) : std::floor(v));
  } else if (scaled.is_bool()) {
    whole = Value::Int(scaled.AsInt());
  }
  return BinaryOp("/", whole, p);
}

Value FilterTruncate(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("truncate", args, {"length", "killwords", "end", "leeway"});
  int64_t length = a[0] ? a[0]->AsInt() : 255;
  bool killwords = a[1] && a[1]->Truthy();
  std::u32string end = ToU32(a[2] ? a[2]->ToStr() : "...");
  int64_t leeway = a[3] && !a[3]->is_none() ? a[3]->AsInt() : 5;
  // PARITY(jinja): truncate takes len() of its input unconverted.
  if (!in.is_str() && !in.is_undefined()) Length(in);
  Value s = in.is_str() ? in : SoftStr(ctx, in);
  int64_t end_len = static_cast<int64_t>(end.size());
  if (length < end_len) {
    std::string got = a[0] ? a[0]->Repr() : std::to_string(length);
    Raise("AssertionError", "expected length >= " + std::to_string(end_len) +
                                ", got " + got);
  }
  if (leeway < 0) {
    Raise("AssertionError", "expected leeway >= 0, got " +
                                std::to_string(leeway));
  }
  std::u32string u = ToU32(s.AsStr());
  int64_t len = in.is_str() ? static_cast<int64_t>(u.size()) : Length(in);
  // Big ints arrive saturated; add without overflowing.
  if (static_cast<__int128>(len) <= static_cast<__int128>(length) + leeway) {
    return in;
  }
  if (!in.is_str()) {
    Raise("AttributeError", "'" + in.TypeName() +
                                "' object has no attribute 'rsplit'");
  }
  std::u32string head = u.substr(0, length - end_len);
  if (!killwords) {
    size_t sp = head.rfind(U' ');
    if (sp != std::u32string::npos) head = head.substr(0, sp);
  }
  // PARITY(markupsafe): slices of Markup are Markup, and adding `end`
  // escapes it.
  if (in.is_markup()) {
    return Value::Markup(FromU32(head) +
                         (a[2] ? ToOutput(*a[2], true) : "..."));
  }
  return Value::Str(FromU32(head + end));
}

Value FilterIndent(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("indent", args, {"width", "first", "blank"});
  std::string ind;
  if (a[0] && a[0]->is_str()) {
    ind = a[0]->AsStr();
  } else {
    // PARITY(jinja): " " * width.
    int64_t width = a[0] ? IntAsIndex(*a[0]) : 4;
    if (width > (int64_t{1} << 28)) {
      Raise("MemoryError", "string repetition too large");
    }
    ind = std::string(std::max<int64_t>(0, width), ' ');
  }
  bool first = a[1] && a[1]->Truthy();
  bool blank = a[2] && a[2]->Truthy();
  // PARITY(jinja): indent appends "\n" to its input unconverted, so only
  // strings work.
  if (in.is_undefined()) FailUndefined(in);
  if (in.TypeName() == "list") {
    Raise("AttributeError", "'list' object has no attribute 'splitlines'");
  }
  if (!in.is_str()) {
    Raise("TypeError", "unsupported operand type(s) for +=: '" +
                           in.TypeName() + "' and 'str'");
  }
  Value s = in;
  Value text = Value::Str(s.AsStr() + "\n");
  auto lines = CallMethod(ctx, text, "splitlines").ListItems();
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) rv += "\n" + ind;
      rv += lines[i].AsStr();
    }
  } else {
    if (!lines.empty()) rv = lines[0].AsStr();
    for (size_t i = 1; i < lines.size(); ++i) {
      rv += "\n";
      const std::string& l = lines[i].AsStr();
      rv += l.empty() ? l : ind + l;
    }
  }
  if (first) rv = ind + rv;
  return SameKind(s, rv);
}

Value FilterCenter(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("center", args, {"width"});
  Value s = SoftStr(ctx, in);
  return CallMethod(ctx, s, "center", {a[0] ? *a[0] : Value::Int(80)});
}

Value FilterBatch(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("batch", args, {"linecount", "fill_with"}, 1);
  int64_t n = a[0]->AsInt();
  auto fill = a[1];
  CallContext* c = &ctx;
  return LazyGenerator([=]() {
  std::vector<Value> out, cur;
  // PARITY(jinja): a full batch is flushed before the next item goes in,
  // so linecount 0 yields an empty batch first.
  for (auto& i : Items(*c, in)) {
    if (static_cast<int64_t>(cur.size()) == n) {
      out.push_back(Value::NewList(std::move(cur)));
      cur.clear();
    }
    cur.push_back(i);
  }
  if (!cur.empty()) {
    if (fill && !fill->is_none()) {
      // Python fills until memory runs out.
      if (n > (int64_t{1} << 24)) Raise("MemoryError", "batch too large");
      while (static_cast<int64_t>(cur.size()) < n) cur.push_back(*fill);
    }
    out.push_back(Value::NewList(std::move(cur)));
  }
  return out;
  }, "do_batch");
}

Value FilterSlice(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("slice", args, {"slices", "fill_with"}, 1);
  CallContext* c = &ctx;
  return LazyGenerator([=]() {
  auto seq = Items(*c, in);
  int64_t slices = a[0]->AsInt();
  if (slices <= 0) Raise("ZeroDivisionError", "integer division or modulo by zero");
  // Python builds one list per slice until memory runs out.
  if (slices > (int64_t{1} << 24)) Raise("MemoryError", "too many slices");
  int64_t length = static_cast<int64_t>(seq.size());
  int64_t per = length / slices, extra = length % slices;
  int64_t offset = 0;
  std::vector<Value> out;
  for (int64_t i = 0; i < slices; ++i) {
    int64_t start = offset + i * per;
    if (i < extra) ++offset;
    int64_t end = offset + (i + 1) * per;
    std::vector<Value> tmp(seq.begin() + start, seq.begin() + end);
    if (a[1] && !a[1]->is_none() && i >= extra) tmp.push_back(*a[1]);
    out.push_back(Value::NewList(std::move(tmp)));
  }
  return out;
  }, "sync_do_slice");
}

Value FilterReverse(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("reverse", args, {});
  if (in.is_str()) {
    std::u32string u = ToU32(in.AsStr());
    std::reverse(u.begin(), u.end());
    // PARITY(markupsafe): value[::-1] of Markup is Markup.
    return SameKind(in, FromU32(u));
  }
  if (!(in.is_list() || in.is_tuple() || in.is_dict() ||
        in.is_undefined() || in.is_object())) {
    Raise("FilterArgumentError", "argument must be iterable");
  }
  // PARITY(jinja): reversed() first, giving an iterator object for
  // sequences and dicts; only other iterables become lists.
  if (in.is_list() || in.is_tuple() || in.is_dict()) {
    std::vector<Value> rev = Iterate(in);
    std::reverse(rev.begin(), rev.end());
    std::string type = in.is_dict() ? "dict_reversekeyiterator"
                       : in.TypeName() == "range" ? "range_iterator"
                       : in.is_tuple() ? "reversed"
                       : in.is_list() && in.TypeName() == "list"
                           ? "list_reverseiterator"
                           : "";
    if (!type.empty()) {
      auto g = std::make_shared<GeneratorObj>(
          [rev]() { return rev; }, "reversed");
      g->iterator_type = type;
      return Value::FromObject(g);
    }
  }
  std::vector<Value> items;
  try {
    items = Items(ctx, in);
  } catch (TemplateException& e) {
    if (e.error.error_class != "TypeError") throw;
    Raise("FilterArgumentError", "argument must be iterable");
  }
  std::reverse(items.begin(), items.end());
  return Value::NewList(std::move(items));
}

Value FilterSum(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("sum", args, {"attribute", "start"});
  Value total = a[1] ? *a[1] : Value::Int(0);
  for (auto& i : Items(ctx, in)) {
    Value v = a[0] && !a[0]->is_none() ? SortKey(i, a[0], true) : i;
    total = BinaryOp("+", total, v);
  }
  return total;
}

Value MinMax(CallContext& ctx, const Value& in, CallArgs& args, bool max) {
  auto a = BindArgs(max ? "max" : "min", args, {"case_sensitive", "attribute"});
  bool cs = a[0] && a[0]->Truthy();
  auto items = Items(ctx, in);
  if (items.empty()) {
    return Value::UndefinedWithHint("No aggregated item, sequence was empty.");
  }
  Value best = items[0];
  Value best_key = SortKey(best, a[1], cs);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = SortKey(items[i], a[1], cs);
    if (max ? LessThan(best_key, k) : LessThan(k, best_key)) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}

Value FilterMap(CallContext& ctx, const Value& in, CallArgs& args) {
  CallContext* cp = &ctx;
  // PARITY(jinja): sync_do_map is a generator. Nothing runs until it is
  // iterated, a falsy input yields nothing ("if value:") without looking
  // at the arguments, and the arguments are checked before the input is
  // iterated.
  return LazyGenerator([cp, in, args]() {
    StrictCheck(*cp, in);
    std::vector<Value> out;
    if (!in.Truthy()) return out;
    std::optional<Value> attribute, dflt;
    std::vector<std::pair<std::string, Value>> rest_kw;
    for (auto& [k, v] : args.kwargs) {
      if (k == "attribute") {
        attribute = v;
      } else if (k == "default") {
        dflt = v;
      } else {
        rest_kw.emplace_back(k, v);
      }
    }
    if (args.args.empty() && attribute) {
      if (!rest_kw.empty()) {
        Raise("FilterArgumentError",
              "Unexpected keyword argument '" + rest_kw[0].first + "'");
      }
      for (auto& i : Items(*cp, in)) {
        Value v = SortKey(i, attribute, true);
        // make_attrgetter replaces undefined only with a default not None.
        if (v.is_undefined() && dflt && !dflt->is_none()) v = *dflt;
        out.push_back(v);
      }
      return out;
    }
    if (args.args.empty()) {
      Raise("FilterArgumentError", "map requires a filter argument");
    }
    // Any other keywords, attribute and default too, go to the filter.
    std::string name = args.args[0].ToStr();
    const NativeFilter* f = cp->environment().FindFilter(name);
    if (!f) {
      Raise("TemplateRuntimeError", "No filter named " + StrRepr(name) + ".");
    }
    CallArgs sub;
    sub.args.assign(args.args.begin() + 1, args.args.end());
    sub.kwargs = args.kwargs;
    for (auto& i : Items(*cp, in)) {
      CallArgs copy = sub;
      out.push_back((*f)(*cp, i, copy));
    }
    return out;
  }, "sync_do_map");
}

Value SelectReject(CallContext& ctx, const Value& in, CallArgs& args,
                   bool select, bool attr) {
  size_t off = 0;
  std::string attribute;
  if (attr) {
    if (args.args.empty()) Raise("FilterArgumentError", "Missing parameter "
                                                        "for attribute name");
    attribute = args.args[0].ToStr();
    off = 1;
  }
  const NativeTest* test = nullptr;
  CallArgs sub;
  if (args.args.size() > off) {
    std::string name = args.args[off].ToStr();
    test = ctx.environment().FindTest(name);
    if (!test) Raise("TemplateRuntimeError", "No test named " +
                                                 StrRepr(name) + ".");
    sub.args.assign(args.args.begin() + off + 1, args.args.end());
    sub.kwargs = args.kwargs;
  }
  CallContext* c = &ctx;
  return LazyGenerator([=]() {
    std::vector<Value> out;
    StrictCheck(*c, in);
    if (!in.Truthy()) return out;
    for (auto& i : Items(*c, in)) {
      Value v = attr ? AttrPath(i, attribute) : i;
      bool ok;
      if (test) {
        CallArgs copy = sub;
        ok = (*test)(*c, v, copy);
      } else {
        ok = v.Truthy();
      }
      if (ok == select) out.push_back(i);
    }
    return out;
  }, "select_or_reject");
}

Value FilterGroupby(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("groupby", args, {"attribute", "default",
                                      "case_sensitive"}, 1);
  bool cs = a[2] && a[2]->Truthy();
  auto items = Items(ctx, in);
  std::vector<std::pair<Value, Value>> keyed;
  for (auto& i : items) {
    Value k = SortKey(i, a[0], true);
    if (k.is_undefined() && a[1]) k = *a[1];
    keyed.emplace_back(k, i);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](auto& x, auto& y) {
    return LessThan(Lowered(x.first, cs), Lowered(y.first, cs));
  });
  std::vector<Value> out;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i;
    std::vector<Value> group;
    Value key = Lowered(keyed[i].first, cs);
    while (j < keyed.size() && Lowered(keyed[j].first, cs).Equals(key)) {
      group.push_back(keyed[j].second);
      ++j;
    }
    Value grouper = cs ? keyed[i].first : keyed[i].first;
    Value t = Value::NewTuple({cs ? grouper : keyed[i].first,
                               Value::NewList(std::move(group))});
    static_cast<ListObj*>(t.AsObject())->field_names = {"grouper", "list"};
    out.push_back(t);
    i = j;
  }
  return Value::NewList(std::move(out));
}

Value FilterAttr(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("attr", args, {"name"}, 1);
  std::string name = a[0]->ToStr();
  if (in.is_undefined()) FailUndefined(in);
  Value v = GetAttr(in, name);
  // attr() never falls back to item lookup.
  if (in.is_dict() && !v.is_undefined() && !BuiltinMethod(in, name)) {
    return Value::UndefinedWithHint("'dict object' has no attribute " +
                                    StrRepr(name));
  }
  return v;
}

Value FilterEscape(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("escape", args, {});
  if (in.is_markup()) return in;
  return Value::Markup(EscapeHtml(SoftStr(ctx, in).AsStr()));
}

Value FilterForceEscape(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("forceescape", args, {});
  return Value::Markup(EscapeHtml(in.ToStr()));
}

Value FilterSafe(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("safe", args, {});
  return Value::Markup(SoftStr(ctx, in).AsStr());
}

void JsonDump(const Value& v, std::string& out, const std::string& indent,
              int level) {
  auto nl = [&](int l) {
    if (indent.empty() && l >= 0) return;
    out += "\n";
    for (int i = 0; i < l; ++i) out += indent;
  };
  bool pretty = !indent.empty();
  switch (v.kind()) {
    case Kind::kNone:
      out += "null";
      return;
    case Kind::kBool:
      out += v.AsBool() ? "true" : "false";
      return;
    case Kind::kInt:
      out += IntToString(v, 10);
      return;
    case Kind::kFloat: {
      double d = v.AsFloat();
      if (std::isnan(d)) {
        out += "NaN";
      } else if (std::isinf(d)) {
        out += d > 0 ? "Infinity" : "-Infinity";
      } else {
        out += FloatRepr(d);
      }
      return;
    }
    case Kind::kStr: {
      out += '"';
      for (char32_t c : ToU32(v.AsStr())) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          case '\b': out += "\\b"; break;
          case '\f': out += "\\f"; break;
          // PARITY(jinja): htmlsafe_json_dumps escapes these four.
          case '<': out += "\\u003c"; break;
          case '>': out += "\\u003e"; break;
          case '&': out += "\\u0026"; break;
          case '\'': out += "\\u0027"; break;
          default:
            if (c < 0x20 || c >= 0x7f) {
              char buf[16];
              if (c >= 0x10000) {
                uint32_t x = c - 0x10000;
                snprintf(buf, sizeof(buf), "\\u%04x\\u%04x",
                         0xD800 + (x >> 10), 0xDC00 + (x & 0x3ff));
              } else {
                snprintf(buf, sizeof(buf), "\\u%04x",
                         static_cast<unsigned>(c));
              }
              out += buf;
            } else {
              out += static_cast<char>(c);
            }
        }
      }
      out += '"';
      return;
    }
    case Kind::kList:
    case Kind::kTuple: {
      if (v.TypeName() != "list" && v.TypeName() != "tuple") {
        Raise("TypeError", "Object of type " + v.TypeName() +
                               " is not JSON serializable");
      }
      const auto& items = v.ListItems();
      out += '[';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += pretty ? "," : ", ";
        if (pretty) nl(level + 1);
        JsonDump(items[i], out, indent, level + 1);
      }
      if (pretty && !items.empty()) nl(level);
      out += ']';
      return;
    }
    case Kind::kDict: {
      auto items = v.DictItems();
      for (auto& [k, val] : items) {
        if (!(k.is_str() || k.is_number() || k.is_none())) {
          Raise("TypeError", "keys must be str, int, float, bool or None, "
                             "not " + k.TypeName());
        }
      }
      auto keystr = [](const Value& k) {
        if (k.is_str()) return k.AsStr();
        if (k.is_bool()) return std::string(k.AsBool() ? "true" : "false");
        if (k.is_none()) return std::string("null");
        return k.Repr();
      };
      std::stable_sort(items.begin(), items.end(),
                       [&](const auto& x, const auto& y) {
                         return LessThan(x.first, y.first);
                       });
      out += '{';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += pretty ? "," : ", ";
        if (pretty) nl(level + 1);
        JsonDump(Value::Str(keystr(items[i].first)), out, indent, level + 1);
        out += ": ";
        JsonDump(items[i].second, out, indent, level + 1);
      }
      if (pretty && !items.empty()) nl(level);
      out += '}';
      return;
    }
    default:
      Raise("TypeError", "Object of type " + v.TypeName() +
                             " is not JSON serializable");
  }
}

Value FilterTojson(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("tojson", args, {"indent"});
  std::string indent;
  if (a[0] && !a[0]->is_none()) {
    int64_t width = a[0]->is_str() ? 0 : IntAsIndex(*a[0]);
    if (width > (int64_t{1} << 28)) {
      Raise("MemoryError", "string repetition too large");
    }
    indent = a[0]->is_str() ? a[0]->AsStr()
                            : std::string(std::max<int64_t>(0, width), ' ');
    if (a[0]->is_integral() && a[0]->AsInt() == 0) indent = "";
  }
  std::string out;
  JsonDump(in, out, indent, 0);
  return Value::Markup(out);
}

Value FilterWordcount(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("wordcount", args, {});
  std::u32string u = ToU32(SoftStr(ctx, in).AsStr());
  int64_t n = 0;
  bool in_word = false;
  for (char32_t c : u) {
    bool w = c == '_' || (c < 0x80 ? isalnum(static_cast<int>(c)) != 0
                                   : c > 0x7f);
    if (w && !in_word) ++n;
    in_word = w;
  }
  return Value::Int(n);
}

Value FilterStriptags(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("striptags", args, {});
  std::string s = SoftStr(ctx, in).AsStr();
  // PARITY(markupsafe): Markup.striptags() removes all comments first,
  // then the tags ("<a <!-- --> b>" goes whole), joins the words of
  // str.split() (Unicode whitespace) with single spaces, and decodes the
  // character references as html.unescape() does.
  auto remove = [](const std::string& text, const char* open,
                   const char* close) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      size_t b = text.find(open, i);
      size_t e = b == std::string::npos
                     ? b
                     : text.find(close, b + std::string(open).size());
      if (e == std::string::npos) {
        out.append(text, i, std::string::npos);
        break;
      }
      out.append(text, i, b - i);
      i = e + std::string(close).size();
    }
    return out;
  };
  s = remove(remove(s, "<!--", "-->"), "<", ">");
  std::string joined;
  for (const auto& word : Iterate(CallMethod(ctx, Value::Str(s), "split"))) {
    if (!joined.empty()) joined += ' ';
    joined += word.AsStr();
  }
  return Value::Str(HtmlUnescape(joined));
}

Value FilterFilesizeformat(CallContext&, const Value& in, CallArgs& args) {
  auto a = BindArgs("filesizeformat", args, {"binary"});
  bool binary = a[0] && a[0]->Truthy();
  if (in.is_undefined()) FailUndefined(in);
  double bytes;
  if (in.is_number()) {
    bytes = in.AsFloat();
  } else if (in.is_str()) {
    auto f = ParseFloat(in.AsStr());
    if (!f) Raise("ValueError", "could not convert string to float: " +
                                    StrRepr(in.AsStr()));
    bytes = *f;
  } else {
    Raise("TypeError", "float() argument must be a string or a real number, "
                       "not '" + in.TypeName() + "'");
  }
  double base = binary ? 1024 : 1000;
  static const char* kDec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* kBin[] = {"KiB", "MiB", "GiB", "TiB",
                               "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return Value::Str("1 Byte");
  if (bytes < base) {
    // int(bytes): exact for big negatives, OverflowError for -inf.
    return Value::Str(FloatToInt(bytes).ToStr() + " Bytes");
  }
  // PARITY(jinja): the units are Python ints (base ** (i + 2)), compared
  // exactly with the float: 1e24 is just below 1000 ** 8, so "1000.0 ZB".
  // Up to 1000 ** 9 the powers are exact in an x87 long double. Past the
  // last unit the value stays in YB.
  long double unit = base;
  for (int i = 0; i < 8; ++i) {
    unit *= base;
    if (static_cast<long double>(bytes) < unit || i == 7) {
      char buf[64];
      snprintf(buf, sizeof(buf), "%.1f %s",
               base * bytes / static_cast<double>(unit),
               binary ? kBin[i] : kDec[i]);
      return Value::Str(buf);
    }
  }
  return Value::Str("");
}

Value FilterUrlencode(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("urlencode", args, {});
  auto quote = [](const std::string& s, bool for_qs) {
    std::string out;
    for (unsigned char c : s) {
      if (isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' ||
          (!for_qs && c == '/')) {
        out += static_cast<char>(c);
      } else if (for_qs && c == ' ') {
        // PARITY(jinja): url_quote(for_qs=True) turns "%20" into "+".
        out += '+';
      } else {
        char buf[8];
        snprintf(buf, sizeof(buf), "%%%02X", c);
        out += buf;
      }
    }
    return out;
  };
  if (in.is_str() || in.is_number() || in.is_none()) {
    return Value::Str(quote(in.ToStr(), false));
  }
  std::vector<std::pair<Value, Value>> items;
  if (in.is_dict()) {
    items = in.DictItems();
  } else {
    for (auto& i : Items(ctx, in)) {
      auto kv = Iterate(i);
      if (kv.size() < 2) {
        Raise("ValueError", "not enough values to unpack (expected 2, got " +
                                std::to_string(kv.size()) + ")");
      }
      if (kv.size() > 2) {
        Raise("ValueError", "too many values to unpack (expected 2)");
      }
      items.emplace_back(kv[0], kv[1]);
    }
  }
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += "&";
    out += quote(items[i].first.ToStr(), true) + "=" +
           quote(items[i].second.ToStr(), true);
  }
  return Value::Str(out);
}

Value FilterXmlattr(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("xmlattr", args, {"autospace"});
  bool autospace = !a[0] || a[0]->Truthy();
  if (in.is_undefined()) FailUndefined(in);
  if (!in.is_dict()) Raise("AttributeError", "'" + in.TypeName() +
                                                 "' object has no attribute "
                                                 "'items'");
  std::string out;
  for (auto& [k, v] : in.DictItems()) {
    if (v.is_none() || v.is_undefined()) continue;
    std::string key = k.ToStr();
    for (char c : key) {
      if (c == ' ' || c == '/' || c == '>' || c == '=' || c == '\t' ||
          c == '\n' || c == '\f') {
        Raise("ValueError", "Invalid character in attribute name: " +
                                StrRepr(key));
      }
    }
    if (!out.empty()) out += " ";
    out += EscapeHtml(key) + "=\"" + ToOutput(v, true) + "\"";
  }
  if (autospace && !out.empty()) out = " " + out;
  return Value::Markup(out);
}

Value FilterWordwrap(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("wordwrap", args, {"width", "break_long_words",
                                       "wrapstring", "break_on_hyphens"});
  int64_t width = a[0] ? a[0]->AsInt() : 79;
  bool break_long = !a[1] || a[1]->Truthy();
  std::string wrap = a[2] && !a[2]->is_none() ? a[2]->ToStr() : "\n";
  if (in.is_undefined()) FailUndefined(in);
  if (!in.is_str()) {
    Raise("AttributeError", "'" + in.TypeName() +
                                "' object has no attribute 'splitlines'");
  }
  std::string s = in.AsStr();
  // Simplified textwrap: paragraphs split on newlines, words on spaces.
  std::vector<std::string> out_lines;
  auto lines = CallMethod(ctx, Value::Str(s), "splitlines").ListItems();
  for (auto& lv : lines) {
    std::u32string line = ToU32(lv.AsStr());
    std::vector<std::u32string> words;
    std::u32string cur;
    for (char32_t c : line) {
      if (c == ' ' || c == '\t') {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) words.push_back(cur);
    std::u32string acc;
    std::vector<std::u32string> wrapped;
    for (auto w : words) {
      while (break_long && static_cast<int64_t>(w.size()) > width) {
        if (!acc.empty()) {
          int64_t room = width - static_cast<int64_t>(acc.size()) - 1;
          if (room > 0) {
            acc += U" " + w.substr(0, room);
            w = w.substr(room);
          }
          wrapped.push_back(acc);
          acc.clear();
          continue;
        }
        wrapped.push_back(w.substr(0, width));
        w = w.substr(width);
      }
      if (w.empty()) continue;
      if (acc.empty()) {
        acc = w;
      } else if (static_cast<int64_t>(acc.size() + 1 + w.size()) <= width) {
        acc += U" " + w;
      } else {
        wrapped.push_back(acc);
        acc = w;
      }
    }
    if (!acc.empty()) wrapped.push_back(acc);
    // Each source line becomes one entry, empty ones included.
    std::string joined;
    for (size_t k = 0; k < wrapped.size(); ++k) {
      if (k) joined += wrap;
      joined += FromU32(wrapped[k]);
    }
    out_lines.push_back(joined);
  }
  std::string out;
  for (size_t i = 0; i < out_lines.size(); ++i) {
    if (i) out += wrap;
    out += out_lines[i];
  }
  return Value::Str(out);
}

// repr() with dict keys sorted, as pprint's sort_dicts does.
std::string SortedRepr(const Value& v) {
  if (v.is_dict()) {
    auto items = v.DictItems();
    std::stable_sort(items.begin(), items.end(), [](auto& x, auto& y) {
      return LessThan(x.first, y.first);
    });
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      out += SortedRepr(items[i].first) + ": " + SortedRepr(items[i].second);
    }
    return out + "}";
  }
  if ((v.is_list() || v.is_tuple()) &&
      (v.TypeName() == "list" || v.TypeName() == "tuple")) {
    const auto& items = v.ListItems();
    std::string out = v.is_list() ? "[" : "(";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      out += SortedRepr(items[i]);
    }
    if (v.is_tuple() && items.size() == 1) out += ",";
    return out + (v.is_list() ? "]" : ")");
  }
  return v.Repr();
}

// pprint.pformat(width=80, indent=1) for nested lists, tuples and dicts.
void PFormat(const Value& v, size_t indent, size_t allowance,
             std::string& out) {
  std::string rep = SortedRepr(v);
  bool container = (v.is_dict() || ((v.is_list() || v.is_tuple()) &&
                                    (v.TypeName() == "list" ||
                                     v.TypeName() == "tuple")));
  if (!container || rep.size() + indent + allowance <= 80) {
    out += rep;
    return;
  }
  size_t in = indent + 1;
  std::string sep = ",\n" + std::string(in, ' ');
  if (v.is_dict()) {
    auto items = v.DictItems();
    if (items.empty()) {
      out += rep;
      return;
    }
    std::stable_sort(items.begin(), items.end(), [](auto& x, auto& y) {
      return LessThan(x.first, y.first);
    });
    out += "{";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += sep;
      std::string k = SortedRepr(items[i].first);
      out += k + ": ";
      bool last = i + 1 == items.size();
      PFormat(items[i].second, in + k.size() + 2, last ? allowance + 1 : 1,
              out);
    }
    out += "}";
    return;
  }
  const auto& items = v.ListItems();
  if (items.empty()) {
    out += rep;
    return;
  }
  out += v.is_list() ? "[" : "(";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    bool last = i + 1 == items.size();
    PFormat(items[i], in, last ? allowance + 1 : 1, out);
  }
  if (v.is_tuple() && items.size() == 1) out += ",";
  out += v.is_list() ? "]" : ")";
}

Value FilterPprint(CallContext&, const Value& in, CallArgs& args) {
  BindArgs("pprint", args, {});
  std::string out;
  PFormat(in, 0, 0, out);
  return Value::Str(out);
}

}  // namespace

void RegisterBuiltinFilters(Environment& env) {
  struct Entry {
    const char* name;
    Value (*fn)(CallContext&, const Value&, CallArgs&);
  };
  static const Entry kFilters[] = {
      {"abs", FilterAbs},
      {"attr", FilterAttr},
      {"batch", FilterBatch},
      {"capitalize", FilterCapitalize},
      {"center", FilterCenter},
      {"count", FilterLength},
      {"d", FilterDefault},
      {"default", FilterDefault},
      {"dictsort", FilterDictsort},
      {"e", FilterEscape},
      {"escape", FilterEscape},
      {"filesizeformat", FilterFilesizeformat},
      {"first", FilterFirst},
      {"float", FilterFloat},
      {"forceescape", FilterForceEscape},
      {"format", FilterFormat},
      {"groupby", FilterGroupby},
      {"indent", FilterIndent},
      {"int", FilterInt},
      {"items", FilterItems},
      {"join", FilterJoin},
      {"last", FilterLast},
      {"length", FilterLength},
      {"list", FilterList},
      {"lower", FilterLower},
      {"map", FilterMap},
      {"pprint", FilterPprint},
      {"replace", FilterReplace},
      {"reverse", FilterReverse},
      {"round", FilterRound},
      {"safe", FilterSafe},
      {"slice", FilterSlice},
      {"sort", FilterSort},
      {"string", FilterString},
      {"striptags", FilterStriptags},
      {"sum", FilterSum},
      {"title", FilterTitle},
      {"tojson", FilterTojson},
      {"trim", FilterTrim},
      {"truncate", FilterTruncate},
      {"unique", FilterUnique},
      {"upper", FilterUpper},
      {"urlencode", FilterUrlencode},
      {"wordcount", FilterWordcount},
      {"wordwrap", FilterWordwrap},
      {"xmlattr", FilterXmlattr},
  };
  for (const auto& e : kFilters) env.AddFilter(e.name, e.fn);
  env.AddFilter("max", [](CallContext& c, const Value& v, CallArgs& a) {
    return MinMax(c, v, a, true);
  });
  env.AddFilter("min", [](CallContext& c, const Value& v, CallArgs& a) {
    return MinMax(c, v, a, false);
  });
  env.AddFilter("select", [](CallContext& c, const Value& v, CallArgs& a) {
    return SelectReject(c, v, a, true, false);
  });
  env.AddFilter("reject", [](CallContext& c, const Value& v, CallArgs& a) {
    return SelectReject(c, v, a, false, false);
  });
  env.AddFilter("selectattr", [](CallContext& c, const Value& v, CallArgs& a) {
    return SelectReject(c, v, a, true, true);
  });
  env.AddFilter("rejectattr", [](CallContext& c, const Value& v, CallArgs& a) {
    return SelectReject(c, v, a, false, true);
  });
}

}  // namespace tmpl
