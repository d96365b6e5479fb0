// Statements, error classes, subscripts and numbers where the probe
// (tests/tmpl/conformance_probe.py) found us disagreeing with Python
// Jinja2. Expected values are Jinja2 3.1.2's SandboxedEnvironment output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "tmpl/environment.h"
#include "tmpl/test_render.h"
#include "tmpl/loader.h"

namespace tmpl {
namespace {

// An empty directory: the probe's (and kolla's) FileSystemLoader decides
// the error classes of non-string template names.
const std::string& EmptyDir() {
  static const std::string dir = [] {
    char d[] = "/tmp/tmpl_eval_testXXXXXX";
    return std::string(mkdtemp(d) ? d : "/nonexistent");
  }();
  return dir;
}

std::string Render(const std::string& src, Value ctx = Value::NewDict(),
                   Options opts = {}) {
  Environment env(opts);
  env.SetLoader(FileSystemLoader({EmptyDir()}));
  return RenderIn(env, src, ctx);
}

// Only the error class of a failed render ("" when it renders).
std::string ErrorClass(const std::string& src, Value ctx = Value::NewDict()) {
  std::string r = Render(src, ctx);
  if (r.rfind("EXC ", 0) != 0) return "";
  return r.substr(4, r.find(':') - 4);
}

Value Nested() {
  Value d = Value::NewDict();
  d.DictSet("nested",
            Value::NewList({Value::NewList({Value::Int(1), Value::Int(2)}),
                            Value::NewList({Value::Int(3),
                                            Value::NewList({Value::Int(4),
                                                            Value::Int(5)})})}));
  return d;
}

TEST(EvalTest, IntegerAttributeChainsAfterADot) {
  // Jinja's lexer starts no float right after a '.'.
  EXPECT_EQ(Render("{{ nested.1.1.0 }}|{{ nested.0.1 }}|{{ nested.1.0 }}|"
                   "{{ nested[1].1.0 }}|{{ nested . 1 . 1 }}",
                   Nested()),
            "4|2|3|4|[4, 5]");
  EXPECT_EQ(Render("{{ nested.1.1.0 + 0.5 }}|{{ 0.5.real }}", Nested()),
            "4.5|0.5");
  EXPECT_EQ(ErrorClass("{{ nested.1.1e0 }}", Nested()), "TemplateSyntaxError");
}

TEST(EvalTest, ChainedFiltersInFilterAndSetBlocks) {
  EXPECT_EQ(Render("{% filter center(9) | upper %}ab{% endfilter %}"),
            "    AB   ");
  EXPECT_EQ(Render("{% set x | upper | replace('A', '-') %}abc{% endset %}"
                   "{{ x }}"),
            "-BC");
  EXPECT_EQ(Render("{% filter upper|replace('A', '-')|center(7) %}abc"
                   "{% endfilter %}|"),
            "  -BC  |");
}

TEST(EvalTest, IncludeOfNonStringNames) {
  EXPECT_EQ(Render("{% include none %}"),
            "EXC TemplatesNotFound: Tried to select from an empty list of "
            "templates.");
  EXPECT_EQ(ErrorClass("{% include [] %}"), "TemplatesNotFound");
  EXPECT_EQ(ErrorClass("{% include 5 %}"), "TypeError");
  EXPECT_EQ(ErrorClass("{% include [none] %}"), "AttributeError");
  EXPECT_EQ(ErrorClass("{% include [[1]] %}"), "TypeError");
  EXPECT_EQ(Render("{% include ['nope', undef] %}"),
            "EXC TemplatesNotFound: none of the templates given were found: "
            "nope, 'undef' is undefined");
  EXPECT_EQ(Render("{% include none ignore missing %}x"), "x");
}

TEST(EvalTest, ExtendsAndImportOfNonStringNames) {
  EXPECT_EQ(Render("{% extends none %}x"),
            "EXC AttributeError: 'NoneType' object has no attribute 'split'");
  EXPECT_EQ(ErrorClass("{% extends [] %}x"), "TypeError");
  EXPECT_EQ(ErrorClass("{% import 5 as m %}x"), "AttributeError");
  EXPECT_EQ(ErrorClass("{% from {} import x %}x"), "TypeError");
}

TEST(EvalTest, DirectoryIsNoTemplate) {
  EXPECT_EQ(Render("{% include '' %}x"), "EXC TemplateNotFound: ");
}

TEST(EvalTest, ExplicitCallerArgumentNeedsADefault) {
  const std::string msg =
      "EXC TemplateAssertionError: When defining macros or call blocks the "
      "special \"caller\" argument must be omitted or be given a default.";
  EXPECT_EQ(Render("{% macro m(caller) %}{{ caller }}{% endmacro %}"
                   "{{ m(1) }}"),
            msg);
  EXPECT_EQ(Render("{% macro m() %}{{ caller() }}{% endmacro %}{% call(caller)"
                   " m() %}{{ caller }}{% endcall %}"),
            msg);
  EXPECT_EQ(Render("{% macro m(caller=1) %}{{ caller }}{% endmacro %}"
                   "{{ m(2) }}"),
            "2");
  EXPECT_EQ(Render("{% macro m(caller) %}{% endmacro %}{{ m(2) }}"), "");
}

TEST(EvalTest, TupleEndRulesNeverMatchAsInJinja) {
  EXPECT_EQ(Render("{% for x, in [[1], [2]] %}{{ x }}{% endfor %}"),
            "EXC TemplateSyntaxError: expected token 'in', got '['");
  EXPECT_EQ(Render("{% for x in [1], recursive %}{{ x }};{% endfor %}"),
            "[1];;");
}

TEST(EvalTest, ConstantSlicesWithBadBoundsFoldToUndefined) {
  EXPECT_EQ(Render("{{ ('abcdef')['a':] }}|{{ 'abc'[1.5:] }}|"
                   "{{ [0, 1][1.5:] }}|{{ (0, 1)[[1]:] }}|{{ 5[1:] }}|"
                   "{{ none[1:] }}|{{ [1, 2][1.5:] is undefined }}|"
                   "{{ 'abc'[1.5:] ~ 1 }}|{{ 1 if 'abc'[1.5:] else 2 }}"),
            "||||||True|1|2");
  // Not folded: a statement's expression or a name runs as Python would.
  EXPECT_EQ(ErrorClass("{% set x = 'abc'[1.5:] %}{{ x }}"), "TypeError");
  EXPECT_EQ(ErrorClass("{{ [1, 2, 3][x:] }}"), "TypeError");
  EXPECT_EQ(ErrorClass("{{ 'abc'[::0] }}"), "ValueError");
}

TEST(EvalTest, NumberAttributes) {
  Value ctx = Value::NewDict();
  ctx.DictSet("n", Value::Int(42));
  ctx.DictSet("f", Value::Float(3.5));
  ctx.DictSet("t", Value::Bool(true));
  EXPECT_EQ(Render("{{ n.real }}|{{ n.imag }}|{{ n.numerator }}|"
                   "{{ n.denominator }}|{{ 1 .real }}|{{ f.imag }}|"
                   "{{ t.real }}|{{ t.imag }}|{{ n['real'] }}|"
                   "{{ '{0.real}'.format(5) }}|{{ f.bit_length }}",
                   ctx),
            "42|0|42|1|1|0.0|1|0|42|5|");
}

TEST(EvalTest, NumberMethods) {
  Value ctx = Value::NewDict();
  ctx.DictSet("n", Value::Int(42));
  ctx.DictSet("f", Value::Float(3.5));
  EXPECT_EQ(Render("{{ n.bit_length() }}|{{ f.is_integer() }}|"
                   "{{ 1.0.is_integer() }}|{{ f.as_integer_ratio() }}|"
                   "{{ n.conjugate() }}|{{ f.hex() }}|{{ (-5).bit_count() }}|"
                   "{{ true.as_integer_ratio() }}|{{ (10**30).bit_count() }}",
                   ctx),
            "6|False|True|(7, 2)|42|0x1.c000000000000p+1|2|(1, 1)|37");
  EXPECT_EQ(Render("{{ 0.1.as_integer_ratio() }}|{{ 5e-324.hex() }}|"
                   "{{ (-0.0).hex() }}|{{ (-0.1).hex() }}|"
                   "{{ 2.2250738585072014e-308.hex() }}"),
            "(3602879701896397, 36028797018963968)|0x0.0000000000001p-1022|"
            "-0x0.0p+0|-0x1.999999999999ap-4|0x1.0000000000000p-1022");
  // Python 3.11's int has no is_integer.
  EXPECT_EQ(ErrorClass("{{ n.is_integer() }}", ctx), "UndefinedError");
  EXPECT_EQ(ErrorClass("{{ ('inf'|float).as_integer_ratio() }}"),
            "OverflowError");
}

TEST(EvalTest, InfinityConversionsOverflow) {
  Value ctx = Value::NewDict();
  ctx.DictSet("x", Value::Str("-inf"));
  EXPECT_EQ(Render("{{ (x|float) | filesizeformat }}", ctx),
            "EXC OverflowError: cannot convert float infinity to integer");
  EXPECT_EQ(ErrorClass("{{ x | float | int }}", ctx), "OverflowError");
  EXPECT_EQ(ErrorClass("{{ '%d' % (x|float) }}", ctx), "OverflowError");
  EXPECT_EQ(Render("{{ -1e30 | filesizeformat }}"),
            "-1000000000000000019884624838656 Bytes");
}

TEST(EvalTest, NegativeConstantBaseOfPowerAsJinjaWritesIt) {
  Value ctx = Value::NewDict();
  ctx.DictSet("m", Value::Int(2));
  EXPECT_EQ(Render("{{ -1 ** m }}|{{ (-1) ** m }}|{{ (-2) ** m }}|"
                   "{{ (0 - 1) ** m }}|{{ (-1.5) ** m }}|{{ (-1) ** 2 }}|"
                   "{{ (-m) ** 2 }}|{{ ('-3'|int) ** m }}",
                   ctx),
            "-1|-1|-4|-1|-2.25|1|4|-9");
}

TEST(EvalTest, CallBlockMacroHasNoName) {
  EXPECT_EQ(Render("{% macro m() %}{{ caller }}|{{ caller.name }}|"
                   "{{ caller.name is none }}|{{ caller.arguments }}"
                   "{% endmacro %}{% call(a) m() %}{% endcall %}"),
            "<Macro anonymous>|None|True|('a',)");
}

TEST(EvalTest, BlockReferencePrintsAsPythonObject) {
  std::string out = Render("{{ self.a }}{% block a %}A{% endblock %}");
  EXPECT_EQ(out.rfind("<jinja2.runtime.BlockReference object at 0x", 0), 0u)
      << out;
  EXPECT_EQ(out.substr(out.size() - 2), ">A");
}

}  // namespace
}  // namespace tmpl
