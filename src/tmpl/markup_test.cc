// Markup (markupsafe) semantics and autoescape. Expected values are
// Python Jinja2 3.1.2 with markupsafe 2.1.2 (Debian 12), rendered in a
// SandboxedEnvironment with the same autoescape setting.
#include <gtest/gtest.h>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"
#include "tmpl/loader.h"

namespace tmpl {
namespace {

// Renders `src` with `html` bound to a string holding every character
// that escaping changes; inc.j2 prints '<' and then `html`.
std::string Render(const std::string& src, bool autoescape) {
  Options opts;
  opts.autoescape = autoescape;
  Environment env(opts);
  env.SetLoader(DictLoader({{"inc.j2", "<{{ html }}"}}));
  Value ctx = Value::NewDict();
  ctx.DictSet(Value::Str("html"), Value::Str("<a href='x'>&\"</a>"));
  return RenderIn(env, src, ctx);
}

TEST(MarkupTest, RepetitionIsMarkup) {
  EXPECT_EQ(Render("{{ (html|safe) * 2 }}|{{ 2 * ('<'|safe) }}",
                   true),
            "<a href='x'>&\"</a><a href='x'>&\"</a>|<<");
}

TEST(MarkupTest, IndexAndSliceAreMarkup) {
  EXPECT_EQ(Render("{{ (html|safe)[0] }}|{{ (html|safe)[:3] }}|{{ (html|"
                   "e)[0:4] }}",
                   true),
            "<|<a |&lt;");
}

TEST(MarkupTest, ReverseFilterKeepsMarkup) {
  EXPECT_EQ(Render("{{ html|safe|reverse }}",
                   true),
            ">a/<\"&>'x'=ferh a<");
}

TEST(MarkupTest, TruncateKeepsMarkupAndEscapesEnd) {
  EXPECT_EQ(Render("{{ (html|e)|truncate(5) }}|{{ (html|safe)|"
                   "truncate(9, end='<') }}|{{ (html|safe)|"
                   "truncate(9, true, '<') }}",
                   true),
            "&l...|<a&lt;|<a href=&lt;");
}

TEST(MarkupTest, FormatFilterWithoutArgsKeepsMarkup) {
  EXPECT_EQ(Render("{{ html|e|format }}",
                   true),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;");
}

TEST(MarkupTest, AddEscapesPlainRightOperand) {
  EXPECT_EQ(Render("{{ (html|e) + '<' }}",
                   false),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;&lt;");
}

TEST(MarkupTest, AddEscapesPlainOperandOnEitherSide) {
  EXPECT_EQ(Render("{{ (html|safe) + '<' }}|{{ '<' + (html|safe) }}",
                   true),
            "<a href='x'>&\"</a>&lt;|&lt;<a href='x'>&\"</a>");
}

TEST(MarkupTest, JoinMethodEscapesItems) {
  EXPECT_EQ(Render("{{ ('<br>'|safe).join(['<a>', '<b>']) }}",
                   false),
            "&lt;a&gt;<br>&lt;b&gt;");
}

TEST(MarkupTest, JoinMethodEscapesItemsUnderAutoescape) {
  EXPECT_EQ(Render("{{ ('<br>'|safe).join(['<a>', '<b>']) }}|{{ ('-'|"
                   "safe).join([1, none]) }}",
                   true),
            "&lt;a&gt;<br>&lt;b&gt;|1-None");
}

TEST(MarkupTest, FormatMethodEscapesArguments) {
  EXPECT_EQ(Render("{{ ('{x}'|safe).format(x='<') }}",
                   false),
            "&lt;");
}

TEST(MarkupTest, FormatMethodEscapesArgumentsUnderAutoescape) {
  EXPECT_EQ(Render("{{ ('{0}<b>'|safe).format(html) }}|{{ ('{0}'|"
                   "safe).format(html|safe) }}|{{ ('{:>3}'|safe).format('<') }}",
                   true),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;<b>|"
            "<a href='x'>&\"</a>|  &lt;");
}

TEST(MarkupTest, FormatMethodRejectsSpecForMarkup) {
  EXPECT_EQ(Render("{{ ('{0:>3}'|safe).format('<'|safe) }}",
                   true),
            "EXC ValueError: Unsupported format specification for Markup.");
}

TEST(MarkupTest, FormatFilterEscapesArguments) {
  EXPECT_EQ(Render("{{ ('%s'|safe)|format('<') }}",
                   false),
            "&lt;");
}

TEST(MarkupTest, FormatFilterEscapesArgumentsUnderAutoescape) {
  EXPECT_EQ(Render("{{ ('%s<b>'|safe)|format(html) }}|{{ ('%(a)s'|safe)|"
                   "format(a='<') }}",
                   true),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;<b>|&lt;");
}

TEST(MarkupTest, ReplaceEscapesItsArguments) {
  EXPECT_EQ(Render("{{ html|safe|replace('a', '<') }}|{{ (html|"
                   "safe).replace('a', '<') }}",
                   true),
            "<&lt; href='x'>&\"</&lt;>|<&lt; href='x'>&\"</&lt;>");
}

TEST(MarkupTest, ReplaceWithoutAutoescapeIsPlain) {
  EXPECT_EQ(Render("{{ html|safe|replace('a', '<') }}",
                   false),
            "<< href='x'>&\"</<>");
}

TEST(MarkupTest, ReplaceOnPlainInputStaysPlain) {
  EXPECT_EQ(Render("{{ ('a<'|replace('a', 'b')) ~ ('x'|safe) }}|{{ 'a<'|"
                   "replace('a', '<b>'|safe) }}",
                   true),
            "b&lt;x|<b>&lt;");
}

TEST(MarkupTest, TitleFilterReturnsPlainStr) {
  EXPECT_EQ(Render("{{ html|safe|title }}|{{ html|e|title }}",
                   true),
            "&lt;A Href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;|"
            "&amp;lt;a Href=&amp;#39;x&amp;#39;&amp;gt;&amp;amp;&amp;#34;&amp;lt;/a&amp;gt;");
}

TEST(MarkupTest, StriptagsAndUnescapeMethods) {
  EXPECT_EQ(Render("{{ ('<p>a &amp; b</p>'|safe).striptags() }}|{{ ('&amp;'|"
                   "safe).unescape() }}|{{ ('&#65;&#x42;&lt;'|"
                   "safe).unescape() }}",
                   true),
            "a &amp; b|&amp;|AB&lt;");
}

TEST(MarkupTest, StriptagsAndUnescapeMethodsWithoutAutoescape) {
  EXPECT_EQ(Render("{{ ('<p>a &amp; b</p>'|safe).striptags() }}|{{ ('&amp;'|"
                   "safe).unescape() }}",
                   false),
            "a & b|&");
}

TEST(MarkupTest, CenterFillIsEscapedFirst) {
  EXPECT_EQ(Render("{{ ('<x>'|safe).center(9, '&') }}",
                   true),
            "EXC TypeError: The fill character must be exactly one character long");
}

TEST(MarkupTest, LjustFillIsEscapedFirst) {
  EXPECT_EQ(Render("{{ ('<x>'|safe).ljust(6, '<') }}",
                   false),
            "EXC TypeError: The fill character must be exactly one character long");
}

TEST(MarkupTest, WrappedMethodsReturnMarkup) {
  EXPECT_EQ(Render("{{ ('<x>'|safe).center(7, '*') }}|{{ ('a<b'|"
                   "safe).partition('<') }}|{{ ('a b'|safe).split() }}|"
                   "{{ ('<A>'|safe).lower() + '<' }}",
                   true),
            "**<x>**|"
            "(Markup(&#39;a&lt;b&#39;), Markup(&#39;&#39;), Markup(&#39;&#39;))|"
            "[Markup(&#39;a&#39;), Markup(&#39;b&#39;)]|<a>&lt;");
}

TEST(MarkupTest, InheritedMethodsArePlain) {
  EXPECT_EQ(Render("{{ ('<x>'|safe).startswith('<') }}|{{ (('<X>'|"
                   "safe).casefold()) }}",
                   true),
            "True|&lt;x&gt;");
}

TEST(MarkupTest, IncludeInAutoescapeFalseKeepsEnvironmentAutoescape) {
  EXPECT_EQ(Render("{% autoescape false %}{{ '<' }}{% include 'inc.j2' %}{% endautoescape %}",
                   true),
            "<<&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;");
}

TEST(MarkupTest, FiltersKeepingMarkup) {
  EXPECT_EQ(Render("{{ ('<'|safe)|center(5) }}|{{ ('<'|safe)|upper }}|"
                   "{{ ('a\nb'|safe)|indent(2, true) }}",
                   true),
            "  <  |<|  a\n  b");
}

TEST(MarkupTest, LastIndexesFirstIterates) {
  EXPECT_EQ(Render("{{ html|safe|last }}|{{ html|safe|first }}|{{ ('x'|"
                   "safe).escape('<') }}",
                   true),
            ">|&lt;|&lt;");
}

TEST(MarkupTest, UnescapeDecodesCommonReferences) {
  EXPECT_EQ(Render("{{ ('&lt;&quot;&#39;&#x27;&nbsp;&copy;&hellip;'|"
                   "safe).unescape() }}",
                   false),
            "<\"''\u00a0\u00a9\u2026");
}

TEST(MarkupTest, FilterBlockResultIsNotEscapedAgain) {
  EXPECT_EQ(Render("{% filter title %}<{{ '<' }}{% endfilter %}|"
                   "{% filter replace('a', '<') %}a{% endfilter %}",
                   true),
            "<&lt;|&lt;");
}

}  // namespace
}  // namespace tmpl
