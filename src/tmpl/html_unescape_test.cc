// HtmlUnescape against Python's html.unescape(); the expected texts are
// its output (Python 3.11).
#include "tmpl/html_unescape.h"

#include <gtest/gtest.h>

namespace tmpl {
namespace {

TEST(HtmlUnescapeTest, NamedReferences) {
  EXPECT_EQ(HtmlUnescape("a &nbsp; b &copy;"), "a \u00a0 b \u00a9");
  EXPECT_EQ(HtmlUnescape("&amp;&lt;&gt;&quot;&#39;"), "&<>\"'");
  // Two code points; the Debian module's wrong phiv; is corrected.
  EXPECT_EQ(HtmlUnescape("&fjlig; &bne; &phiv; &NewLine;"),
            "fj =\u20e5 \u03d5 \n");
  EXPECT_EQ(HtmlUnescape("&unknown; no refs"), "&unknown; no refs");
}

TEST(HtmlUnescapeTest, LegacyNamesWithoutSemicolonAndAsPrefix) {
  EXPECT_EQ(HtmlUnescape("&notit; &ampx; &amp &copy2 &Aacute"),
            "\u00acit; &x; & \u00a92 \u00c1");
  // A name is at most 32 characters.
  EXPECT_EQ(HtmlUnescape("&" + std::string(33, 'a') + ";"),
            "&" + std::string(33, 'a') + ";");
}

TEST(HtmlUnescapeTest, NumericReferences) {
  EXPECT_EQ(HtmlUnescape("&unknown; &#x41; &#65;"), "&unknown; A A");
  EXPECT_EQ(HtmlUnescape("&#x1F600&#65x"), "\U0001F600Ax");
  // 0, C1 (as windows-1252), controls, noncharacters, surrogates and
  // values past U+10FFFF.
  EXPECT_EQ(HtmlUnescape("&#0;|&#13;|&#128;|&#x81;|&#x9F;|&#7;|&#x7f;|"
                         "&#xFFFE;|&#x10FFFF;|&#xD800;|&#1114112;|"
                         "&#99999999999999999999;"),
            "\ufffd|\r|\u20ac|\u0081|\u0178|||||\ufffd|\ufffd|\ufffd");
  EXPECT_EQ(HtmlUnescape("&# &#x; &#xg &; & x &&amp;"),
            "&# &#x; &#xg &; & x &&");
}

}  // namespace
}  // namespace tmpl
