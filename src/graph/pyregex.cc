#include "graph/pyregex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>

namespace kb::graph {

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::string TranslatePythonRegex(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (n == 'Z' && !in_class) {
        // Python's \Z is the very end; PCRE2's \Z also allows a final
        // newline, which is Python's $.
        out += "\\z";
        ++i;
        continue;
      }
      if ((n == 'u' && i + 6 <= p.size()) || (n == 'U' && i + 10 <= p.size())) {
        size_t len = n == 'u' ? 4 : 8;
        std::string_view hex = p.substr(i + 2, len);
        bool ok = hex.size() == len;
        for (char h : hex) ok = ok && std::isxdigit(static_cast<unsigned char>(h));
        if (ok) {
          out += "\\x{" + std::string(hex) + "}";
          i += 1 + len;
          continue;
        }
      }
      out += c;
      out += n;
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '{' && i + 1 < p.size() && p[i + 1] == ',') {
      // Python reads {,n} as {0,n}; PCRE2 10.42 would take it literally.
      size_t close = p.find('}', i);
      if (close != std::string_view::npos &&
          IsDigits(p.substr(i + 2, close - i - 2))) {
        out += "{0";
        out += p.substr(i + 1, close - i);
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::unique_ptr<PyRegex> PyRegex::Compile(std::string_view pattern,
                                          std::string* err) {
  std::string translated = TranslatePythonRegex(pattern);
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(
      reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
      PCRE2_UTF | PCRE2_UCP, &code, &offset, nullptr);
  if (!re) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    if (err) {
      *err = "invalid regex '" + std::string(pattern) +
             "': " + reinterpret_cast<char*>(buf) + " at position " +
             std::to_string(offset);
    }
    return nullptr;
  }
  std::unique_ptr<PyRegex> r(new PyRegex());
  r->pattern_ = std::string(pattern);
  r->code_ = re;
  r->match_ = pcre2_match_data_create_from_pattern(re, nullptr);
  return r;
}

PyRegex::~PyRegex() {
  pcre2_match_data_free(static_cast<pcre2_match_data*>(match_));
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

bool PyRegex::Search(std::string_view subject) const {
  int rc = pcre2_match(static_cast<pcre2_code*>(code_),
                       reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), 0, 0,
                       static_cast<pcre2_match_data*>(match_), nullptr);
  return rc >= 0;
}

}  // namespace kb::graph
