#include "tmpl/bigint.h"

#include <gmp.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

#include "tmpl/error.h"

namespace tmpl {

namespace {

// The heap payload of an int that does not fit in int64.
struct BigIntObj : Object {
  BigIntObj() { mpz_init(z); }
  ~BigIntObj() override { mpz_clear(z); }
  BigIntObj(const BigIntObj&) = delete;
  BigIntObj& operator=(const BigIntObj&) = delete;
  std::string TypeName() const override { return "int"; }
  std::string Repr() override;
  mpz_t z;
};

// An owned mpz_t.
class Mpz {
 public:
  Mpz() { mpz_init(z_); }
  ~Mpz() { mpz_clear(z_); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  mpz_ptr get() { return z_; }
  mpz_srcptr get() const { return z_; }

 private:
  mpz_t z_;
};

// Read-only mpz view of an integral Value: the big payload itself, or a
// temporary holding the int64.
class ZArg {
 public:
  explicit ZArg(const Value& v) {
    if (v.is_big_int()) {
      p_ = static_cast<BigIntObj*>(v.AsObject())->z;
    } else {
      mpz_init_set_si(tmp_, v.AsInt());
      owned_ = true;
      p_ = tmp_;
    }
  }
  ~ZArg() {
    if (owned_) mpz_clear(tmp_);
  }
  ZArg(const ZArg&) = delete;
  ZArg& operator=(const ZArg&) = delete;
  mpz_srcptr get() const { return p_; }

 private:
  mpz_t tmp_;
  mpz_srcptr p_;
  bool owned_ = false;
};

std::string StrDigitsLimitMessage() {
  return "Exceeds the limit (" + std::to_string(kMaxIntStrDigits) +
         " digits) for integer string conversion; use "
         "sys.set_int_max_str_digits() to increase the limit";
}

// Decimal (or other base) text of z, with Python's decimal digit limit.
std::string MpzToString(mpz_srcptr z, int base, bool upper) {
  if (base == 10 && mpz_sizeinbase(z, 10) > kMaxIntStrDigits) {
    // mpz_sizeinbase may be one too big: look at the real digits.
    if (mpz_sizeinbase(z, 10) > kMaxIntStrDigits + 1) {
      Raise("ValueError", StrDigitsLimitMessage());
    }
  }
  std::string out(mpz_sizeinbase(z, base) + 2, '\0');
  mpz_get_str(out.data(), upper ? -base : base, z);
  out.resize(std::strlen(out.c_str()));
  size_t digits = out.size() - (out[0] == '-' ? 1 : 0);
  if (base == 10 && digits > kMaxIntStrDigits) {
    Raise("ValueError", StrDigitsLimitMessage());
  }
  return out;
}

std::string BigIntObj::Repr() { return MpzToString(z, 10, false); }

}  // namespace

// Builds Values with a big payload; a friend of Value.
struct BigIntAccess {
  static Value Make(std::shared_ptr<Object> obj, int sign) {
    Value v;
    v.kind_ = Kind::kInt;
    // The saturated int64 keeps Truthy() and clamping uses right.
    v.i_ = sign > 0 ? std::numeric_limits<int64_t>::max()
                    : std::numeric_limits<int64_t>::min();
    v.obj_ = std::move(obj);
    return v;
  }
};

namespace {

// The Value for z: int64 when it fits, else z is moved to the heap.
Value FromMpz(Mpz& z) {
  if (mpz_fits_slong_p(z.get())) return Value::Int(mpz_get_si(z.get()));
  auto obj = std::make_shared<BigIntObj>();
  mpz_swap(obj->z, z.get());
  int sign = mpz_sgn(obj->z);
  return BigIntAccess::Make(std::move(obj), sign);
}

[[noreturn]] void TooLarge() {
  Raise("MemoryError", "integer result too large (more than " +
                           std::to_string(kMaxIntBits) + " bits)");
}

uint64_t BitLength(mpz_srcptr z) {
  return mpz_sgn(z) == 0 ? 0 : mpz_sizeinbase(z, 2);
}

// Python 3.11's messages for // and %.
[[noreturn]] void DivisionByZero(bool modulo) {
  Raise("ZeroDivisionError", modulo ? "integer modulo by zero"
                                    : "integer division or modulo by zero");
}

// base ** exp for exp >= 0.
Value Power(mpz_srcptr base, mpz_srcptr exp) {
  Mpz r;
  if (mpz_cmp_ui(base, 1) == 0 || mpz_sgn(exp) == 0) {
    mpz_set_ui(r.get(), 1);
    return FromMpz(r);
  }
  if (mpz_sgn(base) == 0) return Value::Int(0);
  if (mpz_cmp_si(base, -1) == 0) {
    return Value::Int(mpz_odd_p(exp) ? -1 : 1);
  }
  if (!mpz_fits_ulong_p(exp)) TooLarge();
  unsigned long e = mpz_get_ui(exp);
  // log2|base| from its top bits: |base| = m * 2^k with m in [0.5, 1).
  long k;
  double m = mpz_get_d_2exp(&k, base);
  double bits = static_cast<double>(e) * (k + std::log2(std::fabs(m)));
  if (bits > static_cast<double>(kMaxIntBits)) TooLarge();
  mpz_pow_ui(r.get(), base, e);
  return FromMpz(r);
}

}  // namespace

Value BigIntBinary(char op, bool two_chars, const Value& a, const Value& b) {
  ZArg x(a), y(b);
  Mpz r;
  switch (op) {
    case '+':
      mpz_add(r.get(), x.get(), y.get());
      break;
    case '-':
      mpz_sub(r.get(), x.get(), y.get());
      break;
    case '*':
      if (two_chars) {
        if (mpz_sgn(y.get()) < 0) {
          Raise("ValueError", "negative exponent [this is a bug]");
        }
        return Power(x.get(), y.get());
      }
      if (mpz_sgn(x.get()) != 0 && mpz_sgn(y.get()) != 0 &&
          BitLength(x.get()) + BitLength(y.get()) > kMaxIntBits + 1) {
        TooLarge();
      }
      mpz_mul(r.get(), x.get(), y.get());
      break;
    case '/':  // floor division; true division is IntTrueDivide
      if (mpz_sgn(y.get()) == 0) DivisionByZero(false);
      mpz_fdiv_q(r.get(), x.get(), y.get());
      break;
    case '%':
      if (mpz_sgn(y.get()) == 0) DivisionByZero(true);
      mpz_fdiv_r(r.get(), x.get(), y.get());
      break;
    default:
      Raise("TypeError", std::string("bad integer operator '") + op +
                             "' [this is a bug]");
  }
  return FromMpz(r);
}

Value IntTrueDivide(const Value& a, const Value& b) {
  constexpr int64_t kExact = int64_t{1} << DBL_MANT_DIG;
  if (!a.is_big_int() && !b.is_big_int()) {
    int64_t x = a.AsInt(), y = b.AsInt();
    if (y == 0) Raise("ZeroDivisionError", "division by zero");
    // PARITY(python): both operands are exact doubles, so one IEEE
    // division is correctly rounded (long_true_divide's fast path).
    if (x >= -kExact && x <= kExact && y >= -kExact && y <= kExact) {
      return Value::Float(static_cast<double>(x) / static_cast<double>(y));
    }
  }
  ZArg za(a), zb(b);
  if (mpz_sgn(zb.get()) == 0) Raise("ZeroDivisionError", "division by zero");
  bool negate = (mpz_sgn(za.get()) < 0) != (mpz_sgn(zb.get()) < 0);
  if (mpz_sgn(za.get()) == 0) return Value::Float(negate ? -0.0 : 0.0);
  Mpz na, nb;
  mpz_abs(na.get(), za.get());
  mpz_abs(nb.get(), zb.get());

  // |a/b| lies in [2^(diff-1), 2^(diff+1)).
  int64_t diff = static_cast<int64_t>(BitLength(na.get())) -
                 static_cast<int64_t>(BitLength(nb.get()));
  auto overflow = [] {
    Raise("OverflowError", "integer division result too large for a float");
  };
  if (diff > DBL_MAX_EXP) overflow();
  if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) {
    return Value::Float(negate ? -0.0 : 0.0);
  }

  // q = floor(|a| * 2^-shift / |b|) keeps two or three bits more than the
  // result's precision (fewer leading bits for subnormal results), plus
  // an "inexact" flag for everything below them.
  int64_t shift = std::max<int64_t>(diff, DBL_MIN_EXP) - DBL_MANT_DIG - 2;
  bool inexact = false;
  Mpz x, q, r;
  if (shift <= 0) {
    mpz_mul_2exp(x.get(), na.get(), static_cast<mp_bitcnt_t>(-shift));
  } else {
    if (mpz_scan1(na.get(), 0) < static_cast<mp_bitcnt_t>(shift)) {
      inexact = true;
    }
    mpz_fdiv_q_2exp(x.get(), na.get(), static_cast<mp_bitcnt_t>(shift));
  }
  mpz_tdiv_qr(q.get(), r.get(), x.get(), nb.get());
  if (mpz_sgn(r.get()) != 0) inexact = true;

  // Round q to the kept bits, half to even.
  int64_t qbits = static_cast<int64_t>(BitLength(q.get()));
  int64_t extra =
      std::max<int64_t>(qbits, DBL_MIN_EXP - shift) - DBL_MANT_DIG;
  bool half = mpz_tstbit(q.get(), extra - 1);
  bool below = inexact ||
               mpz_scan1(q.get(), 0) < static_cast<mp_bitcnt_t>(extra - 1);
  mpz_fdiv_q_2exp(q.get(), q.get(), static_cast<mp_bitcnt_t>(extra));
  if (half && (below || mpz_odd_p(q.get()))) mpz_add_ui(q.get(), q.get(), 1);
  double d = std::ldexp(mpz_get_d(q.get()), static_cast<int>(shift + extra));
  if (std::isinf(d)) overflow();
  return Value::Float(negate ? -d : d);
}

Value IntNegate(const Value& v) {
  if (!v.is_big_int() && v.AsInt() != std::numeric_limits<int64_t>::min()) {
    return Value::Int(-v.AsInt());
  }
  ZArg x(v);
  Mpz r;
  mpz_neg(r.get(), x.get());
  return FromMpz(r);
}

Value IntAbs(const Value& v) {
  if (!v.is_big_int() && v.AsInt() != std::numeric_limits<int64_t>::min()) {
    return Value::Int(v.AsInt() < 0 ? -v.AsInt() : v.AsInt());
  }
  ZArg x(v);
  Mpz r;
  mpz_abs(r.get(), x.get());
  return FromMpz(r);
}

int IntCompare(const Value& a, const Value& b) {
  if (!a.is_big_int() && !b.is_big_int()) {
    int64_t x = a.AsInt(), y = b.AsInt();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  ZArg x(a), y(b);
  int c = mpz_cmp(x.get(), y.get());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::optional<int> IntFloatCompare(const Value& i, double d) {
  if (std::isnan(d)) return std::nullopt;
  if (!i.is_big_int()) {
    int64_t x = i.AsInt();
    constexpr int64_t kExact = int64_t{1} << DBL_MANT_DIG;
    if (x >= -kExact && x <= kExact) {
      double fx = static_cast<double>(x);
      return fx < d ? -1 : fx > d ? 1 : 0;
    }
    // |x| > 2^53: compare with d's integer part, then its fraction.
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    double ip;
    double frac = std::modf(d, &ip);
    int64_t t = static_cast<int64_t>(ip);
    if (x != t) return x < t ? -1 : 1;
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
  }
  // mpz_cmp_d is exact, infinities included.
  ZArg x(i);
  int c = mpz_cmp_d(x.get(), d);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

double IntToDouble(const Value& v) {
  if (!v.is_big_int()) return static_cast<double>(v.AsInt());
  ZArg x(v);
  Mpz n;
  mpz_abs(n.get(), x.get());
  // Keep DBL_MANT_DIG bits, rounding half to even on the rest.
  int64_t extra = static_cast<int64_t>(BitLength(n.get())) - DBL_MANT_DIG;
  bool half = mpz_tstbit(n.get(), extra - 1);
  bool below = mpz_scan1(n.get(), 0) < static_cast<mp_bitcnt_t>(extra - 1);
  mpz_fdiv_q_2exp(n.get(), n.get(), static_cast<mp_bitcnt_t>(extra));
  if (half && (below || mpz_odd_p(n.get()))) mpz_add_ui(n.get(), n.get(), 1);
  double d = extra > DBL_MAX_EXP
                 ? HUGE_VAL
                 : std::ldexp(mpz_get_d(n.get()), static_cast<int>(extra));
  if (std::isinf(d)) {
    Raise("OverflowError", "int too large to convert to float");
  }
  return mpz_sgn(x.get()) < 0 ? -d : d;
}

Value FloatToInt(double d) {
  if (std::isnan(d)) Raise("ValueError", "cannot convert float NaN to integer");
  if (std::isinf(d)) {
    Raise("OverflowError", "cannot convert float infinity to integer");
  }
  if (d > -9223372036854775808.0 && d < 9223372036854775808.0) {
    return Value::Int(static_cast<int64_t>(d));
  }
  Mpz r;
  mpz_set_d(r.get(), d);  // exact: such doubles are integers
  return FromMpz(r);
}

std::optional<Value> ParseIntText(std::string_view s, int base) {
  if (base != 0 && (base < 2 || base > 36)) return std::nullopt;
  const char* ws = " \t\n\r\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return std::nullopt;
  s = s.substr(b, s.find_last_not_of(ws) - b + 1);
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  bool prefixed = false;
  if (s.size() > 1 && s[0] == '0') {
    char k = static_cast<char>(s[1] | 0x20);
    int pb = k == 'x' ? 16 : k == 'o' ? 8 : k == 'b' ? 2 : 0;
    if (pb && (base == pb || base == 0)) {
      base = pb;
      s.remove_prefix(2);
      prefixed = true;
    }
  }
  bool base0_decimal = base == 0;
  if (base == 0) base = 10;
  // Underscores only between digits (and right after a prefix).
  if (prefixed && !s.empty() && s[0] == '_') s.remove_prefix(1);
  if (s.empty() || s.front() == '_' || s.back() == '_' ||
      s.find("__") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string digits;
  digits.reserve(s.size());
  for (char c : s) {
    if (c == '_') continue;
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'z' ? c - 'a' + 10
            : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                                   : 99;
    if (d >= base) return std::nullopt;
    digits += c;
  }
  // PARITY(python): base 0 refuses decimal leading zeros ("010").
  if (base0_decimal && digits.size() > 1 && digits[0] == '0' &&
      digits.find_first_not_of('0') != std::string::npos) {
    return std::nullopt;
  }
  bool power_of_two = (base & (base - 1)) == 0;
  if (!power_of_two && digits.size() > kMaxIntStrDigits) {
    Raise("ValueError", "Exceeds the limit (" +
                            std::to_string(kMaxIntStrDigits) +
                            " digits) for integer string conversion: value "
                            "has " + std::to_string(digits.size()) +
                            " digits; use sys.set_int_max_str_digits() to "
                            "increase the limit");
  }
  if (digits.size() <= 18 && base == 10) {
    int64_t v = std::stoll(digits);
    return Value::Int(neg ? -v : v);
  }
  Mpz r;
  if (mpz_set_str(r.get(), digits.c_str(), base) != 0) return std::nullopt;
  if (neg) mpz_neg(r.get(), r.get());
  return FromMpz(r);
}

std::string IntToString(const Value& v, int base, bool upper) {
  if (!v.is_big_int() && base == 10) return std::to_string(v.AsInt());
  ZArg x(v);
  return MpzToString(x.get(), base, upper);
}

size_t BigIntHash(const Value& v) {
  ZArg x(v);
  mpz_srcptr z = x.get();
  uint64_t bits = BitLength(z);
  // Equal floats must hash alike: hash exactly representable values as
  // the double Value::Hash() uses.
  if (bits <= static_cast<uint64_t>(DBL_MAX_EXP) &&
      bits - mpz_scan1(z, 0) <= static_cast<uint64_t>(DBL_MANT_DIG)) {
    return std::hash<double>()(mpz_get_d(z));
  }
  size_t h = mpz_sgn(z) < 0 ? 0x2d : 0x2b;
  for (size_t i = 0; i < mpz_size(z); ++i) {
    h = h * 1000003 ^ std::hash<mp_limb_t>()(mpz_getlimbn(z, i));
  }
  return h;
}

int IntSign(const Value& v) {
  if (v.is_big_int()) {
    return mpz_sgn(static_cast<BigIntObj*>(v.AsObject())->z);
  }
  int64_t x = v.AsInt();
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

uint64_t IntBitLength(const Value& v) {
  ZArg x(v);
  return BitLength(x.get());
}

int64_t IntAsIndex(const Value& v) {
  if (v.is_big_int()) {
    Raise("OverflowError", "cannot fit 'int' into an index-sized integer");
  }
  return v.AsInt();
}

int64_t IntAsSsize(const Value& v) {
  if (v.is_big_int()) {
    Raise("OverflowError", "Python int too large to convert to C ssize_t");
  }
  return v.AsInt();
}

int64_t IntClamped(const Value& v) { return v.AsInt(); }

}  // namespace tmpl
