// Methods of str, list, dict and number values ('a'.upper(), x.append(1),
// n.bit_length(), ...).
#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "tmpl/args.h"
#include "tmpl/bigint.h"
#include "tmpl/environment.h"
#include "tmpl/html_unescape.h"
#include "tmpl/ops.h"
#include "tmpl/unicode_case.h"
#include "tmpl/value_internal.h"

namespace tmpl {
namespace {

using Method = Value (*)(const Value& self, CallArgs& args);

class MethodObj : public Object {
 public:
  MethodObj(Value self, std::string name, Method fn)
      : self_(std::move(self)), name_(std::move(name)), fn_(fn) {}
  std::string TypeName() const override {
    return "builtin_function_or_method";
  }
  bool IsCallable() const override { return true; }
  Value Call(CallContext&, CallArgs& args) override { return fn_(self_, args); }
  std::string Repr() override {
    return "<built-in method " + name_ + " of " + self_.TypeName() +
           " object>";
  }

 private:
  Value self_;
  std::string name_;
  Method fn_;
};

const std::string& S(const Value& v) { return v.AsStr(); }

std::string StrArg(const std::optional<Value>& v, const char* what) {
  if (!v->is_str()) {
    Raise("TypeError", std::string(what) + " arg must be None or str");
  }
  return v->AsStr();
}

// BindArgs for Python's positional-only methods (most of str's, list's and
// dict's): a keyword argument is a TypeError, as in Python.
std::vector<std::optional<Value>> BindPositional(
    const std::string& fname, const std::string& type, const CallArgs& args,
    std::initializer_list<const char*> names, size_t required = 0) {
  if (!args.kwargs.empty()) {
    Raise("TypeError", type + "." + fname + "() takes no keyword arguments");
  }
  return BindArgs(fname, args, names, required);
}

// An int argument (width, count, index); a big one raises OverflowError.
int64_t IntArg(const Value& v) {
  if (!v.is_integral()) {
    Raise("TypeError", "'" + v.TypeName() +
                           "' object cannot be interpreted as an integer");
  }
  return IntAsSsize(v);
}

// A start/end argument of find, startswith, list.index, ...: an int
// (clamped when big, as Python's slice indices are) or, where allowed,
// None for `dflt`.
int64_t SliceArg(const std::optional<Value>& v, int64_t dflt,
                 bool none_ok = true) {
  if (!v || (none_ok && v->is_none())) return dflt;
  if (!v->is_integral()) {
    Raise("TypeError", none_ok ? "slice indices must be integers or None or "
                                 "have an __index__ method"
                               : "slice indices must be integers or have an "
                                 "__index__ method");
  }
  if (v->is_big_int()) {
    return IntSign(*v) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
  }
  return v->AsInt();
}

// PARITY(python): ADJUST_INDICES of str's find and startswith: negative
// indices count from the end, end is clamped to n, start is not (so a
// start past the end finds nothing, not even '').
void AdjustIndices(int64_t& start, int64_t& end, int64_t n) {
  if (end > n) {
    end = n;
  } else if (end < 0) {
    end = std::max<int64_t>(0, end + n);
  }
  if (start < 0) start = std::max<int64_t>(0, start + n);
}

bool IsPySpace(char32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) ||
      c == 0x85) {
    return true;
  }
  auto cat = utf8proc_category(static_cast<int32_t>(c));
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}

bool IsAlpha(char32_t c) {
  auto cat = utf8proc_category(static_cast<int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool IsDecimalCp(char32_t c) {
  return unicode::GetNumericType(c) == unicode::NumericType::kDecimal;
}

bool IsDigitCp(char32_t c) {
  auto t = unicode::GetNumericType(c);
  return t == unicode::NumericType::kDecimal ||
         t == unicode::NumericType::kDigit;
}

bool IsNumericCp(char32_t c) {
  return unicode::GetNumericType(c) != unicode::NumericType::kNone;
}

Value Strip(const Value& self, CallArgs& args, int mode) {
  const char* fname = mode == 3 ? "strip" : mode == 1 ? "lstrip" : "rstrip";
  auto a = BindPositional(fname, "str", args, {"chars"});
  std::u32string u = ToU32(S(self));
  std::u32string chars;
  bool ws = !a[0] || a[0]->is_none();
  if (!ws) chars = ToU32(StrArg(a[0], fname));
  auto strip_it = [&](char32_t c) {
    return ws ? IsPySpace(c) : chars.find(c) != std::u32string::npos;
  };
  size_t b = 0, e = u.size();
  if (mode & 1) {
    while (b < e && strip_it(u[b])) ++b;
  }
  if (mode & 2) {
    while (e > b && strip_it(u[e - 1])) --e;
  }
  return Value::Str(FromU32(u.substr(b, e - b)));
}

Value Split(const Value& self, CallArgs& args, bool right) {
  auto a = BindArgs(right ? "rsplit" : "split", args, {"sep", "maxsplit"});
  int64_t maxsplit = a[1] ? IntArg(*a[1]) : -1;
  const std::string& s = S(self);
  std::vector<Value> out;
  if (!a[0] || a[0]->is_none()) {
    std::u32string u = ToU32(s);
    std::vector<std::u32string> parts;
    if (!right) {
      size_t i = 0;
      while (true) {
        while (i < u.size() && IsPySpace(u[i])) ++i;
        if (i >= u.size()) break;
        // PARITY(python): the rest after maxsplit splits keeps its
        // trailing whitespace (rsplit: its leading whitespace).
        if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) {
          parts.push_back(u.substr(i));
          break;
        }
        size_t j = i;
        while (j < u.size() && !IsPySpace(u[j])) ++j;
        parts.push_back(u.substr(i, j - i));
        i = j;
      }
    } else {
      int64_t i = static_cast<int64_t>(u.size());
      while (true) {
        while (i > 0 && IsPySpace(u[i - 1])) --i;
        if (i <= 0) break;
        if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) {
          parts.push_back(u.substr(0, i));
          break;
        }
        int64_t j = i;
        while (j > 0 && !IsPySpace(u[j - 1])) --j;
        parts.push_back(u.substr(j, i - j));
        i = j;
      }
      std::reverse(parts.begin(), parts.end());
    }
    for (auto& p : parts) out.push_back(Value::Str(FromU32(p)));
    return Value::NewList(std::move(out));
  }
  std::string sep = StrArg(a[0], "split");
  if (sep.empty()) Raise("ValueError", "empty separator");
  std::vector<std::string> parts;
  if (!right) {
    size_t i = 0;
    while (true) {
      size_t j = s.find(sep, i);
      if (j == std::string::npos ||
          (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit)) {
        parts.push_back(s.substr(i));
        break;
      }
      parts.push_back(s.substr(i, j - i));
      i = j + sep.size();
    }
  } else {
    size_t end = s.size();
    while (true) {
      size_t j = end >= sep.size() ? s.rfind(sep, end - sep.size())
                                   : std::string::npos;
      if (j == std::string::npos ||
          (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit)) {
        parts.push_back(s.substr(0, end));
        break;
      }
      parts.push_back(s.substr(j + sep.size(), end - j - sep.size()));
      end = j;
    }
    std::reverse(parts.begin(), parts.end());
  }
  for (auto& p : parts) out.push_back(Value::Str(p));
  return Value::NewList(std::move(out));
}

Value AffixTest(const Value& self, CallArgs& args, bool start) {
  std::string fname = start ? "startswith" : "endswith";
  auto a = BindPositional(fname, "str", args, {"prefix", "start", "end"}, 1);
  std::u32string u = ToU32(S(self));
  int64_t n = static_cast<int64_t>(u.size());
  int64_t b = SliceArg(a[1], 0), e = SliceArg(a[2], n);
  AdjustIndices(b, e, n);
  auto test = [&](const Value& p, bool in_tuple) {
    if (!p.is_str()) {
      Raise("TypeError", in_tuple ? "tuple for " + fname +
                                        " must only contain str, not " +
                                        p.TypeName()
                                  : fname + " first arg must be str or a "
                                            "tuple of str, not " +
                                        p.TypeName());
    }
    std::u32string x = ToU32(p.AsStr());
    int64_t len = static_cast<int64_t>(x.size());
    if (e - len < b) return false;
    return u.compare(start ? b : e - len, len, x) == 0;
  };
  if (a[0]->is_tuple()) {
    for (const auto& p : a[0]->ListItems()) {
      if (test(p, true)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  return Value::Bool(test(*a[0], false));
}

// Python's str.expandtabs(): each tab becomes spaces up to the next
// multiple of tabsize; the column restarts after '\n' and '\r'.
Value ExpandTabs(const Value& self, CallArgs& args) {
  auto a = BindArgs("expandtabs", args, {"tabsize"});
  int64_t tab = a[0] ? IntArg(*a[0]) : 8;
  std::u32string out;
  int64_t col = 0;
  for (char32_t c : ToU32(S(self))) {
    if (c == '\t') {
      if (tab > 0) {
        int64_t k = tab - col % tab;
        if (out.size() + k > (size_t{1} << 30)) {
          Raise("OverflowError", "new string is too long");
        }
        out.append(k, U' ');
        col += k;
      }
      continue;
    }
    out.push_back(c);
    col = c == '\n' || c == '\r' ? 0 : col + 1;
  }
  return Value::Str(FromU32(out));
}

// Python's str.translate(table) for a dict table: a code point that is a
// key maps to its value (str, code point int, or None to delete).
Value Translate(const Value& self, CallArgs& args) {
  auto a = BindPositional("translate", "str", args, {"table"}, 1);
  const Value& table = *a[0];
  if (!table.is_dict() && !table.is_list() && !table.is_tuple() &&
      !table.is_str()) {
    Raise("TypeError", "'" + table.TypeName() +
                           "' object is not subscriptable");
  }
  std::u32string out;
  for (char32_t c : ToU32(S(self))) {
    Value key = Value::Int(static_cast<int64_t>(c));
    std::optional<Value> v;
    if (table.is_dict()) {
      v = table.DictGet(key);
    } else {
      // Sequences index by code point; past the end is a LookupError,
      // which keeps the character.
      Value got = GetItem(table, key);
      if (!got.is_undefined()) v = got;
    }
    if (!v) {
      out.push_back(c);
    } else if (v->is_none()) {
      continue;
    } else if (v->is_str()) {
      out += ToU32(v->AsStr());
    } else if (v->is_integral()) {
      if (v->is_big_int() || v->AsInt() < 0 || v->AsInt() > 0x10FFFF) {
        Raise("ValueError", "character mapping must be in range(0x110000)");
      }
      out.push_back(static_cast<char32_t>(v->AsInt()));
    } else {
      Raise("TypeError", "character mapping must return integer, None or "
                         "str");
    }
  }
  return Value::Str(FromU32(out));
}

Value StrReplace(const Value& self, CallArgs& args) {
  auto a = BindPositional("replace", "str", args, {"old", "new", "count"}, 2);
  std::string old = StrArg(a[0], "replace");
  std::string repl = StrArg(a[1], "replace");
  int64_t count = a[2] ? IntArg(*a[2]) : -1;
  const std::string& s = S(self);
  std::string out;
  if (old.empty()) {
    // Python inserts the replacement between every character.
    std::u32string u = ToU32(s);
    int64_t done = 0;
    for (size_t i = 0; i <= u.size(); ++i) {
      if (count < 0 || done < count) {
        out += repl;
        ++done;
      }
      if (i < u.size()) out += FromU32(u.substr(i, 1));
    }
    return Value::Str(out);
  }
  size_t i = 0;
  int64_t done = 0;
  while (true) {
    size_t j = s.find(old, i);
    if (j == std::string::npos || (count >= 0 && done >= count)) {
      out += s.substr(i);
      break;
    }
    out += s.substr(i, j - i) + repl;
    i = j + old.size();
    ++done;
  }
  return Value::Str(out);
}

Value Title(const std::string& s) {
  return Value::Str(FromU32(unicode::Title(ToU32(s))));
}

Value CallStr(const Value& self, const std::string& name, CallArgs& args) {
  const std::string& s = S(self);
  auto none = [&](const char* n) { BindArgs(n, args, {}); };
  if (name == "upper" || name == "lower") {
    none(name.c_str());
    std::u32string u = ToU32(s);
    return Value::Str(FromU32(name == "upper" ? unicode::Upper(u)
                                              : unicode::Lower(u)));
  }
  if (name == "casefold") {
    none("casefold");
    return Value::Str(FromU32(unicode::CaseFold(ToU32(s))));
  }
  if (name == "strip") return Strip(self, args, 3);
  if (name == "lstrip") return Strip(self, args, 1);
  if (name == "rstrip") return Strip(self, args, 2);
  if (name == "split") return Split(self, args, false);
  if (name == "rsplit") return Split(self, args, true);
  if (name == "startswith") return AffixTest(self, args, true);
  if (name == "endswith") return AffixTest(self, args, false);
  if (name == "replace") return StrReplace(self, args);
  if (name == "expandtabs") return ExpandTabs(self, args);
  if (name == "translate") return Translate(self, args);
  if (name == "format") return Value::Str(StrFormat(s, args));
  if (name == "format_map") {
    // The mapping's str keys serve the named fields.
    auto a = BindPositional("format_map", "str", args, {"mapping"}, 1);
    CallArgs fields;
    if (a[0]->is_dict()) {
      for (auto& [k, v] : a[0]->DictItems()) {
        if (k.is_str()) fields.kwargs.emplace_back(k.AsStr(), v);
      }
    }
    return Value::Str(StrFormat(s, fields));
  }
  if (name == "join") {
    auto a = BindPositional("join", "str", args, {"iterable"}, 1);
    std::string out;
    bool first = true;
    for (const auto& item : Iterate(*a[0])) {
      if (!item.is_str()) {
        Raise("TypeError", "sequence item: expected str instance, " +
                               item.TypeName() + " found");
      }
      if (!first) out += s;
      first = false;
      out += item.AsStr();
    }
    return Value::Str(out);
  }
  if (name == "title") {
    none("title");
    return Title(s);
  }
  if (name == "capitalize") {
    none("capitalize");
    return Value::Str(FromU32(unicode::Capitalize(ToU32(s))));
  }
  if (name == "swapcase") {
    none("swapcase");
    return Value::Str(FromU32(unicode::SwapCase(ToU32(s))));
  }
  if (name == "find" || name == "rfind" || name == "index" ||
      name == "rindex" || name == "count") {
    auto a = BindPositional(name, "str", args, {"sub", "start", "end"}, 1);
    std::u32string u = ToU32(s);
    std::u32string sub = ToU32(StrArg(a[0], name.c_str()));
    int64_t n = static_cast<int64_t>(u.size());
    int64_t b = SliceArg(a[1], 0), e = SliceArg(a[2], n);
    AdjustIndices(b, e, n);
    std::u32string hay = b <= e ? u.substr(b, e - b) : std::u32string();
    if (name == "count") {
      if (b > e) return Value::Int(0);
      if (sub.empty()) return Value::Int(static_cast<int64_t>(hay.size()) + 1);
      int64_t c = 0;
      size_t i = 0;
      while ((i = hay.find(sub, i)) != std::u32string::npos) {
        ++c;
        i += sub.size();
      }
      return Value::Int(c);
    }
    size_t pos = b > e ? std::u32string::npos
                 : name[0] == 'r' ? hay.rfind(sub) : hay.find(sub);
    if (pos == std::u32string::npos) {
      if (name == "index" || name == "rindex") {
        Raise("ValueError", "substring not found");
      }
      return Value::Int(-1);
    }
    return Value::Int(static_cast<int64_t>(pos) + b);
  }
  if (name == "splitlines") {
    auto a = BindArgs("splitlines", args, {"keepends"});
    bool keep = a[0] && a[0]->Truthy();
    std::u32string u = ToU32(s);
    std::vector<Value> out;
    size_t i = 0, start = 0;
    while (i < u.size()) {
      char32_t c = u[i];
      bool brk = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c ||
                 c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85 ||
                 c == 0x2028 || c == 0x2029;
      if (!brk) {
        ++i;
        continue;
      }
      size_t end = i + 1;
      if (c == '\r' && end < u.size() && u[end] == '\n') ++end;
      out.push_back(Value::Str(FromU32(u.substr(start, (keep ? end : i) -
                                                           start))));
      i = start = end;
    }
    if (start < u.size()) out.push_back(Value::Str(FromU32(u.substr(start))));
    return Value::NewList(std::move(out));
  }
  if (name == "partition" || name == "rpartition") {
    auto a = BindPositional(name, "str", args, {"sep"}, 1);
    std::string sep = StrArg(a[0], name.c_str());
    if (sep.empty()) Raise("ValueError", "empty separator");
    size_t p = name[0] == 'r' ? s.rfind(sep) : s.find(sep);
    if (p == std::string::npos) {
      if (name[0] == 'r') {
        return Value::NewTuple({Value::Str(""), Value::Str(""), self});
      }
      return Value::NewTuple({self, Value::Str(""), Value::Str("")});
    }
    return Value::NewTuple({Value::Str(s.substr(0, p)), Value::Str(sep),
                            Value::Str(s.substr(p + sep.size()))});
  }
  if (name == "removeprefix" || name == "removesuffix") {
    auto a = BindPositional(name, "str", args, {"affix"}, 1);
    std::string x = StrArg(a[0], name.c_str());
    if (name == "removeprefix" && s.compare(0, x.size(), x) == 0) {
      return Value::Str(s.substr(x.size()));
    }
    if (name == "removesuffix" && !x.empty() && s.size() >= x.size() &&
        s.compare(s.size() - x.size(), x.size(), x) == 0) {
      return Value::Str(s.substr(0, s.size() - x.size()));
    }
    return Value::Str(s);
  }
  if (name == "center" || name == "ljust" || name == "rjust") {
    auto a = BindPositional(name, "str", args, {"width", "fillchar"}, 1);
    std::u32string u = ToU32(s);
    int64_t w = IntArg(*a[0]);
    if (a[1] && !a[1]->is_str()) {
      Raise("TypeError", "The fill character must be a unicode character, "
                         "not " + a[1]->TypeName());
    }
    std::u32string fill = a[1] ? ToU32(a[1]->AsStr()) : U" ";
    if (fill.size() != 1) {
      Raise("TypeError", "The fill character must be exactly one character "
                         "long");
    }
    int64_t n = static_cast<int64_t>(u.size());
    if (w <= n) return Value::Str(s);
    int64_t pad = w - n;
    int64_t left = name == "ljust" ? 0 : name == "rjust" ? pad
                   // PARITY(python): center puts the odd space on the left
                   // when the width is odd.
                   : pad / 2 + (pad & w & 1);
    return Value::Str(FromU32(std::u32string(left, fill[0]) + u +
                              std::u32string(pad - left, fill[0])));
  }
  if (name == "zfill") {
    auto a = BindPositional("zfill", "str", args, {"width"}, 1);
    std::u32string u = ToU32(s);
    int64_t w = IntArg(*a[0]);
    int64_t n = static_cast<int64_t>(u.size());
    if (w <= n) return Value::Str(s);
    size_t at = (!u.empty() && (u[0] == '+' || u[0] == '-')) ? 1 : 0;
    u.insert(at, std::u32string(w - n, U'0'));
    return Value::Str(FromU32(u));
  }
  if (name.size() > 2 && name.compare(0, 2, "is") == 0) {
    none(name.c_str());
    std::u32string u = ToU32(s);
    auto all = [&](auto pred) {
      if (u.empty()) return false;
      for (char32_t c : u) {
        if (!pred(c)) return false;
      }
      return true;
    };
    if (name == "isdecimal") return Value::Bool(all(IsDecimalCp));
    if (name == "isdigit") return Value::Bool(all(IsDigitCp));
    if (name == "isnumeric") return Value::Bool(all(IsNumericCp));
    if (name == "isalpha") return Value::Bool(all(IsAlpha));
    if (name == "isalnum") {
      return Value::Bool(all([](char32_t c) {
        return IsAlpha(c) || IsNumericCp(c);
      }));
    }
    if (name == "isprintable") {
      return Value::Bool(u.empty() || all(IsPrintable));
    }
    if (name == "isidentifier") {
      if (u.empty() || (u[0] != '_' && !unicode::IsXidStart(u[0]))) {
        return Value::Bool(false);
      }
      return Value::Bool(std::all_of(u.begin() + 1, u.end(),
                                     unicode::IsXidContinue));
    }
    if (name == "isspace") return Value::Bool(all(IsPySpace));
    if (name == "isascii") {
      for (char32_t c : u) {
        if (c > 0x7f) return Value::Bool(false);
      }
      return Value::Bool(true);
    }
    if (name == "islower" || name == "isupper") {
      // Python: no character of the other case (or titlecase), and at
      // least one of this case.
      bool lower = name == "islower";
      bool any = false;
      for (char32_t c : u) {
        if (unicode::IsTitlecase(c) ||
            (lower ? unicode::IsUppercase(c) : unicode::IsLowercase(c))) {
          return Value::Bool(false);
        }
        if (lower ? unicode::IsLowercase(c) : unicode::IsUppercase(c)) {
          any = true;
        }
      }
      return Value::Bool(any);
    }
    if (name == "istitle") {
      // Python: upper/titlecase only after uncased characters, lowercase
      // only after cased ones, and at least one cased character.
      bool any = false, prev_cased = false;
      for (char32_t c : u) {
        if (unicode::IsUppercase(c) || unicode::IsTitlecase(c)) {
          if (prev_cased) return Value::Bool(false);
          prev_cased = any = true;
        } else if (unicode::IsLowercase(c)) {
          if (!prev_cased) return Value::Bool(false);
          prev_cased = any = true;
        } else {
          prev_cased = false;
        }
      }
      return Value::Bool(any);
    }
  }
  Raise("AttributeError", "'str' object has no attribute '" + name + "'");
}

Value CallList(const Value& self, const std::string& name, CallArgs& args) {
  auto& items = self.ListItems();
  bool tuple = self.is_tuple();
  if (name == "index" || name == "count") {
    std::string type = tuple ? "tuple" : "list";
    auto a = name == "index"
                 ? BindPositional(name, type, args, {"value", "start", "stop"},
                                  1)
                 : BindPositional(name, type, args, {"value"}, 1);
    // PARITY(python): list.index's start and stop count from the end
    // when negative and are clamped, as slice bounds; None is refused.
    int64_t n = static_cast<int64_t>(items.size());
    int64_t b = SliceArg(a.size() > 1 ? a[1] : std::nullopt, 0, false);
    int64_t e = SliceArg(a.size() > 1 ? a[2] : std::nullopt, n, false);
    if (b < 0) b = std::max<int64_t>(0, b + n);
    if (e < 0) e = std::max<int64_t>(0, e + n);
    int64_t c = 0;
    for (size_t i = b; static_cast<int64_t>(i) < std::min(e, n); ++i) {
      if (items[i].Equals(*a[0])) {
        if (name == "index") return Value::Int(static_cast<int64_t>(i));
        ++c;
      }
    }
    if (name == "index") {
      Raise("ValueError", tuple ? "tuple.index(x): x not in tuple"
                                : a[0]->Repr() + " is not in list");
    }
    return Value::Int(c);
  }
  if (!tuple) {
    if (name == "append") {
      auto a = BindPositional("append", "list", args, {"object"}, 1);
      items.push_back(*a[0]);
      return Value();
    }
    if (name == "extend") {
      auto a = BindPositional("extend", "list", args, {"iterable"}, 1);
      auto more = Iterate(*a[0]);
      items.insert(items.end(), more.begin(), more.end());
      return Value();
    }
    if (name == "insert") {
      auto a = BindPositional("insert", "list", args, {"index", "object"}, 2);
      int64_t n = static_cast<int64_t>(items.size());
      int64_t i = IntArg(*a[0]);
      if (i < 0) i = std::max<int64_t>(0, i + n);
      if (i > n) i = n;
      items.insert(items.begin() + i, *a[1]);
      return Value();
    }
    if (name == "pop") {
      auto a = BindPositional("pop", "list", args, {"index"});
      int64_t i = a[0] ? IntArg(*a[0]) : -1;
      if (items.empty()) Raise("IndexError", "pop from empty list");
      int64_t n = static_cast<int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) Raise("IndexError", "pop index out of range");
      Value v = items[i];
      items.erase(items.begin() + i);
      return v;
    }
    if (name == "remove") {
      auto a = BindPositional("remove", "list", args, {"value"}, 1);
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].Equals(*a[0])) {
          items.erase(items.begin() + i);
          return Value();
        }
      }
      Raise("ValueError", "list.remove(x): x not in list");
    }
    if (name == "reverse") {
      BindArgs("reverse", args, {});
      std::reverse(items.begin(), items.end());
      return Value();
    }
    if (name == "clear") {
      BindArgs("clear", args, {});
      items.clear();
      return Value();
    }
    if (name == "copy") {
      BindArgs("copy", args, {});
      return Value::NewList(items);
    }
    if (name == "sort") {
      auto a = BindArgs("sort", args, {"reverse"});
      if (!args.args.empty()) {
        Raise("TypeError", "sort() takes no positional arguments");
      }
      bool rev = a[0] && a[0]->Truthy();
      std::stable_sort(items.begin(), items.end(),
                       [rev](const Value& x, const Value& y) {
                         return rev ? LessThan(y, x) : LessThan(x, y);
                       });
      return Value();
    }
  }
  Raise("AttributeError", "'" + self.TypeName() +
                              "' object has no attribute '" + name + "'");
}

Value CallDict(const Value& self, const std::string& name, CallArgs& args) {
  if (name == "keys" || name == "values" || name == "items") {
    BindArgs(name, args, {});
    return Value::NewDictView(self, "dict_" + name);
  }
  if (name == "get") {
    auto a = BindPositional("get", "dict", args, {"key", "default"}, 1);
    if (a[0]->is_list() || a[0]->is_dict()) a[0]->Hash();
    auto v = self.DictGet(*a[0]);
    if (v) return *v;
    return a[1] ? *a[1] : Value();
  }
  if (name == "pop") {
    auto a = BindPositional("pop", "dict", args, {"key", "default"}, 1);
    auto v = self.DictGet(*a[0]);
    if (v) {
      self.DictErase(*a[0]);
      return *v;
    }
    if (a[1]) return *a[1];
    Raise("KeyError", a[0]->Repr());
  }
  if (name == "setdefault") {
    auto a = BindPositional("setdefault", "dict", args, {"key", "default"},
                            1);
    auto v = self.DictGet(*a[0]);
    if (v) return *v;
    Value d = a[1] ? *a[1] : Value();
    self.DictSet(*a[0], d);
    return d;
  }
  if (name == "update") {
    if (args.args.size() > 1) {
      Raise("TypeError", "update expected at most 1 argument");
    }
    if (!args.args.empty()) {
      const Value& o = args.args[0];
      if (o.is_dict()) {
        for (auto& [k, v] : o.DictItems()) self.DictSet(k, v);
      } else {
        for (const auto& pair : Iterate(o)) {
          auto kv = Iterate(pair);
          if (kv.size() != 2) {
            Raise("ValueError", "dictionary update sequence element has "
                                "length " + std::to_string(kv.size()) +
                                    "; 2 is required");
          }
          self.DictSet(kv[0], kv[1]);
        }
      }
    }
    for (auto& [k, v] : args.kwargs) self.DictSet(k, v);
    return Value();
  }
  if (name == "copy") {
    BindArgs("copy", args, {});
    Value d = Value::NewDict();
    for (auto& [k, v] : self.DictItems()) d.DictSet(k, v);
    return d;
  }
  if (name == "clear") {
    BindArgs("clear", args, {});
    for (auto& [k, v] : self.DictItems()) self.DictErase(k);
    return Value();
  }
  if (name == "popitem") {
    BindArgs("popitem", args, {});
    auto items = self.DictItems();
    if (items.empty()) Raise("KeyError", "'popitem(): dictionary is empty'");
    self.DictErase(items.back().first);
    return Value::NewTuple({items.back().first, items.back().second});
  }
  Raise("AttributeError", "'dict' object has no attribute '" + name + "'");
}

// float.hex(): a hex mantissa of 13 digits after the point ('1.' for normal
// numbers, '0.' for subnormals) and a binary exponent.
std::string FloatHex(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  std::string out = std::signbit(d) ? "-0x" : "0x";
  if (d == 0) return out + "0.0p+0";
  int e;
  double m = std::frexp(std::fabs(d), &e);  // m in [0.5, 1)
  // Subnormals keep the smallest normal exponent, -1022.
  int shift = 1 - std::max(-1021 - e, 0);
  m = std::ldexp(m, shift);
  e -= shift;
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 14; ++i) {
    int digit = static_cast<int>(m);
    out += kHex[digit];
    if (i == 0) out += '.';
    m = (m - digit) * 16;
  }
  return out + (e < 0 ? "p-" : "p+") + std::to_string(std::abs(e));
}

// float.as_integer_ratio(): the exact value as a reduced fraction.
Value FloatRatio(double d) {
  if (std::isinf(d)) {
    Raise("OverflowError", "cannot convert Infinity to integer ratio");
  }
  if (std::isnan(d)) Raise("ValueError", "cannot convert NaN to integer ratio");
  if (d == std::floor(d)) return Value::NewTuple({FloatToInt(d), Value::Int(1)});
  int e;
  double m = std::frexp(d, &e);
  // 53 bits of mantissa: an exact integer times 2**e.
  auto num = static_cast<int64_t>(std::ldexp(m, 53));
  e -= 53;
  while (num % 2 == 0) {
    num /= 2;
    ++e;
  }
  Value den = BigIntBinary('*', true, Value::Int(2), Value::Int(-e));
  return Value::NewTuple({Value::Int(num), den});
}

// Methods of int, bool and float; Python 3.11's int has no is_integer().
bool IsNumberMethod(const Value& self, const std::string& name) {
  static const std::set<std::string> kInt = {"bit_length", "bit_count",
                                             "conjugate", "as_integer_ratio"};
  static const std::set<std::string> kFloat = {"is_integer", "hex",
                                               "conjugate", "as_integer_ratio"};
  return (self.is_float() ? kFloat : kInt).count(name) > 0;
}

Value CallNumber(const Value& self, const std::string& name, CallArgs& args) {
  BindArgs(name, args, {});
  if (self.is_float()) {
    double d = self.AsFloat();
    if (name == "conjugate") return self;
    if (name == "is_integer") {
      return Value::Bool(std::isfinite(d) && d == std::floor(d));
    }
    if (name == "hex") return Value::Str(FloatHex(d));
    return FloatRatio(d);
  }
  Value i = self.is_bool() ? Value::Int(self.AsInt()) : self;
  if (name == "conjugate") return i;
  if (name == "as_integer_ratio") return Value::NewTuple({i, Value::Int(1)});
  if (name == "bit_length") {
    return Value::Int(static_cast<int64_t>(IntBitLength(i)));
  }
  std::string bits = IntToString(i, 2);  // bit_count
  return Value::Int(std::count(bits.begin(), bits.end(), '1'));
}

// markupsafe's Markup methods return Markup (lists of Markup for split).
Value MarkupResult(const Value& v) {
  if (v.is_str()) return Value::Markup(v.AsStr());
  if (v.is_list() || v.is_tuple()) {
    std::vector<Value> items;
    for (const auto& i : v.ListItems()) items.push_back(MarkupResult(i));
    return v.is_list() ? Value::NewList(std::move(items))
                       : Value::NewTuple(std::move(items));
  }
  return v;
}

// PARITY(markupsafe): Markup's own methods. The wrapped str methods escape
// their string arguments and return Markup; split, rsplit and splitlines
// give lists of Markup; join and format escape what they insert; the rest
// are str's own and return plain values.
Value CallMarkup(CallContext& ctx, const Value& self, const std::string& name,
                 CallArgs& args) {
  static const std::set<std::string> kEscaping = {
      "capitalize", "title",  "lower",     "upper",     "replace",
      "ljust",      "rjust",  "lstrip",    "rstrip",    "center",
      "strip",      "swapcase", "zfill",   "partition", "rpartition"};
  auto esc = [](const Value& v) {
    return v.is_str() ? Value::Markup(ToOutput(v, true)) : v;
  };
  if (kEscaping.count(name)) {
    CallArgs escaped = args;
    for (auto& a : escaped.args) a = esc(a);
    for (auto& [k, v] : escaped.kwargs) v = esc(v);
    return MarkupResult(CallStr(self, name, escaped));
  }
  if (name == "split" || name == "rsplit" || name == "splitlines") {
    return MarkupResult(CallStr(self, name, args));
  }
  if (name == "join") {
    auto a = BindArgs("join", args, {"iterable"}, 1);
    std::vector<Value> items;
    for (const auto& item : Iterate(*a[0])) {
      items.push_back(Value::Str(ToOutput(item, true)));
    }
    CallArgs joined;
    joined.args.push_back(Value::NewList(std::move(items)));
    return Value::Markup(CallStr(self, name, joined).AsStr());
  }
  if (name == "format") {
    return Value::Markup(StrFormat(self.AsStr(), args, true));
  }
  if (name == "escape") {
    auto a = BindArgs("escape", args, {"s"}, 1);
    return Value::Markup(ToOutput(*a[0], true));
  }
  if (name == "unescape") {
    BindArgs("unescape", args, {});
    return Value::Str(HtmlUnescape(self.AsStr()));
  }
  if (name == "striptags") {
    // Jinja's striptags filter is Markup(str(value)).striptags().
    BindArgs("striptags", args, {});
    CallArgs none;
    return (*ctx.environment().FindFilter("striptags"))(ctx, self, none);
  }
  return CallStr(self, name, args);
}

const std::set<std::string>& StrMethods() {
  static const std::set<std::string> k = {
      "upper",      "lower",     "strip",        "lstrip",       "rstrip",
      "split",      "rsplit",    "startswith",   "endswith",     "replace",
      "format",     "join",      "title",        "capitalize",   "swapcase",
      "find",       "rfind",     "index",        "rindex",       "count",
      "splitlines", "partition", "rpartition",   "removeprefix", "removesuffix",
      "center",     "ljust",     "rjust",        "zfill",        "isdigit",
      "isdecimal",  "isnumeric", "isalpha",      "isalnum",      "isspace",
      "isascii",    "islower",   "isupper",      "istitle",      "casefold",
      "isidentifier", "isprintable", "expandtabs", "translate",
      "format_map"};
  return k;
}

}  // namespace

std::optional<Value> BuiltinMethod(const Value& self,
                                   const std::string& name) {
  using Fn = Value (*)(const Value&, CallArgs&);
  static thread_local std::string pending;
  (void)pending;
  bool known = false;
  if (self.is_str()) {
    known = StrMethods().count(name) > 0 ||
            (self.is_markup() && (name == "striptags" ||
                                  name == "unescape" || name == "escape"));
  } else if (self.is_list() &&
             !static_cast<ListObj*>(self.AsObject())->view_of.is_none()) {
    // Dict views are read-only: they have none of list's methods.
    known = false;
  } else if (self.is_list()) {
    static const std::set<std::string> k = {
        "append", "extend", "insert", "pop",  "remove", "index",
        "count",  "reverse", "clear", "copy", "sort"};
    known = k.count(name) > 0;
  } else if (self.is_tuple()) {
    known = name == "index" || name == "count";
  } else if (self.is_dict()) {
    static const std::set<std::string> k = {
        "keys", "values", "items",  "get",  "pop",
        "setdefault", "update", "copy", "clear", "popitem"};
    known = k.count(name) > 0;
  } else if (self.is_number()) {
    known = IsNumberMethod(self, name);
  }
  if (!known) return std::nullopt;
  // The method name travels with the bound object.
  struct Bound : Object {
    Bound(Value s, std::string n) : self(std::move(s)), name(std::move(n)) {}
    std::string TypeName() const override {
      return "builtin_function_or_method";
    }
    bool IsCallable() const override { return true; }
    Value Call(CallContext& ctx, CallArgs& args) override {
      if (self.is_markup()) return CallMarkup(ctx, self, name, args);
      if (self.is_str()) return CallStr(self, name, args);
      if (self.is_dict()) return CallDict(self, name, args);
      if (self.is_number()) return CallNumber(self, name, args);
      return CallList(self, name, args);
    }
    std::string Repr() override {
      return "<built-in method " + name + " of " + self.TypeName() +
             " object>";
    }
    Value self;
    std::string name;
  };
  (void)sizeof(Fn);
  return Value::FromObject(std::make_shared<Bound>(self, name));
}

}  // namespace tmpl
