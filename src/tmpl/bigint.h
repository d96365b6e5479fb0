// Python int semantics for values of any size. An int Value holds an int64
// while it fits and a heap-held GMP integer otherwise (Value::is_big_int());
// every function here takes either form and returns the int64 form whenever
// the result fits, so callers can keep their int64 fast paths.
#ifndef KB_TMPL_BIGINT_H_
#define KB_TMPL_BIGINT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace tmpl {

/// Largest integer result, in bits, that arithmetic will build (about five
/// million decimal digits); bigger `*` and `**` results raise MemoryError
/// instead of running the process out of memory as Python would.
inline constexpr uint64_t kMaxIntBits = uint64_t{1} << 24;

/// Python's default sys.get_int_max_str_digits() (3.11): decimal
/// conversions of longer ints raise ValueError.
inline constexpr size_t kMaxIntStrDigits = 4300;

/// Integer arithmetic for the slow path. REQUIRES: a and b are integral
/// (int or bool); op is one of + - * // % **. `**` with a negative
/// exponent returns a float, as in Python.
Value BigIntBinary(char op, bool two_chars, const Value& a, const Value& b);

/// Python's int / int: the correctly rounded float quotient.
/// REQUIRES: a and b integral and b != 0.
Value IntTrueDivide(const Value& a, const Value& b);

/// -v and abs(v) for an integral v.
Value IntNegate(const Value& v);
Value IntAbs(const Value& v);

/// Three-way exact comparison of two integral values.
int IntCompare(const Value& a, const Value& b);

/// Three-way exact comparison of an integral value with a double, as
/// Python compares int and float; nullopt when d is NaN.
std::optional<int> IntFloatCompare(const Value& i, double d);

/// float(v) of an integral value, correctly rounded; OverflowError "int too
/// large to convert to float" when it does not fit.
double IntToDouble(const Value& v);

/// int(d): the exact integer part of d. OverflowError for infinities,
/// ValueError for NaN (Python's messages).
Value FloatToInt(double d);

/// Python's int(text, base) for a str: leading/trailing whitespace, a sign,
/// '_' between digits and a 0x/0o/0b prefix (base 0 or matching base).
/// nullopt when the text is not a valid literal; ValueError when a decimal
/// (non power-of-two base) literal is longer than kMaxIntStrDigits.
std::optional<Value> ParseIntText(std::string_view text, int base);

/// Digits of an integral value in base 2, 8, 10 or 16 ('-' for negatives,
/// no prefix). Base 10 raises Python's ValueError past kMaxIntStrDigits.
std::string IntToString(const Value& v, int base, bool upper = false);

/// Hash of a big int, equal to Value::Hash() of an equal float.
size_t BigIntHash(const Value& v);

/// -1, 0 or 1.
int IntSign(const Value& v);

/// Bits needed for |v| (0 for 0).
uint64_t IntBitLength(const Value& v);

/// The value of an integral as int64 for an index (PyNumber_AsSsize_t with
/// IndexError/OverflowError): OverflowError "cannot fit 'int' into an
/// index-sized integer" when it does not fit.
int64_t IntAsIndex(const Value& v);

/// The value as a C ssize_t argument: OverflowError "Python int too large
/// to convert to C ssize_t" when it does not fit.
int64_t IntAsSsize(const Value& v);

/// The value clamped into int64, as slice indices are clamped.
int64_t IntClamped(const Value& v);

}  // namespace tmpl

#endif  // KB_TMPL_BIGINT_H_
