#include "tmpl/lexer.h"

#include <utf8proc.h>

#include <cstring>

#include "tmpl/error.h"

namespace tmpl {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}

bool IsNameChar(unsigned char c) { return IsNameStart(c) || IsDigit(c); }

std::string StrReprChar(unsigned char c) {
  if (c == '\'') return "\"'\"";
  return "'" + std::string(1, static_cast<char>(c)) + "'";
}

void AppendUtf8(std::string& out, int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<char*>(buf), n);
}

class Lexer {
 public:
  Lexer(std::string_view src, const LexOptions& opts) : src_(src), o_(opts) {}

  std::vector<Token> Run();

 private:
  [[noreturn]] void Fail(const std::string& msg, size_t pos) {
    TemplateException ex;
    ex.error.error_class = "TemplateSyntaxError";
    ex.error.message = msg;
    Locate(pos, &ex.error.line, &ex.error.column);
    ex.located = true;
    throw ex;
  }

  void Locate(size_t pos, int* line, int* col) {
    // Lines are counted incrementally: positions only move forward.
    while (scan_pos_ < pos && scan_pos_ < src_.size()) {
      if (src_[scan_pos_] == '\n') {
        ++line_;
        line_start_ = scan_pos_ + 1;
      }
      ++scan_pos_;
    }
    *line = line_;
    *col = static_cast<int>(pos - line_start_) + 1;
  }

  void Emit(Tok type, std::string value, size_t pos) {
    Token t;
    t.type = type;
    t.value = std::move(value);
    Locate(pos, &t.line, &t.col);
    out_.push_back(std::move(t));
  }

  size_t SkipSpaces(size_t p) {
    while (p < src_.size() && IsSpace(src_[p])) ++p;
    return p;
  }

  bool StartsWith(size_t p, std::string_view s) {
    return src_.substr(p, s.size()) == s;
  }

  // After a block or comment end: `-` strips all following whitespace;
  // trim_blocks drops one newline unless `+` was given.
  size_t AfterEnd(size_t p, char sign, bool block_like) {
    if (sign == '-') return SkipSpaces(p);
    if (sign != '+' && block_like && o_.trim_blocks && p < src_.size() &&
        src_[p] == '\n') {
      return p + 1;
    }
    return p;
  }

  bool IsRawBegin(size_t p, size_t* content_start);
  size_t LexRaw(size_t content_start, size_t tag_pos);
  size_t LexComment(size_t p, size_t tag_pos);
  size_t LexTag(size_t p, bool block);
  size_t LexString(size_t p);
  size_t LexNumber(size_t p);

  std::string_view src_;
  LexOptions o_;
  std::vector<Token> out_;
  size_t scan_pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  bool line_starting_ = true;
};

bool Lexer::IsRawBegin(size_t p, size_t* content_start) {
  // p points after "{%" and its optional sign.
  size_t q = SkipSpaces(p);
  if (!StartsWith(q, "raw")) return false;
  q += 3;
  if (q < src_.size() && IsNameChar(src_[q])) return false;
  q = SkipSpaces(q);
  if (StartsWith(q, "-%}")) {
    *content_start = SkipSpaces(q + 3);
    return true;
  }
  if (StartsWith(q, "%}")) {
    *content_start = q + 2;
    return true;
  }
  return false;
}

size_t Lexer::LexRaw(size_t content_start, size_t tag_pos) {
  size_t p = content_start;
  while (true) {
    size_t b = src_.find("{%", p);
    if (b == std::string_view::npos) Fail("Missing end of raw directive",
                                          tag_pos);
    size_t q = b + 2;
    char sign = 0;
    if (q < src_.size() && (src_[q] == '-' || src_[q] == '+')) sign = src_[q++];
    q = SkipSpaces(q);
    if (StartsWith(q, "endraw") &&
        !(q + 6 < src_.size() && IsNameChar(src_[q + 6]))) {
      size_t r = SkipSpaces(q + 6);
      char esign = 0;
      if (r < src_.size() && (src_[r] == '-' || src_[r] == '+')) {
        esign = src_[r++];
      }
      if (StartsWith(r, "%}")) {
        std::string text(src_.substr(content_start, b - content_start));
        if (sign == '-') {
          while (!text.empty() && IsSpace(text.back())) text.pop_back();
        }
        if (!text.empty()) Emit(Tok::kData, std::move(text), content_start);
        size_t end = AfterEnd(r + 2, esign, true);
        line_starting_ = end > 0 && src_[end - 1] == '\n';
        return end;
      }
    }
    p = b + 2;
  }
}

size_t Lexer::LexComment(size_t p, size_t tag_pos) {
  while (true) {
    size_t e = src_.find("#}", p);
    if (e == std::string_view::npos) Fail("Missing end of comment tag",
                                          tag_pos);
    // The earliest of "+#}", "-#}" and "#}" wins, as in Jinja's lazy regex.
    char sign = 0;
    if (e > p && (src_[e - 1] == '-' || src_[e - 1] == '+')) sign = src_[e - 1];
    size_t end = AfterEnd(e + 2, sign, true);
    line_starting_ = end > 0 && src_[end - 1] == '\n';
    return end;
  }
}

size_t Lexer::LexString(size_t p) {
  char quote = src_[p];
  size_t start = p;
  std::string out;
  ++p;
  while (true) {
    if (p >= src_.size()) Fail("unexpected char '" + std::string(1, quote) +
                                   "' at " + std::to_string(start),
                               start);
    char c = src_[p];
    if (c == quote) break;
    if (c != '\\') {
      out += c;
      ++p;
      continue;
    }
    if (p + 1 >= src_.size()) {
      ++p;
      continue;
    }
    char n = src_[p + 1];
    p += 2;
    auto hex = [&](int digits) -> bool {
      if (p + digits > src_.size()) return false;
      int32_t cp = 0;
      for (int i = 0; i < digits; ++i) {
        char h = src_[p + i];
        int v = IsDigit(h)               ? h - '0'
                : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                         : -1;
        if (v < 0) return false;
        cp = cp * 16 + v;
      }
      AppendUtf8(out, cp);
      p += digits;
      return true;
    };
    switch (n) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x':
        if (!hex(2)) Fail("invalid \\x escape in string literal", start);
        break;
      case 'u':
        if (!hex(4)) Fail("invalid \\u escape in string literal", start);
        break;
      case 'U':
        if (!hex(8)) Fail("invalid \\U escape in string literal", start);
        break;
      default:
        if (n >= '0' && n <= '7') {
          int32_t cp = n - '0';
          for (int i = 0; i < 2 && p < src_.size() && src_[p] >= '0' &&
                          src_[p] <= '7';
               ++i) {
            cp = cp * 8 + (src_[p++] - '0');
          }
          AppendUtf8(out, cp);
        } else {
          // PARITY(jinja): unknown escapes keep their backslash (Python).
          out += '\\';
          out += n;
        }
    }
  }
  Emit(Tok::kString, std::move(out), start);
  return p + 1;
}

size_t Lexer::LexNumber(size_t p) {
  size_t start = p;
  auto digits = [&](size_t q, auto pred) {
    // (_?d)+ style runs: underscores only between digits.
    size_t r = q;
    if (r >= src_.size() || !pred(src_[r])) return q;
    ++r;
    while (r < src_.size()) {
      if (pred(src_[r])) {
        ++r;
      } else if (src_[r] == '_' && r + 1 < src_.size() && pred(src_[r + 1])) {
        r += 2;
      } else {
        break;
      }
    }
    return r;
  };
  auto strip = [](std::string_view s) {
    std::string o;
    for (char c : s) {
      if (c != '_') o += c;
    }
    return o;
  };
  if (src_[p] == '0' && p + 1 < src_.size()) {
    char k = src_[p + 1] | 0x20;
    int base = k == 'x' ? 16 : k == 'o' ? 8 : k == 'b' ? 2 : 0;
    if (base) {
      auto pred = [base](char c) {
        if (base == 2) return c == '0' || c == '1';
        if (base == 8) return c >= '0' && c <= '7';
        return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
      };
      size_t q = p + 2;
      if (q < src_.size() && src_[q] == '_') ++q;
      size_t e = digits(q, pred);
      if (e > q) {
        // The parser converts "0x..." text of any length.
        std::string lit =
            std::string(src_.substr(p, 2)) + strip(src_.substr(q, e - q));
        Emit(Tok::kInt, lit, start);
        return e;
      }
    }
  }
  auto dig = [](char c) { return IsDigit(c); };
  size_t e = digits(p, dig);
  // A float needs digits after the dot, or an exponent.
  size_t q = e;
  bool is_float = false;
  // PARITY(jinja): no float starts right after a '.', so `a.1.0` is the
  // integer attribute chain a[1][0], not `a` followed by the float 1.0.
  bool after_dot = p > 0 && src_[p - 1] == '.';
  if (!after_dot && q < src_.size() && src_[q] == '.' &&
      q + 1 < src_.size() && IsDigit(src_[q + 1])) {
    q = digits(q + 1, dig);
    is_float = true;
  }
  if (!after_dot && q < src_.size() && (src_[q] | 0x20) == 'e') {
    size_t r = q + 1;
    if (r < src_.size() && (src_[r] == '+' || src_[r] == '-')) ++r;
    size_t s = digits(r, dig);
    if (s > r) {
      q = s;
      is_float = true;
    }
  }
  if (is_float) {
    Emit(Tok::kFloat, strip(src_.substr(p, q - p)), start);
    return q;
  }
  // PARITY(jinja): "0(_?0)*" or "[1-9](_?\d)*": a leading zero ends the
  // integer, so "01" lexes as 0 then 1.
  if (src_[p] == '0') {
    size_t r = digits(p, [](char c) { return c == '0'; });
    Emit(Tok::kInt, "0", start);
    return r;
  }
  Emit(Tok::kInt, strip(src_.substr(p, e - p)), start);
  return e;
}

size_t Lexer::LexTag(size_t p, bool block) {
  std::vector<char> stack;
  while (true) {
    p = SkipSpaces(p);
    if (p >= src_.size()) {
      Fail(block ? "unexpected end of template, expected 'end of statement "
                   "block'."
                 : "unexpected end of template, expected 'end of print "
                   "statement'.",
           p);
    }
    if (stack.empty()) {
      if (block) {
        char sign = 0;
        size_t q = p;
        if (src_[q] == '-' || src_[q] == '+') sign = src_[q++];
        if (StartsWith(q, "%}")) {
          Emit(Tok::kBlockEnd, "", p);
          size_t end = AfterEnd(q + 2, sign, true);
          line_starting_ = src_[end - 1] == '\n';
          return end;
        }
      } else {
        char sign = 0;
        size_t q = p;
        if (src_[q] == '-') sign = src_[q++];
        if (StartsWith(q, "}}")) {
          Emit(Tok::kVarEnd, "", p);
          size_t end = AfterEnd(q + 2, sign, false);
          line_starting_ = src_[end - 1] == '\n';
          return end;
        }
      }
    }
    unsigned char c = src_[p];
    if (IsDigit(c)) {
      p = LexNumber(p);
      continue;
    }
    if (c == '\'' || c == '"') {
      p = LexString(p);
      continue;
    }
    if (IsNameStart(c)) {
      size_t e = p;
      while (e < src_.size() && IsNameChar(src_[e])) ++e;
      Emit(Tok::kName, std::string(src_.substr(p, e - p)), p);
      p = e;
      continue;
    }
    static const char* kTwo[] = {"//", "**", "==", "!=", ">=", "<="};
    bool two = false;
    for (const char* op : kTwo) {
      if (StartsWith(p, op)) {
        Emit(Tok::kOp, op, p);
        p += 2;
        two = true;
        break;
      }
    }
    if (two) continue;
    if (std::strchr("+-/*%~[](){}><=.:|,;", c) == nullptr || c == 0) {
      Fail(std::string("unexpected char ") + StrReprChar(c) + " at " +
               std::to_string(p),
           p);
    }
    if (c == '(' || c == '[' || c == '{') {
      stack.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
    } else if (c == ')' || c == ']' || c == '}') {
      if (stack.empty()) Fail(std::string("unexpected '") +
                                  static_cast<char>(c) + "'", p);
      if (stack.back() != c) {
        Fail(std::string("unexpected '") + static_cast<char>(c) +
                 "', expected '" + stack.back() + "'",
             p);
      }
      stack.pop_back();
    }
    Emit(Tok::kOp, std::string(1, c), p);
    ++p;
  }
}

std::vector<Token> Lexer::Run() {
  size_t pos = 0;
  while (pos < src_.size()) {
    // Find the earliest tag opener.
    size_t p = pos;
    size_t found = std::string_view::npos;
    while ((p = src_.find('{', p)) != std::string_view::npos) {
      if (p + 1 < src_.size() &&
          (src_[p + 1] == '{' || src_[p + 1] == '%' || src_[p + 1] == '#')) {
        found = p;
        break;
      }
      ++p;
    }
    if (found == std::string_view::npos) {
      Emit(Tok::kData, std::string(src_.substr(pos)), pos);
      break;
    }
    char kind = src_[found + 1];
    size_t after = found + 2;
    char sign = 0;
    if (after < src_.size() && (src_[after] == '-' || src_[after] == '+')) {
      sign = src_[after++];
    }
    std::string text(src_.substr(pos, found - pos));
    if (sign == '-') {
      while (!text.empty() && IsSpace(text.back())) text.pop_back();
    } else if (sign != '+' && o_.lstrip_blocks && kind != '{') {
      size_t nl = text.rfind('\n');
      size_t l_pos = nl == std::string::npos ? 0 : nl + 1;
      if (l_pos > 0 || line_starting_) {
        bool ws = l_pos < text.size();
        for (size_t i = l_pos; i < text.size(); ++i) {
          if (!IsSpace(text[i])) ws = false;
        }
        if (ws) text.resize(l_pos);
      }
    }
    if (!text.empty()) Emit(Tok::kData, std::move(text), pos);
    line_starting_ = false;

    size_t raw_start;
    if (kind == '%' && IsRawBegin(after, &raw_start)) {
      pos = LexRaw(raw_start, found);
    } else if (kind == '#') {
      pos = LexComment(after, found);
    } else {
      Emit(kind == '%' ? Tok::kBlockBegin : Tok::kVarBegin, "", found);
      pos = LexTag(after, kind == '%');
    }
  }
  Token eof;
  eof.type = Tok::kEof;
  Locate(src_.size(), &eof.line, &eof.col);
  out_.push_back(eof);
  return std::move(out_);
}

}  // namespace

std::string NormalizeSource(std::string_view source,
                            bool keep_trailing_newline) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
  if (!keep_trailing_newline && !out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

std::vector<Token> Tokenize(std::string_view source, const LexOptions& opts) {
  return Lexer(source, opts).Run();
}

}  // namespace tmpl
