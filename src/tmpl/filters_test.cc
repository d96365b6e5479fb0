// Builtin filters (filters.cc). Expected texts are Jinja2 3.1.2's output
// (SandboxedEnvironment, Python 3.11); errors as "EXC class: message".
#include <gtest/gtest.h>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"

namespace tmpl {
namespace {

std::string Render(const std::string& src, Value ctx = Value::NewDict()) {
  return RenderWith(src, ctx);
}

// users = [{'name': 'b'}, None, {'name': 'a'}]
Value UsersWithNone() {
  auto user = [](const char* name) {
    Value u = Value::NewDict();
    u.DictSet("name", Value::Str(name));
    return u;
  };
  Value ctx = Value::NewDict();
  ctx.DictSet("users", Value::NewList({user("b"), Value(), user("a")}));
  return ctx;
}

TEST(FiltersTest, IntAndFloatReadUnicodeDigitsAndSpaces) {
  EXPECT_EQ(Render("{{ '\uff19' | int }}|{{ ' \u0663\u0664 ' | int }}|"
                   "{{ '\uff11\uff12.\uff15' | float }}|"
                   "{{ '\\u00a012\\u2003' | int }}|{{ '\uff11x' | int }}|"
                   "{{ '\u00bd' | int }}|{{ '\uff11f' | int(base=16) }}"),
            "9|34|12.5|12|0|0|31");
}

TEST(FiltersTest, BatchFlushesBeforeAdding) {
  EXPECT_EQ(Render("{{ [3, 1, 2] | batch(0) | list }}|{{ [3, 1, 2] | "
                   "batch(-1) | list }}|{{ [3, 1, 2] | batch(2, 'x') | list "
                   "}}|{{ [] | batch(0) | list }}"),
            "[[], [3, 1, 2]]|[[3, 1, 2]]|[[3, 1], [2, 'x']]|[]");
}

TEST(FiltersTest, CenterWidthMustBeAnInt) {
  EXPECT_EQ(Render("{{ 'x' | center('a') }}"),
            "EXC TypeError: 'str' object cannot be interpreted as an integer");
}

TEST(FiltersTest, MapChecksItsArgumentsOnlyWhenIterated) {
  EXPECT_EQ(Render("{{ [1] | map | list }}"),
            "EXC FilterArgumentError: map requires a filter argument");
  EXPECT_EQ(Render("{{ [] | map | list }}|{{ '' | map('nosuch') | list }}|"
                   "{% set g = [1] | map %}{{ g is iterable }}"),
            "[]|[]|True");
}

TEST(FiltersTest, MapAttributeOverNoneGivesUndefined) {
  EXPECT_EQ(Render("{{ users | map(attribute='name', default=none) | list }}|"
                   "{{ users | map(attribute='name', default='?') | list }}",
                   UsersWithNone()),
            "['b', Undefined, 'a']|['b', '?', 'a']");
  // Sorting compares the undefined item with a str, which fails.
  EXPECT_EQ(Render("{{ users | map(attribute='name') | sort | list }}",
                   UsersWithNone()),
            "EXC UndefinedError: 'None' has no attribute 'name'");
  EXPECT_EQ(Render("{{ [none, 'b'] | map(attribute='name') | sort | join(',') "
                   "}}"),
            ",");
}

TEST(FiltersTest, FilesizeformatComparesWithExactUnits) {
  EXPECT_EQ(Render("{{ 1e24 | filesizeformat }}|{{ 999e21 | filesizeformat }}|"
                   "{{ 1e27 | filesizeformat }}|{{ (1024 ** 9) | "
                   "filesizeformat(true) }}|{{ -1e20 | filesizeformat }}"),
            "1000.0 ZB|999.0 ZB|1000.0 YB|1024.0 YiB|"
            "-100000000000000000000 Bytes");
}

TEST(FiltersTest, UrlencodeQuotesPairsForAQueryString) {
  EXPECT_EQ(Render("{{ {'q': 'x y', 'n': 1} | urlencode }}|{{ [('a b', "
                   "'c&d')] | urlencode }}|{{ 'a b/c&d' | urlencode }}"),
            "q=x+y&n=1|a+b=c%26d|a%20b/c%26d");
}

TEST(FiltersTest, StriptagsDecodesReferencesAndSplitsOnUnicodeSpace) {
  EXPECT_EQ(Render("{{ 'a &nbsp; b &copy;' | striptags }}|{{ '&unknown; "
                   "&#x41; &#65;' | striptags }}|{{ '<a <!-- --> b>x' | "
                   "striptags }}|{{ 'a\\u00a0\\u3000b  \\n c' | striptags }}"),
            "a \u00a0 b \u00a9|&unknown; A A|x|a b c");
}

TEST(FiltersTest, RoundAnIntToNegativeDigits) {
  EXPECT_EQ(Render("{{ 42 | round(-1) }}|{{ 45 | round(-1) }}|{{ 55 | "
                   "round(-1) }}"),
            "40|40|60");
}

}  // namespace
}  // namespace tmpl
