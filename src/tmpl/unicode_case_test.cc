// Python's full case mappings in str methods and filters. Expected values
// are Python 3.11's (Debian's python3 with Jinja2 3.1.2).
#include "tmpl/unicode_case.h"

#include <gtest/gtest.h>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"

namespace tmpl {
namespace {

std::string Render(const std::string& src) { return RenderWith(src); }

TEST(UnicodeCaseTest, UpperUsesSpecialCasing) {
  // ß, the ﬁ ligature, ŉ, ᾳ (ypogegrammeni) and ǰ grow into several
  // code points; length counts code points.
  EXPECT_EQ(Render("{{ 'straße ﬁne ŉ ᾳ ǰ'|upper }}|{{ 'ß'|upper|length }}|"
                   "{{ 'ß'.upper() }}"),
            "STRASSE FINE ʼN ΑΙ J̌|2|SS");
}

TEST(UnicodeCaseTest, LowerOfDottedCapitalIAndFinalSigma) {
  // İ lowers to i + combining dot; Σ is final (ς) only at the end of a
  // cased word.
  EXPECT_EQ(Render("{{ 'İ'|lower|length }}|{{ 'ΟΔΟΣ ΣΑΣ Σ'|lower }}|"
                   "{{ 'ΑΣ.'.lower() }}"),
            "2|οδος σας σ|ας.");
}

TEST(UnicodeCaseTest, TitleUsesTitlecaseAndPythonsWordRule) {
  // str.title(): after a cased letter lowercase, otherwise titlecase
  // (ǆ -> ǅ); an uncased letter such as 中 starts a new word. The title
  // filter uppercases the first letter of each word instead (ǆ -> Ǆ).
  EXPECT_EQ(Render("{{ 'ǆemal ǉubljana'.title() }}|{{ 'ǆemal'|title }}|"
                   "{{ '中a ʼnx'.title() }}|{{ 'ﬁx'.title() }}"),
            "ǅemal ǈubljana|Ǆemal|中A ʼNx|Fix");
}

TEST(UnicodeCaseTest, CapitalizeSwapcaseCasefold) {
  EXPECT_EQ(Render("{{ 'ǆemal'|capitalize }}|{{ 'ﬁx ΣΑΣ'.capitalize() }}|"
                   "{{ 'ǅ Σς ß'.swapcase() }}|{{ 'Straße ΣΑΣ'.casefold() }}"),
            "ǅemal|Fix σας|ǅ σΣ SS|strasse σασ");
}

TEST(UnicodeCaseTest, CasePredicatesUseDerivedProperties) {
  // ǅ is titlecase, neither upper nor lower; ª is Other_Lowercase.
  EXPECT_EQ(Render("{{ 'ǅ'.istitle() }} {{ 'ǅ'.isupper() }} "
                   "{{ 'ª'.islower() }} {{ 'Ǆemal'.istitle() }}"),
            "True False True True");
}

TEST(UnicodeCaseTest, TablesComeFromTheUnicodeData) {
  EXPECT_EQ(unicode::Upper(U"\u00DF"), U"SS");
  EXPECT_EQ(unicode::CaseFold(U"\u13A0"), U"\u13A0");  // Cherokee: itself
  EXPECT_TRUE(unicode::IsCased(U'\u00AA'));
  EXPECT_FALSE(unicode::IsCased(U'\u4E2D'));
  EXPECT_STRNE(unicode::TablesVersion(), "");
}

}  // namespace
}  // namespace tmpl
