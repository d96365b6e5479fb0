#include "tmpl/html_unescape.h"

#include <algorithm>
#include <vector>

#include "tmpl/ops.h"

namespace tmpl {
namespace {

struct EntityRow {
  std::string_view name;
  std::u32string_view value;
};

// Generated at build time by html_entities.cmake.
#include "tmpl/html_entities.inc"

const std::vector<EntityRow>& Entities() {
  static const auto* rows = [] {
    auto* v = new std::vector<EntityRow>(std::begin(kHtml5Entities),
                                         std::end(kHtml5Entities));
    std::sort(v->begin(), v->end(), [](const EntityRow& a,
                                       const EntityRow& b) {
      return a.name < b.name;
    });
    return v;
  }();
  return *rows;
}

const EntityRow* FindEntity(std::string_view name) {
  const auto& rows = Entities();
  auto it = std::lower_bound(
      rows.begin(), rows.end(), name,
      [](const EntityRow& r, std::string_view n) { return r.name < n; });
  return it != rows.end() && it->name == name ? &*it : nullptr;
}

// What the HTML5 tokenizer makes of the numeric reference &#n;.
std::u32string NumericReference(uint64_t n) {
  // C1 controls are read as windows-1252, except the five bytes that
  // encoding leaves undefined.
  static const char16_t kC1[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
      0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (n == 0) return U"\uFFFD";
  if (n == 0x0D) return U"\r";
  if (n >= 0x80 && n <= 0x9F) return std::u32string(1, kC1[n - 0x80]);
  if ((n >= 0xD800 && n <= 0xDFFF) || n > 0x10FFFF) return U"\uFFFD";
  // Python drops the other controls and the noncharacters.
  if ((n >= 0x01 && n <= 0x08) || n == 0x0B || (n >= 0x0E && n <= 0x1F) ||
      n == 0x7F || (n >= 0xFDD0 && n <= 0xFDEF) || (n & 0xFFFE) == 0xFFFE) {
    return U"";
  }
  return std::u32string(1, static_cast<char32_t>(n));
}

bool IsDigit(char32_t c, bool hex) {
  return (c >= '0' && c <= '9') ||
         (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

}  // namespace

std::string HtmlUnescape(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::u32string s = ToU32(text);
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
      bool hex = j + 1 < s.size() && (s[j + 1] == 'x' || s[j + 1] == 'X');
      size_t d = j + (hex ? 2 : 1), e = d;
      while (e < s.size() && IsDigit(s[e], hex)) ++e;
      if (e == d) {  // "&#" or "&#x" without digits stays
        out.push_back(s[i++]);
        continue;
      }
      // The value saturates: anything past U+10FFFF is replaced alike.
      uint64_t n = 0;
      for (size_t k = d; k < e; ++k) {
        uint64_t v = s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10;
        n = std::min<uint64_t>(n * (hex ? 16 : 10) + v, 0x110000);
      }
      out += NumericReference(n);
      i = e < s.size() && s[e] == ';' ? e + 1 : e;
      continue;
    }
    // A name is up to 32 characters other than tab, newline, form feed,
    // space, '<', '&', '#' and ';', with an optional ';' after it.
    size_t e = j;
    while (e < s.size() && e - j < 32 && s[e] != '\t' && s[e] != '\n' &&
           s[e] != '\f' && s[e] != ' ' && s[e] != '<' && s[e] != '&' &&
           s[e] != '#' && s[e] != ';') {
      ++e;
    }
    if (e == j) {
      out.push_back(s[i++]);
      continue;
    }
    if (e < s.size() && s[e] == ';') ++e;
    std::string name = FromU32(s.substr(j, e - j));
    if (const EntityRow* row = FindEntity(name)) {
      out += row->value;
    } else {
      // The longest prefix of at least two characters that is a name
      // (only the legacy ones without ';' can be).
      std::u32string ref = s.substr(j, e - j);
      const EntityRow* hit = nullptr;
      size_t len = ref.size() - 1;
      while (len >= 2 && !(hit = FindEntity(FromU32(ref.substr(0, len))))) {
        --len;
      }
      if (hit) {
        out += hit->value;
        out += ref.substr(len);
      } else {
        out.push_back('&');
        out += ref;
      }
    }
    i = e;
  }
  return FromU32(out);
}

}  // namespace tmpl
