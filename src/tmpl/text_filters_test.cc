// urlize, random and lipsum. Expected texts are Jinja2 3.1.2's output
// (SandboxedEnvironment); random output is checked for its shape.
#include "tmpl/text_filters.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"

namespace tmpl {
namespace {

std::string Render(const std::string& src, Options opts = {}) {
  return RenderWith(src, Value::NewDict(), opts);
}

TEST(UrlizeTest, WwwHttpAndEmailWithTrailingPunctuation) {
  EXPECT_EQ(Render("{{ 'see www.example.com, or (http://x.org/a_(b)) and "
                   "mail me@ex.com.' | urlize }}"),
            "see <a href=\"https://www.example.com\" rel=\"noopener\">"
            "www.example.com</a>, or (<a href=\"http://x.org/a_(b)\" "
            "rel=\"noopener\">http://x.org/a_(b)</a>) and mail "
            "<a href=\"mailto:me@ex.com\">me@ex.com</a>.");
}

TEST(UrlizeTest, TrimNofollowTargetAndMailto) {
  // rel is the sorted union with the urlize.rel policy ("noopener");
  // mailto: links get no rel/target, and '!' is not trailing punctuation.
  EXPECT_EQ(Render("{{ 'www.x.com (see http://a.org/p_(1)), x@y.co, "
                   "mailto:me@a.io!'|urlize(10, true, '_top') }}"),
            "<a href=\"https://www.x.com\" rel=\"nofollow noopener\" "
            "target=\"_top\">www.x.com</a> (see <a href=\"http://a.org/p_(1)\""
            " rel=\"nofollow noopener\" target=\"_top\">http://a.o...</a>), "
            "<a href=\"mailto:x@y.co\">x@y.co</a>, mailto:me@a.io!");
  EXPECT_EQ(Render("{{ 'mailto:me@a.io x'|urlize(rel='b a') }}"),
            "<a href=\"mailto:me@a.io\">me@a.io</a> x");
  EXPECT_EQ(Render("{{ 'http://a.com'|urlize(rel='me  nofollow') }}"),
            "<a href=\"http://a.com\" rel=\"me nofollow noopener\">"
            "http://a.com</a>");
}

TEST(UrlizeTest, EscapesTextAndBalancesAngleBrackets) {
  EXPECT_EQ(Render("{{ '<http://a.com/?x=1&y=2>'|urlize }}"),
            "&lt;<a href=\"http://a.com/?x=1&amp;y=2\" rel=\"noopener\">"
            "http://a.com/?x=1&amp;y=2</a>&gt;");
}

TEST(UrlizeTest, IpAddressesAndExtraSchemes) {
  EXPECT_EQ(Render("{{ 'ftp://h/x ftp:// http://[::1]:80/x 10.0.0.1 "
                   "https://10.0.0.1'|urlize(extra_schemes=['ftp://']) }}"),
            "<a href=\"ftp://h/x\" rel=\"noopener\">ftp://h/x</a> ftp:// "
            "<a href=\"http://[::1]:80/x\" rel=\"noopener\">http://[::1]:80/x"
            "</a> 10.0.0.1 <a href=\"https://10.0.0.1\" rel=\"noopener\">"
            "https://10.0.0.1</a>");
  EXPECT_EQ(Render("{{ 'x'|urlize(extra_schemes=['ftp']) }}"),
            "EXC FilterArgumentError: 'ftp' is not a valid URI scheme "
            "prefix.");
}

TEST(UrlizeTest, AutoescapeMarksTheResultSafe) {
  Options ae;
  ae.autoescape = true;
  // Escaped once, not twice, and the links survive output escaping.
  EXPECT_EQ(Render("{{ 'a<b http://x.com/' | urlize }}", ae),
            "a&lt;b <a href=\"http://x.com/\" rel=\"noopener\">"
            "http://x.com/</a>");
  EXPECT_EQ(Render("{{ 'a<b'|urlize is escaped }}", ae), "True");
  EXPECT_EQ(Render("{{ 'a<b'|urlize is escaped }}"), "False");
}

TEST(RandomFilterTest, PicksEveryElementAndHandlesEmpty) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(Render("{{ [1, 2, 3]|random }}"));
  EXPECT_EQ(seen, (std::set<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Render("{{ 'abc'|random in 'abc' }}|{{ range(1)|random }}"),
            "True|0");
  // Empty or undefined: an undefined value, printed as nothing.
  EXPECT_EQ(Render("[{{ []|random }}][{{ x|random }}]"
                   "{{ ''|random is defined }}"),
            "[][]False");
  EXPECT_EQ(Render("{{ {'a': 1}|random }}"), "EXC KeyError: 0");
  EXPECT_EQ(Render("{{ 5|random }}"),
            "EXC TypeError: object of type 'int' has no len()");
}

// Splits on `sep` (a whole string).
std::vector<std::string> SplitOn(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  size_t b = 0;
  while (true) {
    size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? e : e - b));
    if (e == std::string::npos) return out;
    b = e + sep.size();
  }
}

// Checks one paragraph as Jinja builds them: `lo` <= words < `hi`,
// capitalised sentences, commas and full stops only at word ends, a
// final '.'.
void ExpectParagraph(const std::string& p, int lo, int hi) {
  std::istringstream in(p);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  EXPECT_GE(static_cast<int>(words.size()), lo) << p;
  EXPECT_LT(static_cast<int>(words.size()), hi) << p;
  ASSERT_FALSE(p.empty());
  EXPECT_EQ(p.back(), '.') << p;
  bool capital = true;
  for (const auto& w : words) {
    std::string core = w;
    while (!core.empty() && (core.back() == ',' || core.back() == '.')) {
      core.pop_back();
    }
    ASSERT_FALSE(core.empty()) << p;
    EXPECT_LE(w.size(), core.size() + 2) << w;  // "word,." is possible
    EXPECT_EQ(isupper(static_cast<unsigned char>(core[0])) != 0, capital)
        << w << " in " << p;
    for (size_t i = 1; i < core.size(); ++i) {
      EXPECT_TRUE(islower(static_cast<unsigned char>(core[i]))) << w;
    }
    capital = w.back() == '.';
  }
}

TEST(LipsumTest, PlainParagraphsHaveTheRequestedShape) {
  std::string out = Render("{{ lipsum(6, false, 5, 9) }}");
  auto paras = SplitOn(out, "\n\n");
  ASSERT_EQ(paras.size(), 6u) << out;
  for (const auto& p : paras) ExpectParagraph(p, 5, 9);
}

TEST(LipsumTest, HtmlWrapsEachParagraphInP) {
  std::string out = Render("{{ lipsum(n=3, min=2, max=40) }}");
  auto lines = SplitOn(out, "\n");
  ASSERT_EQ(lines.size(), 3u) << out;
  for (const auto& l : lines) {
    ASSERT_GT(l.size(), 7u);
    EXPECT_EQ(l.substr(0, 3), "<p>");
    EXPECT_EQ(l.substr(l.size() - 4), "</p>");
    ExpectParagraph(l.substr(3, l.size() - 7), 2, 40);
  }
  EXPECT_EQ(Render("{{ lipsum(1, true, 1, 2) is escaped }}|"
                   "{{ lipsum(1, false, 1, 2) is escaped }}"),
            "True|False");
}

TEST(LipsumTest, DefaultsAreFiveParagraphsOfTwentyToHundredWords) {
  std::string out = Render("{{ lipsum() }}");
  auto lines = SplitOn(out, "\n");
  ASSERT_EQ(lines.size(), 5u);
  for (const auto& l : lines) {
    ExpectParagraph(l.substr(3, l.size() - 7), 20, 100);
  }
  EXPECT_NE(out, Render("{{ lipsum() }}"));  // random each time
}

TEST(LipsumTest, EdgeCasesAsPython) {
  EXPECT_EQ(Render("{{ lipsum(1, min=0, max=1) }}|{{ lipsum(0) }}|"
                   "{{ lipsum(-1) }}"),
            "<p>.</p>||");
  EXPECT_EQ(Render("{{ lipsum(1, min=3, max=3) }}"),
            "EXC ValueError: empty range for randrange() (3, 3, 0)");
  EXPECT_EQ(Render("{{ lipsum(1.5) }}"),
            "EXC TypeError: 'float' object cannot be interpreted as an "
            "integer");
}

TEST(GlobalsReprTest, PrintAsPython) {
  std::string out = Render("{{ lipsum }}|{{ joiner }}|{{ cycler }}|"
                           "{{ namespace }}|{{ dict }}|{{ joiner() }}|"
                           "{{ cycler(1) }}|{{ range }}");
  // Addresses differ between runs, as in Python.
  auto parts = SplitOn(out, "|");
  ASSERT_EQ(parts.size(), 8u) << out;
  EXPECT_EQ(parts[0].rfind("<function generate_lorem_ipsum at 0x", 0), 0u);
  EXPECT_EQ(parts[1], "<class 'jinja2.utils.Joiner'>");
  EXPECT_EQ(parts[2], "<class 'jinja2.utils.Cycler'>");
  EXPECT_EQ(parts[3], "<class 'jinja2.utils.Namespace'>");
  EXPECT_EQ(parts[4], "<class 'dict'>");
  EXPECT_EQ(parts[5].rfind("<jinja2.utils.Joiner object at 0x", 0), 0u);
  EXPECT_EQ(parts[6].rfind("<jinja2.utils.Cycler object at 0x", 0), 0u);
  EXPECT_EQ(parts[7].rfind("<function safe_range at 0x", 0), 0u);
}

}  // namespace
}  // namespace tmpl
