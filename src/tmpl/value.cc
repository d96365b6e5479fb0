#include "tmpl/value.h"

#include <utf8proc.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "tmpl/bigint.h"
#include "tmpl/error.h"
#include "tmpl/value_internal.h"

namespace tmpl {

std::optional<Value> Object::GetAttr(std::string_view) { return std::nullopt; }

Value Object::Call(CallContext&, CallArgs&) {
  Raise("TypeError", "'" + TypeName() + "' object is not callable");
}

std::string Object::Str() { return Repr(); }

std::optional<std::vector<Value>> Object::Iter() { return std::nullopt; }

std::string Object::Repr() { return "<" + TypeName() + " object>"; }

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  return v;
}

Value Value::Float(double d) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.f_ = d;
  return v;
}

Value Value::Str(std::string utf8) {
  Value v;
  v.kind_ = Kind::kStr;
  v.obj_ = std::make_shared<StrObj>(std::move(utf8), false);
  return v;
}

Value Value::Markup(std::string utf8) {
  Value v;
  v.kind_ = Kind::kStr;
  v.obj_ = std::make_shared<StrObj>(std::move(utf8), true);
  return v;
}

thread_local std::vector<std::weak_ptr<Object>>* g_render_containers =
    nullptr;

Value Value::NewList(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kList;
  v.obj_ = std::make_shared<ListObj>(std::move(items));
  TrackContainer(v.obj_);
  return v;
}

Value Value::NewTuple(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kTuple;
  v.obj_ = std::make_shared<ListObj>(std::move(items));
  TrackContainer(v.obj_);
  return v;
}

Value Value::NewRange(std::vector<Value> items, Value start, Value stop,
                       Value step) {
  Value v = NewList(std::move(items));
  auto* l = static_cast<ListObj*>(v.obj_.get());
  l->py_type = "range";
  l->range_start = std::move(start);
  l->range_stop = std::move(stop);
  l->range_step = std::move(step);
  return v;
}

Value Value::NewDictView(const Value& dict, std::string view_name) {
  assert(dict.is_dict());
  Value v = NewList();
  auto* l = static_cast<ListObj*>(v.obj_.get());
  l->py_type = std::move(view_name);
  l->view_of = dict;
  l->view_version = 0;  // never a dict's version: filled on first use
  return v;
}

// Refills a dict view's items from its dict when the dict has changed.
static void SyncView(ListObj* l) {
  const auto* d = static_cast<const DictObj*>(l->view_of.AsObject());
  if (l->view_version == d->version) return;
  l->view_version = d->version;
  l->items.clear();
  l->items.reserve(d->items.size());
  for (const auto& [k, v] : d->items) {
    if (l->py_type == "dict_keys") {
      l->items.push_back(k);
    } else if (l->py_type == "dict_values") {
      l->items.push_back(v);
    } else {
      l->items.push_back(Value::NewTuple({k, v}));
    }
  }
}

Value Value::NewDict() {
  Value v;
  v.kind_ = Kind::kDict;
  v.obj_ = std::make_shared<DictObj>();
  TrackContainer(v.obj_);
  return v;
}

Value Value::Undefined(std::string name) {
  Value v;
  v.kind_ = Kind::kUndefined;
  auto u = std::make_shared<UndefinedObj>();
  u->message = "'" + name + "' is undefined";
  u->error_class = "UndefinedError";
  v.obj_ = std::move(u);
  return v;
}

Value Value::UndefinedWithHint(std::string hint, std::string error_class) {
  Value v;
  v.kind_ = Kind::kUndefined;
  auto u = std::make_shared<UndefinedObj>();
  u->message = std::move(hint);
  u->error_class = std::move(error_class);
  v.obj_ = std::move(u);
  return v;
}

Value Value::LenientUndefined(std::string hint) {
  Value v = UndefinedWithHint(std::move(hint));
  static_cast<UndefinedObj*>(v.obj_.get())->lenient = true;
  return v;
}

bool Value::is_strict_undefined(bool strict_mode) const {
  return strict_mode && kind_ == Kind::kUndefined &&
         !static_cast<UndefinedObj*>(obj_.get())->lenient;
}

Value Value::Function(std::string name, NativeFunction fn) {
  return FromObject(
      std::make_shared<FunctionObj>(std::move(name), std::move(fn)));
}

Value Value::FromObject(std::shared_ptr<Object> obj) {
  Value v;
  v.kind_ = Kind::kObject;
  v.obj_ = std::move(obj);
  return v;
}

bool Value::is_callable() const {
  return kind_ == Kind::kObject && obj_->IsCallable();
}

bool Value::is_markup() const {
  return kind_ == Kind::kStr && static_cast<StrObj*>(obj_.get())->markup;
}

double Value::AsFloat() const {
  if (kind_ == Kind::kFloat) return f_;
  if (is_big_int()) return IntToDouble(*this);
  return static_cast<double>(AsInt());
}

const std::string& Value::AsStr() const {
  assert(is_str());
  return static_cast<StrObj*>(obj_.get())->s;
}

std::vector<Value>& Value::ListItems() const {
  assert(is_list() || is_tuple());
  auto* l = static_cast<ListObj*>(obj_.get());
  if (!l->view_of.is_none()) SyncView(l);
  return l->items;
}

static DictObj* Dict(const Value& v) {
  assert(v.is_dict());
  return static_cast<DictObj*>(v.AsObject());
}

void Value::DictSet(const Value& key, Value v) const {
  Dict(*this)->Set(key, std::move(v));
}

void Value::DictSet(std::string_view key, Value v) const {
  Dict(*this)->Set(Value::Str(std::string(key)), std::move(v));
}

std::optional<Value> Value::DictGet(const Value& key) const {
  return Dict(*this)->Get(key);
}

std::optional<Value> Value::DictGet(std::string_view key) const {
  return Dict(*this)->Get(Value::Str(std::string(key)));
}

bool Value::DictErase(const Value& key) const {
  return Dict(*this)->Erase(key);
}

size_t Value::DictSize() const { return Dict(*this)->items.size(); }

std::vector<std::pair<Value, Value>> Value::DictItems() const {
  return Dict(*this)->items;
}

std::string Value::UndefinedMessage() const {
  return static_cast<UndefinedObj*>(obj_.get())->message;
}

std::string Value::UndefinedClass() const {
  return static_cast<UndefinedObj*>(obj_.get())->error_class;
}

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kNone:
    case Kind::kUndefined:
      return false;
    case Kind::kBool:
      return b_;
    case Kind::kInt:
      return i_ != 0;
    case Kind::kFloat:
      return f_ != 0.0;
    case Kind::kStr:
      return !AsStr().empty();
    case Kind::kList:
    case Kind::kTuple:
      return !ListItems().empty();
    case Kind::kDict:
      return DictSize() != 0;
    case Kind::kObject:
      return obj_->Truthy();
  }
  return false;
}

std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";

  // Shortest round-trip digits, then laid out the way Python's repr does:
  // positional for exponents in [-4, 16), scientific otherwise.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d,
                           std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  std::string digits;
  for (char c : mant) {
    if (c != '.') digits += c;
  }
  int decpt = exp + 1;
  std::string out = neg ? "-" : "";
  int n = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(-decpt, '0') + digits;
    } else if (decpt < n) {
      out += digits.substr(0, decpt) + "." + digits.substr(decpt);
    } else {
      out += digits + std::string(decpt - n, '0') + ".0";
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (n > 1) out += "." + digits.substr(1);
  out += 'e';
  out += exp < 0 ? '-' : '+';
  int ae = exp < 0 ? -exp : exp;
  if (ae < 10) out += '0';
  out += std::to_string(ae);
  return out;
}

bool IsPrintable(char32_t cp) {
  if (cp == ' ') return true;
  switch (utf8proc_category(static_cast<int32_t>(cp))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS:
      return false;
    default:
      return true;
  }
}

std::string StrRepr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t len = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p + i, len - i, &cp);
    if (n <= 0) {  // invalid byte: show it escaped, as surrogateescape does
      char b[8];
      snprintf(b, sizeof(b), "\\x%02x", p[i]);
      out += b;
      ++i;
      continue;
    }
    if (cp == quote || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x7f && cp >= 0x20) {
      out += static_cast<char>(cp);
    } else if (IsPrintable(cp)) {
      out.append(s.data() + i, n);
    } else {
      char b[16];
      if (cp < 0x100) {
        snprintf(b, sizeof(b), "\\x%02x", cp);
      } else if (cp < 0x10000) {
        snprintf(b, sizeof(b), "\\u%04x", cp);
      } else {
        snprintf(b, sizeof(b), "\\U%08x", cp);
      }
      out += b;
    }
    i += n;
  }
  out += quote;
  return out;
}

std::string Value::ToStr() const {
  switch (kind_) {
    case Kind::kUndefined:
      return "";
    case Kind::kStr:
      return AsStr();
    case Kind::kObject:
      return obj_->Str();
    default:
      return Repr();
  }
}

namespace {

// Containers being printed, so a list that contains itself prints as
// [...] (as Python's reprlib guard does) instead of recursing forever.
thread_local std::vector<const Object*> repr_stack;

struct ReprGuard {
  explicit ReprGuard(const Object* o) : active(true) {
    for (const Object* s : repr_stack) {
      if (s == o) active = false;
    }
    if (active) repr_stack.push_back(o);
  }
  ~ReprGuard() {
    if (active) repr_stack.pop_back();
  }
  bool active;
};

}  // namespace

std::string Value::Repr() const {
  switch (kind_) {
    case Kind::kNone:
      return "None";
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kBool:
      return b_ ? "True" : "False";
    case Kind::kInt:
      return obj_ ? obj_->Repr() : std::to_string(i_);
    case Kind::kFloat:
      return FloatRepr(f_);
    case Kind::kStr:
      if (is_markup()) return "Markup(" + StrRepr(AsStr()) + ")";
      return StrRepr(AsStr());
    case Kind::kList:
    case Kind::kTuple: {
      bool list = kind_ == Kind::kList;
      const auto* lo = static_cast<ListObj*>(obj_.get());
      ReprGuard guard(lo);
      if (!guard.active) {
        if (!lo->view_of.is_none()) return "...";  // as Python's dict view repr
        return list ? "[...]" : "(...)";
      }
      if (repr_stack.size() > 200) {
        Raise("RecursionError", "maximum recursion depth exceeded while "
                                "getting the repr of an object");
      }
      if (lo->py_type == "range") {
        std::string r = "range(" + lo->range_start.Repr() + ", " +
                        lo->range_stop.Repr();
        if (!lo->range_step.Equals(Value::Int(1))) {
          r += ", " + lo->range_step.Repr();
        }
        return r + ")";
      }
      if (!lo->py_type.empty()) {
        std::string out = lo->py_type + "([";
        const auto& items = ListItems();
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) out += ", ";
          out += items[i].Repr();
        }
        return out + "])";
      }
      std::string out = list ? "[" : "(";
      const auto& items = ListItems();
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i].Repr();
      }
      if (!list && items.size() == 1) out += ",";
      out += list ? "]" : ")";
      return out;
    }
    case Kind::kDict: {
      ReprGuard guard(obj_.get());
      if (!guard.active) return "{...}";
      if (repr_stack.size() > 200) {
        Raise("RecursionError", "maximum recursion depth exceeded while "
                                "getting the repr of an object");
      }
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : Dict(*this)->items) {
        if (!first) out += ", ";
        first = false;
        out += k.Repr() + ": " + v.Repr();
      }
      return out + "}";
    }
    case Kind::kObject:
      return obj_->Repr();
  }
  return "";
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kNone:
      return "NoneType";
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kStr:
      return is_markup() ? "Markup" : "str";
    case Kind::kList: {
      const auto* lo = static_cast<ListObj*>(obj_.get());
      return lo->py_type.empty() ? "list" : lo->py_type;
    }
    case Kind::kTuple:
      return "tuple";
    case Kind::kDict:
      return "dict";
    case Kind::kObject:
      return obj_->TypeName();
  }
  return "object";
}

bool Value::Equals(const Value& o) const {
  thread_local int depth = 0;
  struct Depth {
    Depth() {
      if (++depth > 200) {
        --depth;
        Raise("RecursionError", "maximum recursion depth exceeded in "
                                "comparison");
      }
    }
    ~Depth() { --depth; }
  } guard;
  // PARITY(python): containers compare elements identity-first.
  if (obj_ && obj_ == o.obj_ && kind_ == o.kind_) return true;
  if (is_number() && o.is_number()) {
    if (is_float() && o.is_float()) return f_ == o.f_;
    // PARITY(python): int and float compare exactly, never through a
    // rounded conversion (2**53 + 1 != 2.0**53).
    if (is_float()) return IntFloatCompare(o, f_) == 0;
    if (o.is_float()) return IntFloatCompare(*this, o.f_) == 0;
    if (obj_ || o.obj_) return IntCompare(*this, o) == 0;
    return AsInt() == o.AsInt();
  }
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kNone:
    case Kind::kUndefined:
      return true;
    case Kind::kStr:
      return AsStr() == o.AsStr();
    case Kind::kList:
    case Kind::kTuple: {
      const auto& a = ListItems();
      const auto& b = o.ListItems();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].Equals(b[i])) return false;
      }
      return true;
    }
    case Kind::kDict: {
      if (DictSize() != o.DictSize()) return false;
      for (const auto& [k, v] : Dict(*this)->items) {
        auto other = o.DictGet(k);
        if (!other || !other->Equals(v)) return false;
      }
      return true;
    }
    default:
      return obj_ == o.obj_;
  }
}

size_t Value::Hash() const {
  switch (kind_) {
    case Kind::kNone:
      return 0x9e3779b9;
    case Kind::kBool:
    case Kind::kInt:
      if (obj_) return BigIntHash(*this);
      return std::hash<int64_t>()(AsInt());
    case Kind::kFloat: {
      // Integral floats in int64 range hash as that int; beyond it as the
      // double, which BigIntHash matches.
      double ip;
      if (std::modf(f_, &ip) == 0.0 && f_ >= -9223372036854775808.0 &&
          f_ < 9223372036854775808.0) {
        return std::hash<int64_t>()(static_cast<int64_t>(f_));
      }
      return std::hash<double>()(f_);
    }
    case Kind::kStr:
      return std::hash<std::string>()(AsStr());
    case Kind::kTuple: {
      size_t h = 0x345678;
      for (const auto& item : ListItems()) h = h * 1000003 ^ item.Hash();
      return h;
    }
    case Kind::kList:
      if (TypeName() == "range") {
        size_t h = 0x52414e47;
        for (const auto& item : ListItems()) h = h * 1000003 ^ item.Hash();
        return h;
      }
      [[fallthrough]];
    case Kind::kDict:
      Raise("TypeError", "unhashable type: '" + TypeName() + "'");
    default:
      return std::hash<const void*>()(obj_.get());
  }
}

std::optional<size_t> DictObj::Find(const Value& key) const {
  if (items.size() > kIndexFrom) {
    auto it = index.find(key);
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
  // Unhashable keys raise as the index's hashing would.
  if (!key.is_str() && !key.is_number() && !key.is_none()) key.Hash();
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].first.Equals(key)) return i;
  return std::nullopt;
}

void DictObj::Reindex() {
  index.clear();
  if (items.size() <= kIndexFrom) return;
  index.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].first, i);
}

void DictObj::Set(const Value& key, Value v) {
  ++version;
  if (auto i = Find(key)) {
    items[*i].second = std::move(v);
    return;
  }
  if (items.empty()) items.reserve(4);  // one allocation for most dicts
  items.emplace_back(key, std::move(v));
  if (items.size() == kIndexFrom + 1) {
    Reindex();
  } else if (items.size() > kIndexFrom + 1) {
    index.emplace(key, items.size() - 1);
  }
}

std::optional<Value> DictObj::Get(const Value& key) const {
  auto i = Find(key);  // raises for an unhashable key
  if (!i) return std::nullopt;
  return items[*i].second;
}

bool DictObj::Erase(const Value& key) {
  auto i = Find(key);
  if (!i) return false;
  ++version;
  items.erase(items.begin() + *i);
  Reindex();
  return true;
}

Value FunctionObj::Call(CallContext& ctx, CallArgs& args) {
  return fn(ctx, args);
}

std::string FunctionObj::Repr() {
  return "<function " + name + ">";
}

}  // namespace tmpl
