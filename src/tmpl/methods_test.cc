// str and list methods and string formatting (methods.cc, format.cc).
// Expected texts are Jinja2 3.1.2's output (SandboxedEnvironment, Python
// 3.11); errors as "EXC class: message".
#include <gtest/gtest.h>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"

namespace tmpl {
namespace {

std::string Render(const std::string& src) { return RenderWith(src); }

TEST(StrMethodsTest, SplitWithMaxsplitKeepsTheRestsWhitespace) {
  EXPECT_EQ(Render("{{ ' a  b '.split(None, 1) }}|{{ ' a  b '.rsplit(None, 1) "
                   "}}|{{ 'a   '.split(None, 1) }}"),
            "['a', 'b ']|[' a', 'b']|['a']");
}

TEST(StrMethodsTest, StartswithEndswithTakeStartEndAndTuples) {
  EXPECT_EQ(Render("{{ 'Hello World'.startswith('W', 6) }}|{{ 'Hello World'"
                   ".endswith('o', 0, 5) }}|{{ 'abc'.startswith('', 3) }}|"
                   "{{ 'abc'.startswith('', 4) }}|{{ 'h\u00e9llo'.startswith("
                   "'\u00e9', 1) }}|{{ 'abc'.endswith(('x', 'bc'), -2) }}|"
                   "{{ 'abc'.startswith('ab', None, 1) }}"),
            "True|True|True|False|True|True|False");
  EXPECT_EQ(Render("{{ 'a'.startswith('a', 'x') }}"),
            "EXC TypeError: slice indices must be integers or None or have "
            "an __index__ method");
  EXPECT_EQ(Render("{{ 'a'.startswith(('b', 1)) }}"),
            "EXC TypeError: tuple for startswith must only contain str, not "
            "int");
}

TEST(StrMethodsTest, FindFamilyStartPastTheEndFindsNothing) {
  EXPECT_EQ(Render("{{ 'abc'.find('', 3) }}|{{ 'abc'.find('', 4) }}|"
                   "{{ 'abc'.count('', 4) }}|{{ 'abc'.rfind('c', -1) }}"),
            "3|-1|0|2");
}

TEST(StrMethodsTest, NumericPredicatesUseUnicodeNumericType) {
  EXPECT_EQ(Render("{{ '\u00bd'.isnumeric() }}{{ '\u00bd'.isdigit() }}|"
                   "{{ '\u00b2'.isdigit() }}{{ '\u00b2'.isdecimal() }}|"
                   "{{ '\u0663'.isdecimal() }}|{{ '\u4e00'.isnumeric() }}"
                   "{{ '\u4e00'.isalnum() }}|{{ 'a'.isnumeric() }}"
                   "{{ ''.isdigit() }}"),
            "TrueFalse|TrueFalse|True|TrueTrue|FalseFalse");
}

TEST(StrMethodsTest, IsidentifierAndIsprintable) {
  EXPECT_EQ(Render("{{ 'a_1'.isidentifier() }}{{ '_'.isidentifier() }}"
                   "{{ '\u00e9'.isidentifier() }}|{{ '1a'.isidentifier() }}"
                   "{{ 'a-b'.isidentifier() }}{{ ''.isidentifier() }}"),
            "TrueTrueTrue|FalseFalseFalse");
  EXPECT_EQ(Render("{{ 'ab \u00e9\U0001F600'.isprintable() }}"
                   "{{ ''.isprintable() }}|{{ 'a\\n'.isprintable() }}"
                   "{{ '\\u00a0'.isprintable() }}"
                   "{{ '\\u200b'.isprintable() }}"),
            "TrueTrue|FalseFalseFalse");
}

TEST(StrMethodsTest, ExpandtabsAndTranslate) {
  EXPECT_EQ(Render("{{ 'a\\tb'.expandtabs() }}|{{ 'a\\tb'.expandtabs(4) }}|"
                   "{{ 'ab\\tc\\nd\\te'.expandtabs(tabsize=3) }}|"
                   "{{ 'a\\tb'.expandtabs(0) }}"),
            "a       b|a   b|ab c\nd  e|ab");
  EXPECT_EQ(Render("{{ 'abc'.translate({97: 'xy', 98: none, 99: 65}) }}"),
            "xyA");
}

TEST(StrMethodsTest, PositionalOnlyMethodsRefuseKeywords) {
  EXPECT_EQ(Render("{{ 'Hello'.replace(old='l', new='L') }}"),
            "EXC TypeError: str.replace() takes no keyword arguments");
  EXPECT_EQ(Render("{{ 'a'.strip(chars='a') }}"),
            "EXC TypeError: str.strip() takes no keyword arguments");
  EXPECT_EQ(Render("{{ [1].index(value=1) }}"),
            "EXC TypeError: list.index() takes no keyword arguments");
}

TEST(StrMethodsTest, IntArgumentsMustBeInts) {
  EXPECT_EQ(Render("{{ 'Hello'.replace('l', 'L', '1') }}"),
            "EXC TypeError: 'str' object cannot be interpreted as an integer");
  EXPECT_EQ(Render("{{ 'x'.center('a') }}"),
            "EXC TypeError: 'str' object cannot be interpreted as an integer");
  EXPECT_EQ(Render("{{ 'x'.zfill(2.0) }}"),
            "EXC TypeError: 'float' object cannot be interpreted as an "
            "integer");
}

TEST(ListMethodsTest, IndexTakesStartAndStop) {
  EXPECT_EQ(Render("{{ [3, 1, 2].index(1, 0, 2) }}|{{ [3, 1, 2].index(2, -1) "
                   "}}|{{ [3, 1, 2].index(3, -10, 10) }}"),
            "1|2|0");
  EXPECT_EQ(Render("{{ [3, 1, 2].index(1, 0, 1) }}"),
            "EXC ValueError: 1 is not in list");
  EXPECT_EQ(Render("{{ (1, 2).index(2, 0, 1) }}"),
            "EXC ValueError: tuple.index(x): x not in tuple");
}

TEST(FormatTest, BoolWithASpecFormatsAsInt) {
  EXPECT_EQ(Render("{{ '{:>5}'.format(true) }}|{{ '{}'.format(true) }}|"
                   "{{ '{:d}'.format(false) }}|{{ '{:<3}|'.format(false) }}"),
            "    1|True|0|0  |");
}

TEST(FormatTest, FormatMapReadsNamedFieldsFromADict) {
  EXPECT_EQ(Render("{{ '{a}-{b}'.format_map({'a': 1, 'b': 'x'}) }}|"
                   "{{ 'Hello'.format_map({}) }}"),
            "1-x|Hello");
  EXPECT_EQ(Render("{{ '{c}'.format_map({'a': 1}) }}"), "EXC KeyError: 'c'");
}

TEST(FormatTest, AsciiConversionEscapesNonAscii) {
  EXPECT_EQ(Render("{{ '{!a}'.format('\u00e9') }}|{{ '{!a}'.format(["
                   "'\u20ac', '\U0001F600']) }}|{{ '%a' % '\u00e9' }}|"
                   "{{ '%5a|' % '\u00e9' }}"),
            "'\\xe9'|['\\u20ac', '\\U0001f600']|'\\xe9'|'\\xe9'|");
}

TEST(FormatTest, PercentStarWidthAndPrecision) {
  EXPECT_EQ(Render("{{ '%.*f' % (2, 3.14159) }}|{{ '%*d|%-*d|' % (-4, 1, 3, "
                   "2) }}|{{ '%*.*f' % (8, 1, 2.25) }}|{{ '%.*f' % (-1, 1.5) "
                   "}}"),
            "3.14|1   |2  ||     2.2|2");
  EXPECT_EQ(Render("{{ '%*d' % ('a', 1) }}"), "EXC TypeError: * wants int");
}

}  // namespace
}  // namespace tmpl
