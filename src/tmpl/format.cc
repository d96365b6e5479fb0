// Python string formatting: the `%` operator and str.format.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "tmpl/bigint.h"
#include "tmpl/error.h"
#include "tmpl/ops.h"

namespace tmpl {
namespace {

int64_t CodePoints(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Pad(std::string body, char align, std::string fill, int width,
                size_t sign_len = 0) {
  int64_t len = CodePoints(body);
  if (width <= len) return body;
  int64_t pad = width - len;
  std::string out;
  auto rep = [&](int64_t k) {
    std::string r;
    for (int64_t i = 0; i < k; ++i) r += fill;
    return r;
  };
  switch (align) {
    case '<':
      return body + rep(pad);
    case '^':
      return rep(pad / 2) + body + rep(pad - pad / 2);
    case '=':
      return body.substr(0, sign_len) + rep(pad) + body.substr(sign_len);
    default:
      return rep(pad) + body;
  }
}

// Python's ascii(v): the repr with each non-ASCII code point escaped as
// \xhh, \uhhhh or \Uhhhhhhhh.
std::string AsciiRepr(const Value& v) {
  std::string out;
  for (char32_t c : ToU32(v.Repr())) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    char buf[16];
    snprintf(buf, sizeof(buf),
             c < 0x100 ? "\\x%02x" : c < 0x10000 ? "\\u%04x" : "\\U%08x",
             static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

// The int a '*' width or precision takes from the % arguments.
int StarArg(const Value& v) {
  if (!v.is_integral()) Raise("TypeError", "* wants int");
  return static_cast<int>(IntAsSsize(v));
}

std::string CFormat(const char* fmt, int prec, double d) {
  char buf[512];
  if (prec >= 0) {
    snprintf(buf, sizeof(buf), fmt, prec, d);
  } else {
    snprintf(buf, sizeof(buf), fmt, d);
  }
  return buf;
}

// Puts `sep` between groups of `group` digits, counted from the right;
// with zero padding, leading zeros (grouped too) until at least min_len
// characters, never starting with a separator.
std::string Group(const std::string& digits, char sep, int group = 3,
                  size_t min_len = 0) {
  std::string out;  // reversed
  int in_group = 0;
  size_t i = digits.size();
  while (i > 0 || out.size() < min_len) {
    if (in_group == group) {
      out += sep;
      in_group = 0;
    }
    out += i > 0 ? digits[--i] : '0';
    ++in_group;
  }
  return std::string(out.rbegin(), out.rend());
}

// Python's format(v, spec) body for an int with an integer presentation
// type: digits, grouping and the 0x/0o/0b prefix, without the sign.
std::string IntBody(const Value& v, char type, char grouping, bool alt,
                    size_t zero_pad_len) {
  if (grouping && (type == 'n' || type == 'c' ||
                   (grouping == ',' && type && type != 'd'))) {
    Raise("ValueError", std::string("Cannot specify '") + grouping +
                            "' with '" + type + "'.");
  }
  if (type == 'c') {
    if (v.is_big_int()) {
      Raise("OverflowError", "Python int too large to convert to C long");
    }
    int64_t n = v.AsInt();
    if (n < 0 || n > 0x10FFFF) {
      Raise("OverflowError", "%c arg not in range(0x110000)");
    }
    return FromU32(std::u32string(1, static_cast<char32_t>(n)));
  }
  int base = type == 'b' ? 2 : type == 'o' ? 8
             : (type == 'x' || type == 'X') ? 16 : 10;
  std::string digits = IntToString(IntAbs(v), base, type == 'X');
  std::string prefix;
  if (alt && base != 10) {
    prefix = std::string("0") + (type == 'b' ? 'b' : type == 'o' ? 'o'
                                 : type == 'X' ? 'X' : 'x');
  }
  if (grouping) {
    size_t min_len = zero_pad_len > prefix.size()
                         ? zero_pad_len - prefix.size() : 0;
    digits = Group(digits, grouping, base == 10 ? 3 : 4, min_len);
  }
  return prefix + digits;
}

// Python's format(value, spec) for str, int, float and bool.
std::string FormatSpec(const Value& v, const std::string& spec) {
  if (spec.empty()) return v.ToStr();
  size_t i = 0;
  std::string fill = " ";
  char align = 0;
  // [[fill]align]
  auto is_align = [](char c) {
    return c == '<' || c == '>' || c == '^' || c == '=';
  };
  {
    // The fill may be any one code point.
    size_t cp_len = 1;
    while (cp_len < spec.size() && (spec[cp_len] & 0xC0) == 0x80) ++cp_len;
    if (spec.size() > cp_len && is_align(spec[cp_len])) {
      fill = spec.substr(0, cp_len);
      align = spec[cp_len];
      i = cp_len + 1;
    } else if (is_align(spec[0])) {
      align = spec[0];
      i = 1;
    }
  }
  char sign = '-';
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) {
    sign = spec[i++];
  }
  bool alt = false;
  if (i < spec.size() && spec[i] == '#') {
    alt = true;
    ++i;
  }
  if (i < spec.size() && spec[i] == '0') {
    if (!align) {
      fill = "0";
      align = '=';
    }
    ++i;
  }
  int width = 0;
  while (i < spec.size() && isdigit(static_cast<unsigned char>(spec[i]))) {
    width = width * 10 + (spec[i++] - '0');
  }
  char grouping = 0;
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) {
    grouping = spec[i++];
  }
  int prec = -1;
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    prec = 0;
    while (i < spec.size() && isdigit(static_cast<unsigned char>(spec[i]))) {
      prec = prec * 10 + (spec[i++] - '0');
    }
  }
  char type = 0;
  if (i < spec.size()) type = spec[i++];
  if (i != spec.size()) Raise("ValueError", "Invalid format specifier");

  if (v.is_str()) {
    if (type && type != 's') {
      Raise("ValueError", std::string("Unknown format code '") + type +
                              "' for object of type 'str'");
    }
    std::string s = v.AsStr();
    if (prec >= 0) {
      std::u32string u = ToU32(s);
      if (static_cast<int>(u.size()) > prec) s = FromU32(u.substr(0, prec));
    }
    return Pad(s, align ? align : '<', fill, width);
  }
  if (!v.is_number()) {
    Raise("TypeError", "unsupported format string passed to " + v.TypeName() +
                           ".__format__");
  }
  std::string body;
  bool negative = false;
  bool is_int_fmt = v.is_integral() &&
                    (type == 0 || type == 'd' || type == 'b' || type == 'o' ||
                     type == 'x' || type == 'X' || type == 'n' || type == 'c');
  if (is_int_fmt) {
    if (prec >= 0) {
      Raise("ValueError", "Precision not allowed in integer format specifier");
    }
    negative = IntSign(v) < 0;
    bool show_sign = negative || sign == '+' || sign == ' ';
    // PARITY(python): zero padding ('0' fill, '=' alignment) is grouped.
    size_t zero_pad = fill == "0" && align == '=' && width > show_sign
                          ? static_cast<size_t>(width - show_sign) : 0;
    body = IntBody(v, type, grouping, alt, zero_pad);
  } else {
    double d = v.AsFloat();
    negative = std::signbit(d) && !std::isnan(d);
    double a = std::fabs(d);
    if (type == 0 && prec < 0) {
      body = FloatRepr(a);
    } else if (type == 0 || type == 'g' || type == 'G') {
      body = CFormat(alt ? (type == 'G' ? "%#.*G" : "%#.*g")
                         : (type == 'G' ? "%.*G" : "%.*g"),
                     prec < 0 ? 6 : prec, a);
      if (type == 0 && body.find_first_of(".eEn") == std::string::npos) {
        body += ".0";
      }
    } else if (type == 'e' || type == 'E') {
      body = CFormat(type == 'e' ? "%.*e" : "%.*E", prec < 0 ? 6 : prec, a);
    } else if (type == 'f' || type == 'F') {
      body = CFormat(type == 'f' ? "%.*f" : "%.*F", prec < 0 ? 6 : prec, a);
    } else if (type == '%') {
      body = CFormat("%.*f", prec < 0 ? 6 : prec, a * 100) + "%";
    } else {
      Raise("ValueError", std::string("Unknown format code '") + type +
                              "' for object of type '" + v.TypeName() + "'");
    }
    if (grouping) {
      size_t dot = body.find_first_of(".eE%");
      std::string ip = body.substr(0, dot);
      body = Group(ip, grouping) +
             (dot == std::string::npos ? "" : body.substr(dot));
    }
  }
  std::string sign_str = negative ? "-" : sign == '+' ? "+"
                                    : sign == ' ' ? " " : "";
  size_t prefix = sign_str.size();
  if (align == '=' && alt && body.size() > 1 && body[0] == '0' &&
      isalpha(static_cast<unsigned char>(body[1]))) {
    prefix += 2;
  }
  return Pad(sign_str + body, align ? align : '>', fill, width, prefix);
}

}  // namespace

Value PercentFormat(const std::string& fmt, const Value& args) {
  std::vector<Value> positional;
  bool mapping = false;
  if (args.is_tuple()) {
    positional = args.ListItems();
  } else {
    positional.push_back(args);
    // PARITY(python): any non-tuple, non-str argument with __getitem__
    // (dicts, lists, ...) counts as a mapping, so extra is not an error.
    mapping = args.is_dict() || args.is_list() || args.is_undefined();
  }
  size_t next = 0;
  std::string out;
  auto take = [&]() -> Value {
    if (next >= positional.size()) {
      Raise("TypeError", "not enough arguments for format string");
    }
    return positional[next++];
  };
  bool used_mapping = false;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (++i >= fmt.size()) Raise("ValueError", "incomplete format");
    Value arg;
    bool have_arg = false;
    if (fmt[i] == '(') {
      size_t close = fmt.find(')', i);
      if (close == std::string::npos) {
        Raise("ValueError", "incomplete format key");
      }
      if (args.is_undefined()) FailUndefined(args);
      if (!mapping || !args.is_dict()) {
        Raise("TypeError", "format requires a mapping");
      }
      std::string key = fmt.substr(i + 1, close - i - 1);
      auto v = args.DictGet(key);
      if (!v) Raise("KeyError", StrRepr(key));
      arg = *v;
      have_arg = true;
      used_mapping = true;
      i = close + 1;
    }
    std::string flags;
    while (i < fmt.size() && std::string("-+ #0").find(fmt[i]) !=
                                 std::string::npos) {
      flags += fmt[i++];
    }
    int width = -1, prec = -1;
    if (i < fmt.size() && fmt[i] == '*') {
      width = StarArg(take());
      // PARITY(python): a negative '*' width left-justifies.
      if (width < 0) {
        flags += '-';
        width = -width;
      }
      ++i;
    } else {
      while (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) {
        width = (width < 0 ? 0 : width) * 10 + (fmt[i++] - '0');
      }
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      prec = 0;
      if (i < fmt.size() && fmt[i] == '*') {
        prec = std::max(0, StarArg(take()));
        ++i;
      } else {
        while (i < fmt.size() &&
               isdigit(static_cast<unsigned char>(fmt[i]))) {
          prec = prec * 10 + (fmt[i++] - '0');
        }
      }
    }
    while (i < fmt.size() && (fmt[i] == 'l' || fmt[i] == 'h' ||
                              fmt[i] == 'L')) {
      ++i;
    }
    if (i >= fmt.size()) Raise("ValueError", "incomplete format");
    char type = fmt[i];
    if (type == '%') {
      if (have_arg || !flags.empty() || width >= 0 || prec >= 0) {
        Raise("ValueError", "unsupported format character '%' (0x25) at "
                            "index " + std::to_string(i));
      }
      out += '%';
      continue;
    }
    if (!have_arg) arg = take();
    std::string body;
    bool left = flags.find('-') != std::string::npos;
    bool zero = flags.find('0') != std::string::npos && !left;
    std::string spec;
    if (flags.find('+') != std::string::npos) {
      spec += '+';
    } else if (flags.find(' ') != std::string::npos) {
      spec += ' ';
    }
    if (flags.find('#') != std::string::npos) spec += '#';
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        body = type == 's'   ? arg.ToStr()
               : type == 'r' ? arg.Repr()
                             : AsciiRepr(arg);
        if (prec >= 0) {
          std::u32string u = ToU32(body);
          if (static_cast<int>(u.size()) > prec) {
            body = FromU32(u.substr(0, prec));
          }
        }
        if (width > 0) body = Pad(body, left ? '<' : '>', " ", width);
        out += body;
        continue;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        if (!arg.is_number()) {
          Raise("TypeError", std::string("%") + type +
                                 " format: a real number is required, not " +
                                 arg.TypeName());
        }
        bool decimal = type == 'd' || type == 'i' || type == 'u';
        if (arg.is_float() && !decimal) {
          Raise("TypeError", std::string("%") + type +
                                 " format: an integer is required, not "
                                 "float");
        }
        Value iv = arg.is_float() ? FloatToInt(arg.AsFloat())
                                  : Value::Int(0);
        const Value& n = arg.is_float() ? iv : arg;
        int base = decimal ? 10 : type == 'o' ? 8 : 16;
        std::string digits = IntToString(IntAbs(n), base, type == 'X');
        if (prec > static_cast<int>(digits.size())) {
          digits.insert(0, prec - digits.size(), '0');
        }
        std::string head = IntSign(n) < 0 ? "-"
                           : flags.find('+') != std::string::npos ? "+"
                           : flags.find(' ') != std::string::npos ? " "
                                                                  : "";
        if (flags.find('#') != std::string::npos && !decimal) {
          head += type == 'o' ? "0o" : type == 'X' ? "0X" : "0x";
        }
        int len = static_cast<int>(head.size() + digits.size());
        if (zero && width > len) digits.insert(0, width - len, '0');
        body = head + digits;
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        if (!arg.is_number()) {
          Raise("TypeError", "must be real number, not " + arg.TypeName());
        }
        std::string s = spec + (zero && width > 0 ? "0" + std::to_string(width)
                                                  : "");
        s += "." + std::to_string(prec < 0 ? 6 : prec) + type;
        body = FormatSpec(Value::Float(arg.AsFloat()), s);
        break;
      }
      case 'c':
        if (arg.is_str()) {
          body = arg.AsStr();
        } else if (arg.is_integral()) {
          if (arg.is_big_int() || arg.AsInt() < 0 ||
              arg.AsInt() > 0x10FFFF) {
            Raise("OverflowError", "%c arg not in range(0x110000)");
          }
          body = FromU32(std::u32string(
              1, static_cast<char32_t>(arg.AsInt())));
        } else {
          Raise("TypeError", "%c requires int or char");
        }
        break;
      default:
        Raise("ValueError", std::string("unsupported format character '") +
                                type + "'");
    }
    if (width > 0) body = Pad(body, left ? '<' : '>', " ", width);
    out += body;
  }
  if (!used_mapping && !mapping && next < positional.size()) {
    Raise("TypeError", "not all arguments converted during string formatting");
  }
  return Value::Str(std::move(out));
}

std::string StrFormat(const std::string& fmt, const CallArgs& args,
                      bool escape) {
  std::string out;
  size_t auto_index = 0;
  bool used_auto = false, used_manual = false;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      Raise("ValueError", "Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // Find the matching close brace (specs may nest one level).
    size_t j = i + 1;
    int depth = 1;
    while (j < fmt.size() && depth > 0) {
      if (fmt[j] == '{') ++depth;
      if (fmt[j] == '}') --depth;
      if (depth > 0) ++j;
    }
    if (j >= fmt.size()) {
      Raise("ValueError", "expected '}' before end of string");
    }
    std::string field = fmt.substr(i + 1, j - i - 1);
    i = j;
    std::string spec, conv;
    size_t colon = std::string::npos;
    {
      int bracket = 0;
      for (size_t k = 0; k < field.size(); ++k) {
        if (field[k] == '[') ++bracket;
        if (field[k] == ']') --bracket;
        if (bracket == 0 && (field[k] == ':' || field[k] == '!')) {
          colon = k;
          break;
        }
      }
    }
    std::string name = field.substr(0, colon);
    if (colon != std::string::npos) {
      std::string rest = field.substr(colon);
      if (rest[0] == '!') {
        if (rest.size() < 2) Raise("ValueError", "end of string while "
                                                 "looking for conversion "
                                                 "specifier");
        conv = rest.substr(1, 1);
        rest = rest.substr(2);
        if (!rest.empty() && rest[0] != ':') {
          Raise("ValueError", "expected ':' after conversion specifier");
        }
      }
      if (!rest.empty()) spec = rest.substr(1);
    }
    if (spec.find('{') != std::string::npos) {
      spec = StrFormat(spec, args, escape);
    }
    // Split "name.attr[key]" into the first part and accessors.
    size_t k = 0;
    while (k < name.size() && name[k] != '.' && name[k] != '[') ++k;
    std::string first = name.substr(0, k);
    Value v;
    if (first.empty()) {
      if (used_manual) {
        Raise("ValueError", "cannot switch from manual field specification "
                            "to automatic field numbering");
      }
      used_auto = true;
      if (auto_index >= args.args.size()) {
        Raise("IndexError", "Replacement index " +
                                std::to_string(auto_index) +
                                " out of range for positional args tuple");
      }
      v = args.args[auto_index++];
    } else if (isdigit(static_cast<unsigned char>(first[0]))) {
      if (used_auto) {
        Raise("ValueError", "cannot switch from automatic field numbering "
                            "to manual field specification");
      }
      used_manual = true;
      if (first.size() > 18) {
        Raise("ValueError", "Too many decimal digits in format string");
      }
      size_t idx = std::stoul(first);
      if (idx >= args.args.size()) {
        Raise("IndexError", "Replacement index " + first +
                                " out of range for positional args tuple");
      }
      v = args.args[idx];
    } else {
      bool found = false;
      for (const auto& [kn, kv] : args.kwargs) {
        if (kn == first) {
          v = kv;
          found = true;
        }
      }
      if (!found) Raise("KeyError", StrRepr(first));
    }
    while (k < name.size()) {
      if (name[k] == '.') {
        size_t e = k + 1;
        while (e < name.size() && name[e] != '.' && name[e] != '[') ++e;
        std::string attr = name.substr(k + 1, e - k - 1);
        Value got = GetAttr(v, attr);
        if (got.is_undefined()) {
          if (got.UndefinedClass() == "SecurityError") FailUndefined(got);
          Raise("AttributeError", "'" + v.TypeName() +
                                      "' object has no attribute '" + attr +
                                      "'");
        }
        v = got;
        k = e;
      } else {
        size_t e = name.find(']', k);
        if (e == std::string::npos) {
          Raise("ValueError", "Missing ']' in format string");
        }
        std::string key = name.substr(k + 1, e - k - 1);
        bool numeric = !key.empty() &&
                       key.find_first_not_of("0123456789") == std::string::npos;
        if (numeric && key.size() > 18) {
          Raise("ValueError", "Too many decimal digits in format string");
        }
        Value kv = numeric ? Value::Int(std::stoll(key)) : Value::Str(key);
        Value got = GetItem(v, kv);
        if (got.is_undefined()) Raise("KeyError", kv.Repr());
        v = got;
        k = e + 1;
      }
    }
    if (v.is_undefined()) {
      // object.__format__: str() for an empty spec, else a TypeError.
      if (!spec.empty()) {
        Raise("TypeError",
              "unsupported format string passed to Undefined.__format__");
      }
      v = Value::Str("");
    }
    if (conv == "r") {
      v = Value::Str(v.Repr());
    } else if (conv == "a") {
      v = Value::Str(AsciiRepr(v));
    } else if (conv == "s") {
      v = Value::Str(v.ToStr());
    } else if (!conv.empty()) {
      Raise("ValueError", "Unknown conversion specifier " + conv);
    }
    if (!escape) {
      out += FormatSpec(v, spec);
    } else if (v.is_markup()) {
      // PARITY(markupsafe): Markup.__html_format__ takes no spec.
      if (!spec.empty()) {
        Raise("ValueError", "Unsupported format specification for Markup.");
      }
      out += v.AsStr();
    } else {
      out += EscapeHtml(FormatSpec(v, spec));
    }
  }
  return out;
}

}  // namespace tmpl
