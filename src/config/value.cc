#include "config/value.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kb::config {
namespace {

std::string_view Strip(std::string_view s) {
  // Python's str.strip() without arguments: ASCII whitespace is what
  // config files contain.
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

ConvertResult Error(std::string message) {
  return ConvertResult{std::monostate{}, std::move(message)};
}

// Python's "%g" of an integer bound, as in 'Should be greater than or
// equal to %g'. Bounds are small, so the plain decimal form is what %g
// prints (it switches to exponent form only past 6 digits).
std::string FormatG(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string sign = v < 0 ? "-" : "";
  if (digits.size() <= 6) return sign + digits;
  std::string mant = digits.substr(0, 1);
  std::string rest = digits.substr(1, 5);
  while (!rest.empty() && rest.back() == '0') rest.pop_back();
  if (!rest.empty()) mant += "." + rest;
  int exp = static_cast<int>(digits.size()) - 1;
  return sign + mant + "e+" + (exp < 10 ? "0" : "") + std::to_string(exp);
}

ConvertResult ConvertString(const TypeSpec& t, const Value& raw) {
  std::string s;
  if (const auto* str = std::get_if<std::string>(&raw)) {
    s = *str;
  } else {
    s = PyStr(raw);  // String() calls str(value)
  }
  if (t.choices.empty() ||
      std::find(t.choices.begin(), t.choices.end(), s) != t.choices.end()) {
    return ConvertResult{s, ""};
  }
  std::string joined;
  for (const auto& c : t.choices) {
    if (!joined.empty()) joined += ", ";
    joined += c;
  }
  return Error("Valid values are [" + joined + "], but found " + PyRepr(s));
}

}  // namespace

std::string PyRepr(std::string_view s) {
  // Python prefers single quotes, and switches to double quotes when the
  // text has a single quote and no double quote.
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(q)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

std::string PyStr(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(const StrList& l) const {
      std::string out = "[";
      for (size_t i = 0; i < l.size(); ++i) {
        if (i) out += ", ";
        out += PyRepr(l[i]);
      }
      return out + "]";
    }
    std::string operator()(const StrDict& d) const {
      std::string out = "{";
      for (size_t i = 0; i < d.size(); ++i) {
        if (i) out += ", ";
        out += PyRepr(d[i].first) + ": " + PyRepr(d[i].second);
      }
      return out + "}";
    }
  };
  return std::visit(Visitor{}, v);
}

std::string TypeRepr(const TypeSpec& t) {
  switch (t.kind) {
    case OptKind::kString:
    case OptKind::kMulti: {
      if (t.choices.empty()) return "String";
      std::string out = "String(choices=[";
      for (size_t i = 0; i < t.choices.size(); ++i) {
        if (i) out += ", ";
        out += PyRepr(t.choices[i]);
      }
      return out + "])";
    }
    case OptKind::kBool:
      return "Boolean";
    case OptKind::kInt: {
      std::string props;
      if (t.min) props += "min=" + FormatG(*t.min);
      if (t.max)
        props += (props.empty() ? "" : ", ") + ("max=" + FormatG(*t.max));
      return props.empty() ? "Integer" : "Integer(" + props + ")";
    }
    case OptKind::kList:
      return "List of String";
    case OptKind::kDict:
      return "Dict of String";
  }
  return "String";
}

ConvertResult ParseBool(std::string_view s) {
  std::string l = Lower(s);
  if (l == "true" || l == "1" || l == "on" || l == "yes") {
    return ConvertResult{true, ""};
  }
  if (l == "false" || l == "0" || l == "off" || l == "no") {
    return ConvertResult{false, ""};
  }
  return Error("Unexpected boolean value " + PyRepr(s));
}

ConvertResult ParseInt(std::string_view s, std::optional<int64_t> min,
                       std::optional<int64_t> max) {
  std::string_view t = Strip(s);
  // PARITY(oslo): Integer() turns an empty or blank value into None.
  if (t.empty()) return ConvertResult{std::monostate{}, ""};

  // Python's int(): optional sign, digits, single underscores between
  // digits; surrounding whitespace was stripped above.
  std::string digits;
  size_t i = 0;
  bool negative = false;
  if (t[0] == '+' || t[0] == '-') {
    negative = t[0] == '-';
    i = 1;
  }
  bool ok = i < t.size();
  bool prev_underscore = true;  // no leading underscore
  for (; ok && i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      prev_underscore = false;
    } else if (c == '_' && !prev_underscore) {
      prev_underscore = true;
    } else {
      ok = false;
    }
  }
  if (prev_underscore) ok = false;
  int64_t value = 0;
  if (ok) {
    auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
    ok = ec == std::errc() && ptr == digits.data() + digits.size();
    if (negative) value = -value;
  }
  if (!ok) {
    return Error("invalid literal for int() with base 10: " +
                 PyRepr(std::string(s)));
  }
  if (min && value < *min) {
    return Error("Should be greater than or equal to " + FormatG(*min));
  }
  if (max && value > *max) {
    return Error("Should be less than or equal to " + FormatG(*max));
  }
  return ConvertResult{value, ""};
}

ConvertResult ParseList(std::string_view s) {
  // PARITY(oslo): List() strips, drops trailing commas, then splits on
  // every comma and strips each item; quotes group nothing.
  std::string_view t = Strip(s);
  while (!t.empty() && t.back() == ',') t.remove_suffix(1);
  StrList out;
  if (t.empty()) return ConvertResult{out, ""};
  for (const auto& item : Split(t, ',')) {
    out.emplace_back(Strip(item));
  }
  return ConvertResult{out, ""};
}

ConvertResult ParseDict(std::string_view s) {
  std::string_view t = Strip(s);
  StrDict out;
  if (t.empty()) return ConvertResult{out, ""};
  std::vector<std::string> pairs = Split(t, ',');
  size_t next = 0;
  while (next < pairs.size()) {
    std::string pair = pairs[next++];
    std::string key, value;
    // PARITY(oslo): a piece without ':' is glued to the next one with a
    // comma, so "a:1,,b:2" gives the key ",b".
    while (true) {
      size_t colon = pair.find(':');
      if (colon != std::string::npos) {
        key = std::string(Strip(std::string_view(pair).substr(0, colon)));
        value = std::string(Strip(std::string_view(pair).substr(colon + 1)));
        break;
      }
      if (next >= pairs.size()) {
        return Error("Value should be NAME:VALUE pairs separated by \",\"");
      }
      pair += "," + pairs[next++];
    }
    if (key.empty()) return Error("Key name should not be empty");
    for (const auto& [k, v] : out) {
      if (k == key) return Error("Duplicate key " + key);
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return ConvertResult{out, ""};
}

ConvertResult Convert(const TypeSpec& t, const Value& raw) {
  if (std::holds_alternative<std::monostate>(raw)) {
    return ConvertResult{raw, ""};
  }
  switch (t.kind) {
    case OptKind::kString:
      return ConvertString(t, raw);
    case OptKind::kMulti: {
      // Each item goes through the item type (String).
      StrList out;
      if (const auto* l = std::get_if<StrList>(&raw)) {
        for (const auto& item : *l) {
          ConvertResult r = ConvertString(t, item);
          if (!r.ok()) return r;
          out.push_back(std::get<std::string>(r.value));
        }
        return ConvertResult{out, ""};
      }
      return ConvertString(t, raw);
    }
    case OptKind::kBool:
      if (std::holds_alternative<bool>(raw)) return ConvertResult{raw, ""};
      if (const auto* s = std::get_if<std::string>(&raw)) return ParseBool(*s);
      break;
    case OptKind::kInt:
      if (const auto* i = std::get_if<int64_t>(&raw)) {
        return ParseInt(std::to_string(*i), t.min, t.max);
      }
      return ParseInt(PyStr(raw), t.min, t.max);
    case OptKind::kList:
      if (std::holds_alternative<StrList>(raw)) return ConvertResult{raw, ""};
      if (const auto* s = std::get_if<std::string>(&raw)) return ParseList(*s);
      break;
    case OptKind::kDict:
      if (std::holds_alternative<StrDict>(raw)) return ConvertResult{raw, ""};
      if (const auto* s = std::get_if<std::string>(&raw)) return ParseDict(*s);
      break;
  }
  return Error("unexpected value " + PyRepr(PyStr(raw)) + " [this is a bug]");
}

}  // namespace kb::config
