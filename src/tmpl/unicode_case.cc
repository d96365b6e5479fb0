#include "tmpl/unicode_case.h"

#include <utf8proc.h>

#include <algorithm>
#include <vector>

namespace tmpl::unicode {
namespace {

// Up to three code points; unused slots are 0.
struct SpecialCaseRow {
  char32_t cp;
  char32_t lower[3];
  char32_t title[3];
  char32_t upper[3];
};

struct FoldRow {
  char32_t cp;
  char32_t folded[3];
};

struct CodeRange {
  char32_t first;
  char32_t last;
};

// Generated at build time by unicode_case_tables.cmake.
#include "tmpl/unicode_case_tables.inc"

template <class Row, size_t N>
std::vector<Row> SortedRows(const Row (&rows)[N]) {
  std::vector<Row> v(rows, rows + N);
  std::sort(v.begin(), v.end(),
            [](const Row& a, const Row& b) { return a.cp < b.cp; });
  return v;
}

template <class Row>
const Row* FindRow(const std::vector<Row>& rows, char32_t c) {
  auto it = std::lower_bound(
      rows.begin(), rows.end(), c,
      [](const Row& r, char32_t x) { return r.cp < x; });
  return it != rows.end() && it->cp == c ? &*it : nullptr;
}

// The property files list ranges grouped by category, not sorted, and
// ranges of one property may touch; sorted once for binary search.
template <size_t N>
std::vector<CodeRange> SortedRanges(const CodeRange (&ranges)[N]) {
  std::vector<CodeRange> v(ranges, ranges + N);
  std::sort(v.begin(), v.end(), [](const CodeRange& a, const CodeRange& b) {
    return a.first < b.first;
  });
  return v;
}

bool InRanges(const std::vector<CodeRange>& ranges, char32_t c) {
  auto it = std::upper_bound(
      ranges.begin(), ranges.end(), c,
      [](char32_t x, const CodeRange& r) { return x < r.first; });
  return it != ranges.begin() && c <= std::prev(it)->last;
}

const std::vector<SpecialCaseRow>& Special() {
  static const auto* rows = new std::vector<SpecialCaseRow>(
      SortedRows(kSpecialCasing));
  return *rows;
}

const std::vector<FoldRow>& Folding() {
  static const auto* rows = new std::vector<FoldRow>(SortedRows(kCaseFolding));
  return *rows;
}

bool IsCaseIgnorable(char32_t c) {
  static const auto* r = new std::vector<CodeRange>(
      SortedRanges(kCaseIgnorable));
  return InRanges(*r, c);
}

void Append(std::u32string& out, const char32_t (&cps)[3]) {
  for (char32_t c : cps) {
    if (c == 0) break;
    out.push_back(c);
  }
}

enum class Map { kLower, kTitle, kUpper };

void AppendFull(std::u32string& out, char32_t c, Map m) {
  if (const SpecialCaseRow* row = FindRow(Special(), c)) {
    Append(out, m == Map::kLower   ? row->lower
                : m == Map::kTitle ? row->title
                                   : row->upper);
    return;
  }
  auto cp = static_cast<utf8proc_int32_t>(c);
  utf8proc_int32_t mapped = m == Map::kLower   ? utf8proc_tolower(cp)
                            : m == Map::kTitle ? utf8proc_totitle(cp)
                                               : utf8proc_toupper(cp);
  out.push_back(static_cast<char32_t>(mapped));
}

// Lowercases s[i]; capital sigma is final when a cased letter comes before
// it and none after, case-ignorable characters skipped both ways (the
// SpecialCasing Final_Sigma condition as Python applies it).
void AppendLower(std::u32string& out, std::u32string_view s, size_t i) {
  if (s[i] != 0x3A3) {
    AppendFull(out, s[i], Map::kLower);
    return;
  }
  size_t j = i;
  while (j > 0 && IsCaseIgnorable(s[j - 1])) --j;
  bool final_sigma = j > 0 && IsCased(s[j - 1]);
  if (final_sigma) {
    size_t k = i + 1;
    while (k < s.size() && IsCaseIgnorable(s[k])) ++k;
    final_sigma = k == s.size() || !IsCased(s[k]);
  }
  out.push_back(final_sigma ? 0x3C2 : 0x3C3);
}

}  // namespace

const char* TablesVersion() { return KB_TMPL_UCD_VERSION; }

bool IsCased(char32_t c) {
  static const auto* r = new std::vector<CodeRange>(SortedRanges(kCased));
  return InRanges(*r, c);
}

bool IsLowercase(char32_t c) {
  static const auto* r = new std::vector<CodeRange>(SortedRanges(kLowercase));
  return InRanges(*r, c);
}

bool IsUppercase(char32_t c) {
  static const auto* r = new std::vector<CodeRange>(SortedRanges(kUppercase));
  return InRanges(*r, c);
}

bool IsTitlecase(char32_t c) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) ==
         UTF8PROC_CATEGORY_LT;
}

// The range of `ranges` holding c, or nullptr.
const CodeRange* FindRange(const std::vector<CodeRange>& ranges, char32_t c) {
  auto it = std::upper_bound(
      ranges.begin(), ranges.end(), c,
      [](char32_t x, const CodeRange& r) { return x < r.first; });
  if (it == ranges.begin() || c > std::prev(it)->last) return nullptr;
  return &*std::prev(it);
}

const std::vector<CodeRange>& DecimalRanges() {
  static const auto* r = new std::vector<CodeRange>(SortedRanges(kDecimal));
  return *r;
}

NumericType GetNumericType(char32_t c) {
  static const auto* digit = new std::vector<CodeRange>(SortedRanges(kDigit));
  static const auto* numeric =
      new std::vector<CodeRange>(SortedRanges(kNumeric));
  if (c < 0x80) {
    return c >= '0' && c <= '9' ? NumericType::kDecimal : NumericType::kNone;
  }
  if (InRanges(DecimalRanges(), c)) return NumericType::kDecimal;
  if (InRanges(*digit, c)) return NumericType::kDigit;
  if (InRanges(*numeric, c)) return NumericType::kNumeric;
  return NumericType::kNone;
}

int DecimalValue(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9' ? static_cast<int>(c - '0') : -1;
  // The generator checked that every range is whole runs of ten, 0 first.
  const CodeRange* r = FindRange(DecimalRanges(), c);
  return r ? static_cast<int>((c - r->first) % 10) : -1;
}

bool IsXidStart(char32_t c) {
  static const auto* r = new std::vector<CodeRange>(SortedRanges(kXidStart));
  return InRanges(*r, c);
}

bool IsXidContinue(char32_t c) {
  static const auto* r =
      new std::vector<CodeRange>(SortedRanges(kXidContinue));
  return InRanges(*r, c);
}

std::u32string Upper(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendFull(out, c, Map::kUpper);
  return out;
}

std::u32string Lower(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) AppendLower(out, s, i);
  return out;
}

std::u32string Title(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  bool prev_cased = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (prev_cased) {
      AppendLower(out, s, i);
    } else {
      AppendFull(out, s[i], Map::kTitle);
    }
    prev_cased = IsCased(s[i]);
  }
  return out;
}

std::u32string Capitalize(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0) {
      AppendFull(out, s[i], Map::kTitle);
    } else {
      AppendLower(out, s, i);
    }
  }
  return out;
}

std::u32string SwapCase(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsUppercase(s[i])) {
      AppendLower(out, s, i);
    } else if (IsLowercase(s[i])) {
      AppendFull(out, s[i], Map::kUpper);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::u32string CaseFold(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (char32_t c : s) {
    // Characters CaseFolding.txt does not list fold to themselves (not
    // to their lowercase: Cherokee folds to uppercase).
    if (const FoldRow* row = FindRow(Folding(), c)) {
      Append(out, row->folded);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace tmpl::unicode
