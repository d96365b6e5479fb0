// Python ints of any size: expected values checked against Python 3.11.2
// with Jinja2 3.1.2 (SandboxedEnvironment, default options).
#include "tmpl/bigint.h"

#include <gtest/gtest.h>

#include <string>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"

namespace tmpl {
namespace {

// Renders `src`; errors come back as "EXC Class: message".
std::string Render(const std::string& src) { return RenderWith(src); }

// Literals past int64 parse in every base, with separators.
TEST(BigIntTest, LiteralsOfAnySizeAndBase) {
  EXPECT_EQ(Render("{{ 9223372036854775807 }}|{{ 9223372036854775808 }}|{{ "
                   "123_456_789_012_345_678_901_234 }}"),
            "9223372036854775807|9223372036854775808|1234567890123456789012"
            "34");
  EXPECT_EQ(Render("{{ 0xFFFF_FFFF_FFFF_FFFF_FF }}|{{ 0o7777777777777777777"
                   "777777 }}|{{ 0b1000000000000000000000000000000000000000"
                   "0000000000000000000000000000000 }}"),
            "4722366482869645213695|37778931862957161709567|118059162071741"
            "1303424");
  EXPECT_EQ(Render(std::string("{{ 1") + std::string(4299, '0') +
                   " == 10 ** 4299 }}"),
            "True");
  EXPECT_EQ(Render(std::string("{{ 1") + std::string(4300, '0') +
                   " }}"),
            "EXC ValueError: Exceeds the limit (4300 digits) for integer st"
            "ring conversion: value has 4301 digits; use sys.set_int_max_st"
            "r_digits() to increase the limit");
}

// Results past int64 become big; results that fit come back.
TEST(BigIntTest, ArithmeticPromotesAndDemotes) {
  EXPECT_EQ(Render("{{ 10 ** 20 }}|{{ 2 ** 64 }}|{{ 9223372036854775807 + 1"
                   " }}|{{ -9223372036854775807 - 2 }}"),
            "100000000000000000000|18446744073709551616|9223372036854775808"
            "|-9223372036854775809");
  EXPECT_EQ(Render("{{ 3037000500 * 3037000500 }}|{{ (2 ** 64) - (2 ** 64) "
                   "+ 3 }}|{{ (2 ** 70) // (2 ** 68) }}"),
            "9223372037000250000|3|4");
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ n * n }}|{{ -n }}|"
                   "{{ n + 1 }}|{{ n - n }}|{{ n // 7 }}|{{ n % 7 }}|{{ -n "
                   "// 7 }}|{{ -n % 7 }}|{{ n % -7 }}"),
            "9999999999999999999800000000000000000001|-99999999999999999999"
            "|100000000000000000000|0|14285714285714285714|1|-1428571428571"
            "4285715|6|-6");
  EXPECT_EQ(Render("{% set m = -9223372036854775807 - 1 %}{{ m // -1 }}|{{ "
                   "-m }}|{{ m|abs }}|{{ m * -1 }}"),
            "9223372036854775808|9223372036854775808|9223372036854775808|92"
            "23372036854775808");
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ n ** 0 }}|{{ 0 ** "
                   "n }}|{{ 1 ** n }}|{{ (-1) ** n }}|{{ n ** -1 }}|{{ (2 *"
                   "* 64) ** 2 }}"),
            "1|0|1|-1|1e-20|340282366920938463463374607431768211456");
}

// Python's int / int, including overflow and underflow.
TEST(BigIntTest, TrueDivisionIsCorrectlyRounded) {
  EXPECT_EQ(Render("{{ (2 ** 53 + 1) / 1 }}|{{ (2 ** 63 - 1) / 3 }}|{{ 9007"
                   "199254740993 / 2 }}|{{ (2 ** 60 + 1) / 2 ** 60 }}"),
            "9007199254740992.0|3.0744573456182584e+18|4503599627370496.0|1"
            ".0");
  EXPECT_EQ(Render("{{ 10 ** 400 / 10 ** 390 }}|{{ 1 / 10 ** 400 }}|{{ 1 / "
                   "2 ** 1074 }}|{{ 3 / 2 ** 1075 }}|{{ 1 / 2 ** 1075 }}|{{"
                   " 0 / -(10 ** 30) }}"),
            "10000000000.0|0.0|5e-324|1e-323|0.0|-0.0");
  EXPECT_EQ(Render("{{ 10 ** 400 / 3 }}"),
            "EXC OverflowError: integer division result too large for a flo"
            "at");
  EXPECT_EQ(Render("{{ 2 ** 1024 / 1 }}"),
            "EXC OverflowError: integer division result too large for a flo"
            "at");
  EXPECT_EQ(Render("{{ 10 ** 30 / 0 }}"),
            "EXC ZeroDivisionError: division by zero");
  EXPECT_EQ(Render("{{ 10 ** 30 // 0 }}"),
            "EXC ZeroDivisionError: integer division or modulo by zero");
  EXPECT_EQ(Render("{{ 10 ** 30 % 0 }}"),
            "EXC ZeroDivisionError: integer modulo by zero");
}

// Python compares int and float exactly.
TEST(BigIntTest, ComparesExactlyWithIntsFloatsAndBools) {
  EXPECT_EQ(Render("{{ 2 ** 53 + 1 == 2.0 ** 53 }}|{{ 2 ** 53 + 1 > 2.0 ** "
                   "53 }}|{{ 2 ** 63 == 2.0 ** 63 }}|{{ 9007199254740993 =="
                   " 9007199254740992.0 }}"),
            "False|True|True|False");
  EXPECT_EQ(Render("{{ 10 ** 400 > 1.5 }}|{{ 10 ** 20 == 1e20 }}|{{ 9999999"
                   "9999999999999 == 1e20 }}|{{ 99999999999999999999 < 1e20"
                   " }}|{{ 2 ** 64 > True }}"),
            "True|True|False|True|True");
  EXPECT_EQ(Render("{{ 1 < 2 ** 64 < 2 ** 65 }}|{{ 2 ** 65 < 2 ** 64 }}|{{ "
                   "-(2 ** 64) < -(2 ** 63) }}|{{ 2 ** 64 != 2 ** 64 + 0 }}"),
            "True|False|True|False");
}

// Dict keys, unique and in with big ints.
TEST(BigIntTest, HashesLikeEqualFloatsInDictsAndSets) {
  EXPECT_EQ(Render("{{ {10 ** 20: \"a\"}[1e20] }}|{{ 1e20 in {10 ** 20: 1} "
                   "}}|{{ 2 ** 64 in [18446744073709551616.0] }}|{{ {2 ** 7"
                   "0: 1}[2 ** 70] }}"),
            "a|True|True|1");
  EXPECT_EQ(Render("{{ [99999999999999999999, 10 ** 20, 1e20, 2 ** 64, 1844"
                   "6744073709551616.0]|unique|list }}"),
            "[99999999999999999999, 100000000000000000000, 1844674407370955"
            "1616]");
  EXPECT_EQ(Render("{{ {2 ** 64: \"a\", 1: \"b\"}|dictsort }}|{{ {2 ** 64: "
                   "1}|tojson }}"),
            "[(1, 'b'), (18446744073709551616, 'a')]|{\"1844674407370955161"
            "6\": 1}");
}

// Big ints are true and print in full.
TEST(BigIntTest, TruthinessStrAndRepr) {
  EXPECT_EQ(Render("{{ not 2 ** 64 }}|{{ \"y\" if -(2 ** 64) else \"n\" }}|"
                   "{{ (2 ** 64)|string }}|{{ [2 ** 64, -(2 ** 64)] }}|{{ ("
                   "2 ** 64)|pprint }}|{{ 2 ** 64 ~ \"\" }}"),
            "False|y|18446744073709551616|[18446744073709551616, -184467440"
            "73709551616]|18446744073709551616|18446744073709551616");
  EXPECT_EQ(Render("{{ (10 ** 4299)|string|length }}"),
            "4300");
  EXPECT_EQ(Render("{{ 10 ** 4300 }}"),
            "EXC ValueError: Exceeds the limit (4300 digits) for integer st"
            "ring conversion; use sys.set_int_max_str_digits() to increase "
            "the limit");
  EXPECT_EQ(Render("{{ (10 ** 5000)|string }}"),
            "EXC ValueError: Exceeds the limit (4300 digits) for integer st"
            "ring conversion; use sys.set_int_max_str_digits() to increase "
            "the limit");
}

// int from strings in any base, float of big ints.
TEST(BigIntTest, IntAndFloatFilters) {
  EXPECT_EQ(Render("{{ \"99999999999999999999\"|int }}|{{ \" -0x_ff \"|int("
                   "base=0) }}|{{ \"ffffffffffffffffffff\"|int(base=16) }}|"
                   "{{ \"1e30\"|int }}|{{ 1e30|int }}|{{ \"zz\"|int(base=36"
                   ") }}"),
            "99999999999999999999|-255|1208925819614629174706175|1000000000"
            "000000019884624838656|1000000000000000019884624838656|1295");
  EXPECT_EQ(Render("{{ \"z\"|int(base=40) }}|{{ \"1\"|int(base=999999999999"
                   "99999999) }}|{{ \"010\"|int(base=0) }}|{{ \"nan\"|int }"
                   "}|{{ \"1_0\"|int }}"),
            "0|1|10|0|10");
  EXPECT_EQ(Render("{{ (\"1\" * 5000)|int }}"),
            "EXC OverflowError: cannot convert float infinity to integer");
  EXPECT_EQ(Render("{{ \"inf\"|int }}"),
            "EXC OverflowError: cannot convert float infinity to integer");
  EXPECT_EQ(Render("{{ (2 ** 64)|float }}|{{ (2 ** 64 + 2 ** 11)|float }}|{"
                   "{ (2 ** 64 + 2 ** 11 + 1)|float }}|{{ (2 ** 64 + 3 * 2 "
                   "** 11)|float }}|{{ (-(10 ** 20))|float }}"),
            "1.8446744073709552e+19|1.8446744073709552e+19|1.84467440737095"
            "56e+19|1.844674407370956e+19|-1e+20");
  EXPECT_EQ(Render("{{ (10 ** 400)|float }}"),
            "EXC OverflowError: int too large to convert to float");
  EXPECT_EQ(Render("{{ 10 ** 400 + 1.5 }}"),
            "EXC OverflowError: int too large to convert to float");
  EXPECT_EQ(Render("{{ 2 ** 64 + 0.5 }}|{{ 2 ** 64 * 1.5 }}|{{ 2 ** 64 // 1"
                   ".5 }}|{{ 2 ** 64 % 1.5 }}"),
            "1.8446744073709552e+19|2.7670116110564327e+19|1.22978293824730"
            "34e+19|1.0");
}

// Aggregating filters on big ints.
TEST(BigIntTest, SumMaxMinSortAbs) {
  EXPECT_EQ(Render("{{ [2 ** 64, 1, 2 ** 70, -(2 ** 64), 2.5]|sort }}|{{ [2"
                   " ** 64, 1, 2 ** 70]|max }}|{{ [2 ** 64, 1, -(2 ** 64)]|"
                   "min }}|{{ [2 ** 64, 2 ** 64, 1]|sum }}|{{ [1e20, 10 ** "
                   "20 - 1]|max }}"),
            "[-18446744073709551616, 1, 2.5, 18446744073709551616, 11805916"
            "20717411303424]|1180591620717411303424|-18446744073709551616|3"
            "6893488147419103233|1e+20");
  EXPECT_EQ(Render("{{ (-(2 ** 64))|abs }}|{{ [9223372036854775807, 1]|sum "
                   "}}"),
            "18446744073709551616|9223372036854775808");
}

// round on ints of any size.
TEST(BigIntTest, RoundKeepsIntsAndRoundsNegativeDigits) {
  EXPECT_EQ(Render("{{ 1234|round(-2) }}|{{ 1250|round(-2) }}|{{ 1350|round"
                   "(-2) }}|{{ -1250|round(-2) }}|{{ 99999999999999999999|r"
                   "ound(-5) }}|{{ 5|round(99999999999999999999) }}"),
            "1200|1200|1400|-1200|100000000000000000000|5");
  EXPECT_EQ(Render("{{ 1.5|round(99999999999999999999) }}|{{ 5|round(0, \"f"
                   "loor\") }}|{{ (10 ** 20)|round(2, \"floor\") }}|{{ 7|ro"
                   "und(-1, \"ceil\") }}|{{ 2.675|round(2, \"floor\") }}"),
            "1.5|5.0|1e+20|10.0|2.67");
  EXPECT_EQ(Render("{{ (10 ** 400)|round(2, \"floor\") }}"),
            "EXC OverflowError: integer division result too large for a flo"
            "at");
}

// filesizeformat of big ints.
TEST(BigIntTest, FilesizeformatConvertsToFloat) {
  EXPECT_EQ(Render("{{ 99999999999999999999|filesizeformat }}|{{ (10 ** 30)"
                   "|filesizeformat(true) }}"),
            "100.0 EB|827180.6 YiB");
  EXPECT_EQ(Render("{{ (10 ** 400)|filesizeformat }}"),
            "EXC OverflowError: int too large to convert to float");
}

// '%d' % n and friends.
TEST(BigIntTest, PercentFormatting) {
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ '%d|%x|%X|%o|%#x|%"
                   "#o|%5d|%-24d|%+d|%030d|%.25d' % (n, n, n, n, n, n, n, n"
                   ", n, n, n) }}"),
            "99999999999999999999|56bc75e2d630fffff|56BC75E2D630FFFFF|12657"
            "072742654303777777|0x56bc75e2d630fffff|0o126570727426543037777"
            "77|99999999999999999999|99999999999999999999    |+999999999999"
            "99999999|000000000099999999999999999999|0000099999999999999999"
            "999");
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ '%d' % -n }}|{{ '%"
                   "x' % -n }}|{{ '%d' % 1e30 }}|{{ '%i' % -2.5 }}|{{ '%s|%"
                   "r' % (n, n) }}|{{ '%d'|format(n) }}|{{ '%f' % n }}"),
            "-99999999999999999999|-56bc75e2d630fffff|100000000000000001988"
            "4624838656|-2|99999999999999999999|99999999999999999999|999999"
            "99999999999999|100000000000000000000.000000");
  EXPECT_EQ(Render("{{ '%#X|%#o|%.5x|%#.5x|%-#8x|%08.3d|%+.3d|% d' % (255, "
                   "8, 255, 255, 255, 5, 5, 5) }}"),
            "0XFF|0o10|000ff|0x000ff|0xff    |00000005|+005| 5");
  EXPECT_EQ(Render("{{ '%x' % 1e30 }}"),
            "EXC TypeError: %x format: an integer is required, not float");
  EXPECT_EQ(Render("{{ '%c' % 2 ** 64 }}"),
            "EXC OverflowError: %c arg not in range(0x110000)");
  EXPECT_EQ(Render("{{ '%*d' % (2 ** 64, 1) }}"),
            "EXC OverflowError: Python int too large to convert to C ssize_"
            "t");
  EXPECT_EQ(Render("{{ '%f' % 10 ** 400 }}"),
            "EXC OverflowError: int too large to convert to float");
}

// str.format with d, x, b, o and grouping.
TEST(BigIntTest, StrFormatIntegerPresentations) {
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ '{:d}|{:x}|{:b}|{:"
                   "o}|{:,}|{:_}|{:_x}|{:_b}|{:_o}|{:#x}|{:#b}'.format(n, n"
                   ", n, n, n, n, n, n, n, n, n) }}"),
            "99999999999999999999|56bc75e2d630fffff|10101101011110001110101"
            "11100010110101100011000011111111111111111111|12657072742654303"
            "777777|99,999,999,999,999,999,999|99_999_999_999_999_999_999|5"
            "_6bc7_5e2d_630f_ffff|101_0110_1011_1100_0111_0101_1110_0010_11"
            "01_0110_0011_0000_1111_1111_1111_1111_1111|126_5707_2742_6543_"
            "0377_7777|0x56bc75e2d630fffff|0b101011010111100011101011110001"
            "0110101100011000011111111111111111111");
  EXPECT_EQ(Render("{% set n = 99999999999999999999 %}{{ '{:>24}|{:^30,}|{:"
                   "+}|{:=+30,}|{:030,}|{:e}|{:f}|{:%}|{:n}'.format(n, n, n"
                   ", n, n, n, n, n, n) }}"),
            "    99999999999999999999|  99,999,999,999,999,999,999  |+99999"
            "999999999999999|+   99,999,999,999,999,999,999|00,099,999,999,"
            "999,999,999,999|1.000000e+20|100000000000000000000.000000|1000"
            "0000000000000000000.000000%|99999999999999999999");
  EXPECT_EQ(Render("{{ '{:0=4,}|{:04,}|{:x=6,}|{:06,}|{:09_x}|{:#06x}|{:#06"
                   "x}|{:,}|{:_x}'.format(1, 1, 1, -1, 12345, 5, -5, 123456"
                   "7, 123456789) }}"),
            "0,001|0,001|xxxxx1|-0,001|0000_3039|0x0005|-0x005|1,234,567|75"
            "b_cd15");
  EXPECT_EQ(Render("{{ '{:,b}'.format(2 ** 64) }}"),
            "EXC ValueError: Cannot specify ',' with 'b'.");
  EXPECT_EQ(Render("{{ '{:.3}'.format(2 ** 64) }}"),
            "EXC ValueError: Precision not allowed in integer format specif"
            "ier");
  EXPECT_EQ(Render("{{ '{:c}'.format(2 ** 40) }}"),
            "EXC OverflowError: %c arg not in range(0x110000)");
  EXPECT_EQ(Render("{{ '{:c}'.format(2 ** 64) }}"),
            "EXC OverflowError: Python int too large to convert to C long");
}

// tojson writes big ints in full.
TEST(BigIntTest, ToJson) {
  EXPECT_EQ(Render("{{ [2 ** 64, -(2 ** 64)]|tojson }}|{{ {\"k\": 10 ** 20}"
                   "|tojson }}"),
            "[18446744073709551616, -18446744073709551616]|{\"k\": 10000000"
            "0000000000000}");
}

// Indexing, repetition, range and method arguments.
TEST(BigIntTest, MachineIntegerPlacesRaiseOverflowError) {
  EXPECT_EQ(Render("[{{ [1, 2][2 ** 64] }}]|[{{ \"ab\"[2 ** 64] }}]|{{ [1, "
                   "2][2 ** 64] is defined }}"),
            "[]|[]|False");
  EXPECT_EQ(Render("{{ [1, 2, 3][2 ** 64:] }}|{{ [1, 2, 3][:2 ** 64] }}|{{ "
                   "[1, 2, 3][::2 ** 64] }}|{{ [1, 2, 3][1::2 ** 64] }}|{{ "
                   "[1, 2, 3][-(2 ** 64):] }}|{{ \"abc\"[::-(2 ** 64)] }}"),
            "[]|[1, 2, 3]|[1]|[2]|[1, 2, 3]|c");
  EXPECT_EQ(Render("{{ 'ab' * 2 ** 64 }}"),
            "EXC OverflowError: cannot fit 'int' into an index-sized intege"
            "r");
  EXPECT_EQ(Render("{{ [1] * -(2 ** 64) }}"),
            "EXC OverflowError: cannot fit 'int' into an index-sized intege"
            "r");
  EXPECT_EQ(Render("{{ 'ab' * (2 ** 63 - 1) }}"),
            "EXC OverflowError: repeated string is too long");
  EXPECT_EQ(Render("{{ range(2 ** 64) }}"),
            "EXC OverflowError: Python int too large to convert to C ssize_"
            "t");
  EXPECT_EQ(Render("{{ range(10 ** 20, 10 ** 20 + 3)|list }}|{{ range(10 **"
                   " 20, 10 ** 20 + 3) }}|{{ range(-9223372036854775808, 92"
                   "23372036854775807, 2 ** 62)|list }}"),
            "[100000000000000000000, 100000000000000000001, 100000000000000"
            "000002]|range(100000000000000000000, 100000000000000000003)|[-"
            "9223372036854775808, -4611686018427387904, 0, 4611686018427387"
            "904]");
  EXPECT_EQ(Render("{{ 'a,b'.split(',', 2 ** 64) }}"),
            "EXC OverflowError: Python int too large to convert to C ssize_"
            "t");
  EXPECT_EQ(Render("{{ 'x'.center(2 ** 64) }}"),
            "EXC OverflowError: Python int too large to convert to C ssize_"
            "t");
  EXPECT_EQ(Render("{{ [1, 2].pop(2 ** 64) }}"),
            "EXC OverflowError: Python int too large to convert to C ssize_"
            "t");
  EXPECT_EQ(Render("{{ 'abc'|indent(2 ** 64) }}"),
            "EXC OverflowError: cannot fit 'int' into an index-sized intege"
            "r");
  EXPECT_EQ(Render("{{ 'abc'|truncate(2 ** 64) }}|{{ 'abc'.find('c', -(2 **"
                   " 64)) }}|{{ [1, 2, 3]|batch(2 ** 64)|list }}"),
            "abc|2|[[1, 2, 3]]");
}

// Template tests on big ints.
TEST(BigIntTest, TemplateTests) {
  EXPECT_EQ(Render("{% set n = 2 ** 64 %}{{ n is sameas n }}|{{ n is intege"
                   "r }}|{{ n is number }}|{{ n is odd }}|{{ n is even }}|{"
                   "{ n is divisibleby 3 }}|{{ n is divisibleby 2 ** 32 }}|"
                   "{{ n is gt 2 ** 63 }}"),
            "True|True|True|False|True|False|1|1");
}

// Python computes these however long it takes; we refuse results past
// kMaxIntBits (a deliberate difference, see doc/tmpl-unsupported.md).
TEST(BigIntTest, HugeResultsAreRefused) {
  EXPECT_EQ(Render("{{ 2 ** 100000000 }}"),
            "EXC MemoryError: integer result too large (more than 16777216 "
            "bits)");
  EXPECT_EQ(Render("{{ 3 ** (2 ** 64) }}"),
            "EXC MemoryError: integer result too large (more than 16777216 "
            "bits)");
  EXPECT_EQ(Render("{% set x = 2 ** 16000000 %}{{ (x * x) is number }}"),
            "EXC MemoryError: integer result too large (more than 16777216 "
            "bits)");
  // Below the limit the arithmetic still works.
  EXPECT_EQ(Render("{{ (2 ** 16000000) % 1000 }}|{{ (7 ** 100000) % 10 }}"),
            "376|1");
}

// Python 3.11's ZeroDivisionError texts differ for // and % (int64 too).
TEST(BigIntTest, ZeroDivisionMessages) {
  EXPECT_EQ(Render("{{ 5 % 0 }}"),
            "EXC ZeroDivisionError: integer modulo by zero");
  EXPECT_EQ(Render("{{ 5 // 0 }}"),
            "EXC ZeroDivisionError: integer division or modulo by zero");
  EXPECT_EQ(Render("{{ 5 / 0 }}"), "EXC ZeroDivisionError: division by zero");
}

TEST(BigIntTest, ValuesRoundTripThroughTheHelpers) {
  Value big = *ParseIntText("-123456789012345678901234567890", 10);
  EXPECT_TRUE(big.is_int());
  EXPECT_TRUE(big.is_big_int());
  EXPECT_EQ(big.Repr(), "-123456789012345678901234567890");
  EXPECT_EQ(IntToString(big, 16), "-18ee90ff6c373e0ee4e3f0ad2");
  EXPECT_EQ(IntSign(big), -1);
  EXPECT_EQ(big.AsInt(), INT64_MIN);  // saturated
  Value back = BigIntBinary('-', false, big, big);
  EXPECT_FALSE(back.is_big_int());
  EXPECT_EQ(back.AsInt(), 0);
  EXPECT_EQ(IntAsSsize(Value::Int(5)), 5);
  EXPECT_FALSE(ParseIntText("12a", 10).has_value());
  EXPECT_FALSE(ParseIntText("1__0", 10).has_value());
}

}  // namespace
}  // namespace tmpl
