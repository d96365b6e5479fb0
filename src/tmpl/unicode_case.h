// Python's full Unicode case mappings for str methods (upper, lower, title,
// capitalize, swapcase, casefold) and the case properties behind them.
// utf8proc supplies the simple one-to-one mappings; the tables generated
// from Debian's unicode-data (SpecialCasing.txt, CaseFolding.txt,
// DerivedCoreProperties.txt) add the one-to-many ones and the properties.
// The same tables give the numeric types (DerivedNumericType.txt) and the
// identifier properties other str methods need.
#ifndef KB_TMPL_UNICODE_CASE_H_
#define KB_TMPL_UNICODE_CASE_H_

#include <string>
#include <string_view>

namespace tmpl::unicode {

/// The Unicode version of the generated tables ("15.0.0").
const char* TablesVersion();

/// Python's str.upper(): full uppercase mappings ('ß' -> "SS").
std::u32string Upper(std::u32string_view s);
/// Python's str.lower(): full lowercase mappings ('İ' -> "i̇"), and
/// capital sigma becomes final sigma at the end of a cased word.
std::u32string Lower(std::u32string_view s);
/// Python's str.title(): a character following a cased one is lowercased,
/// any other is titlecased ('ǆ' -> 'ǅ', "ﬁx" -> "Fix").
std::u32string Title(std::u32string_view s);
/// Python's str.capitalize(): first character titlecased, rest lowercased.
std::u32string Capitalize(std::u32string_view s);
/// Python's str.swapcase(): uppercase letters lowered, lowercase raised;
/// titlecase and uncased characters kept.
std::u32string SwapCase(std::u32string_view s);
/// Python's str.casefold(): full case folding ('ß' -> "ss").
std::u32string CaseFold(std::u32string_view s);

/// Unicode's derived Cased, Lowercase and Uppercase properties, as
/// Python's str.islower()/isupper()/istitle() use them; IsTitle is
/// general category Lt.
bool IsCased(char32_t c);
bool IsLowercase(char32_t c);
bool IsUppercase(char32_t c);
bool IsTitlecase(char32_t c);

/// Unicode's Numeric_Type, which Python's str.isdecimal() (Decimal),
/// isdigit() (Decimal or Digit) and isnumeric() (any but kNone) test.
/// Han numerals ('一') are Numeric, as in Python.
enum class NumericType { kNone, kDecimal, kDigit, kNumeric };
NumericType GetNumericType(char32_t c);

/// The value 0-9 of a Numeric_Type=Decimal character ('٣' -> 3), as
/// Python's int() and float() read it; -1 for any other character.
int DecimalValue(char32_t c);

/// Unicode's XID_Start and XID_Continue, which Python's str.isidentifier()
/// tests (with '_' also allowed first).
bool IsXidStart(char32_t c);
bool IsXidContinue(char32_t c);

}  // namespace tmpl::unicode

#endif  // KB_TMPL_UNICODE_CASE_H_
