// Template tests: the BUGS.md entries B001-B013 with the values Python
// Jinja2 3.1 gives (verified there), plus API behaviour.
#include "tmpl/environment.h"
#include "tmpl/test_render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tmpl {
namespace {

Value FromJson(const nlohmann::ordered_json& j) {
  if (j.is_null()) return Value::None();
  if (j.is_boolean()) return Value::Bool(j.get<bool>());
  if (j.is_number_integer()) return Value::Int(j.get<int64_t>());
  if (j.is_number_float()) return Value::Float(j.get<double>());
  if (j.is_string()) return Value::Str(j.get<std::string>());
  if (j.is_array()) {
    std::vector<Value> items;
    for (const auto& e : j) items.push_back(FromJson(e));
    return Value::NewList(std::move(items));
  }
  Value d = Value::NewDict();
  for (const auto& [k, v] : j.items()) d.DictSet(k, FromJson(v));
  return d;
}

Value Ctx(const char* json = "{}") {
  return FromJson(nlohmann::ordered_json::parse(json));
}

// Renders `src`; errors come back as "EXC Class: message".
std::string Render(const std::string& src, const Value& ctx = Ctx(),
                   Options opts = {},
                   std::map<std::string, std::string> templates = {}) {
  Environment env(opts);
  env.SetLoader(DictLoader(std::move(templates)));
  return RenderIn(env, src, ctx);
}

// Renders template `name` from `templates`.
std::string RenderNamed(const std::map<std::string, std::string>& templates,
                        const std::string& name, const Value& ctx = Ctx()) {
  Environment env;
  env.SetLoader(DictLoader(templates));
  return OutputOrError(env, env.GetTemplate(name), ctx);
}

TEST(NewlineTest, CrlfAndCrBecomeLfAndOneTrailingNewlineIsDropped) {
  EXPECT_EQ(Render("FROM x\r\nRUN a\r\n{% if true %}\r\nRUN b\r\n{% endif %}\r\n"),
            "FROM x\nRUN a\n\nRUN b\n");
  EXPECT_EQ(Render("A\rB\n\n"), "A\nB\n");
  EXPECT_EQ(Render("a\xc2\x85" "b\xe2\x80\xa8" "c"), "a\xc2\x85" "b\xe2\x80\xa8" "c");
  EXPECT_EQ(Render("{{ 'x\r\ny' | length }}"), "3");
}

TEST(NewlineTest, KeepTrailingNewlineKeepsIt) {
  Options o;
  o.keep_trailing_newline = true;
  EXPECT_EQ(Render("a\r\nb\r\n", Ctx(), o), "a\nb\n");
}

TEST(WhitespaceTest, MinusMarkersBuildKollaRunChains) {
  EXPECT_EQ(Render("{% for i in items %}\n{%- if loop.first %}RUN {% else %}"
                   "    && {% endif -%}\n    echo {{ i }}\n{%- if not loop.last"
                   " %} \\{% endif %}\n{% endfor -%}\nEND",
                   Ctx(R"({"items": ["a", "b"]})")),
            "RUN echo a \\\n    && echo b\nEND");
}

TEST(WhitespaceTest, TrimAndLstripBlocks) {
  const char* src = "{% for i in range(2) %}\n   i = {{i}}\n{% endfor %}";
  EXPECT_EQ(Render(src), "\n   i = 0\n\n   i = 1\n");
  Options o;
  o.trim_blocks = o.lstrip_blocks = true;
  EXPECT_EQ(Render(src, Ctx(), o), "   i = 0\n   i = 1\n");
  Options t;
  t.trim_blocks = true;
  EXPECT_EQ(Render("{% if true %}  \n  x{% endif %}", Ctx(), t), "  \n  x");
}

TEST(WhitespaceTest, MacroMarkersPlusAndComments) {
  EXPECT_EQ(Render("{% macro m(arg) -%}\nhello {{ arg }}\n{%- endmacro %}"
                   "[{{ m('hi') }}]"),
            "[hello hi]");
  EXPECT_EQ(Render("  {% if true %}x{% endif %}"), "  x");
  EXPECT_EQ(Render("a {#- c -#} b|a {{- 'x' -}} b|a\n  {%+ if true %}x"
                   "{% endif %}"),
            "ab|axb|a\n  x");
}

TEST(PrintTest, ValuesPrintAsPythonStr) {
  EXPECT_EQ(Render("{{ ['a', \"b'c\", 1, 2.5, none, true] }}|{{ {'k': 'v', "
                   "'n': [1]} }}|{{ (1,) }}|{{ 1, 2 }}"),
            "['a', \"b'c\", 1, 2.5, None, True]|{'k': 'v', 'n': [1]}|(1,)|"
            "(1, 2)");
  EXPECT_EQ(Render("{{ 0.1 + 0.2 }}|{{ 1e3 }}|{{ none }}|{{ True }}|"
                   "{{ 3 ~ none }}|{{ 2.50 }}"),
            "0.30000000000000004|1000.0|None|True|3None|2.5");
  EXPECT_EQ(Render("{% if 0, 'foo' != 'bar' %}1{% endif %}"), "1");
}

TEST(PrintTest, IntegersBeyond64BitsPrintInFull) {
  EXPECT_EQ(Render("{{ 10 ** 20 }}|{{ 9223372036854775807 + 1 }}"),
            "100000000000000000000|9223372036854775808");
}

TEST(UndefinedTest, PrintsEmptyAndDefaultReplacesOnlyUndefined) {
  EXPECT_EQ(Render("[{{ missing }}]|[{{ d.nokey }}]|[{{ missing ~ 'a' }}]|"
                   "[{{ missing | length }}]|[{% for x in missing %}{% else %}"
                   "none{% endfor %}]|[{{ none | default('z') }}]|"
                   "[{{ '' | default('x') }}]|[{{ '' | default('x', true) }}]|"
                   "[{{ missing is defined }}]",
                   Ctx(R"({"d": {}})")),
            "[]|[]|[a]|[0]|[none]|[None]|[]|[x]|[False]");
}

TEST(UndefinedTest, UsingUndefinedRaises) {
  Value d = Ctx(R"({"d": {}})");
  EXPECT_EQ(Render("{{ missing.attr }}"),
            "EXC UndefinedError: 'missing' is undefined");
  EXPECT_EQ(Render("{{ d.nokey.deeper }}", d),
            "EXC UndefinedError: 'dict object' has no attribute 'nokey'");
  EXPECT_EQ(Render("{{ missing + 'a' }}"),
            "EXC UndefinedError: 'missing' is undefined");
  EXPECT_EQ(Render("{{ missing | int }}"),
            "EXC UndefinedError: 'missing' is undefined");
  EXPECT_EQ(Render("{{ missing | tojson }}"),
            "EXC TypeError: Object of type Undefined is not JSON serializable");
  EXPECT_EQ(Render("{{ none | trim | length }}|{{ none | replace('n', 'x') }}|"
                   "{{ none | upper }}|{{ none == 'None' }}"),
            "4|Noxe|NONE|False");
  EXPECT_EQ(Render("{{ none | length }}"),
            "EXC TypeError: object of type 'NoneType' has no len()");
}

TEST(ScopeTest, SetInLoopDoesNotLeak) {
  EXPECT_EQ(Render("{% set a = 1 %}{% for i in [1,2,3] %}{{ a }},{% set a = "
                   "a + 1 %}{% endfor %}|{{ a }}"),
            "1,1,1,|1");
  EXPECT_EQ(Render("{% set v = 'o' %}{% for x in [1,2] %}{{ v }}{% set v = x "
                   "%}{{ v }};{% endfor %}{{ v }}"),
            "o1;o2;o");
  EXPECT_EQ(Render("{% for x in [1,0,0] %}{% if x %}{% set v = 'text' %}"
                   "{% endif %}[{{ v }}]{% endfor %}"),
            "[text][][]");
}

TEST(ScopeTest, NamespaceAndWith) {
  EXPECT_EQ(Render("{% set ns = namespace(t=0) %}{% for i in [1,2] %}{% set "
                   "ns.t = ns.t + i %}{% endfor %}{{ ns.t }}|{% set t = 0 %}"
                   "{% if true %}{% set t = 5 %}{% endif %}{{ t }}"),
            "3|5");
  EXPECT_EQ(Render("{% with a = 1, b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}",
                   Ctx(R"({"a": "X"})")),
            "1XX");
  EXPECT_EQ(Render("{% set d = {} %}{% set d.k = 1 %}"),
            "EXC TemplateRuntimeError: cannot assign attribute on "
            "non-namespace object");
}

TEST(MacroTest, ScopingDefaultsAndVarargs) {
  EXPECT_EQ(Render("{% macro m() %}{{ x }}{% endmacro %}{% for x in [1,2] %}"
                   "{{ m() }}{% endfor %}",
                   Ctx(R"({"x": "ctx"})")),
            "ctxctx");
  EXPECT_EQ(Render("{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}"
                   "{% set x = 2 %}{{ m() }}"),
            "2");
  EXPECT_EQ(Render("{% macro m(a, b=a ~ '!') %}{{ a }}{{ b }}{% endmacro %}"
                   "{{ m('x') }}|{% macro n(a) %}{{ varargs }}{{ kwargs }}"
                   "{% endmacro %}{{ n(1, 2, k=3) }}"),
            "xx!|(2,){'k': 3}");
  EXPECT_EQ(Render("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}"),
            "EXC TypeError: macro 'm' takes not more than 1 argument(s)");
  EXPECT_EQ(Render("{% set x = 'outer' %}{% macro m() %}{% set x = 'inner' %}"
                   "{{ x }}{% endmacro %}{{ m() }}{{ x }}"),
            "innerouter");
}

TEST(MacroTest, CallerAndTheNoCallerLimitation) {
  EXPECT_EQ(Render("{% macro m() %}{{ caller(3) }}{% endmacro %}{% call(n) "
                   "m() %}n={{ n }}{% endcall %}|{% macro k() %}{% if caller "
                   "%}C{% else %}N{% endif %}{% endmacro %}{{ k() }}"),
            "n=3|N");
  EXPECT_EQ(Render("{% macro tag() %}<{{ caller() }}>{% endmacro %}{% macro "
                   "div() %}{% call tag() %}[{{ caller() }}]{% endcall %}"
                   "{% endmacro %}{% call div() %}X{% endcall %}"),
            "EXC UndefinedError: No caller defined");
}

const std::map<std::string, std::string> kMacros = {
    {"macros.j2",
     "{% macro install(pkgs, clean=clean_package_cache) -%}install {{ pkgs | "
     "join(' ') }}{% if clean %} && clean{% endif %} [{{ base_distro }}]"
     "{%- endmacro %}{% set helper_var = 'H' %}"},
    {"incd", "[{{ local }}{{ base_distro }}]"},
};

TEST(ImportTest, WithAndWithoutContext) {
  Value ctx = Ctx(R"({"clean_package_cache": true, "base_distro": "debian"})");
  EXPECT_EQ(Render("{% import 'macros.j2' as m with context %}{{ m.install("
                   "['a','b']) }}|{{ m.helper_var }}",
                   ctx, {}, kMacros),
            "install a b && clean [debian]|H");
  EXPECT_EQ(Render("{% import 'macros.j2' as m %}{{ m.install(['a','b']) }}",
                   ctx, {}, kMacros),
            "install a b []");
  EXPECT_EQ(Render("{% from 'macros.j2' import install %}{{ install(['a']) }}",
                   ctx, {}, kMacros),
            "install a []");
  EXPECT_EQ(Render("{% from 'macros.j2' import install with context %}"
                   "{{ install(['a']) }}",
                   ctx, {}, kMacros),
            "install a && clean [debian]");
  EXPECT_EQ(Render("{% for base_distro in ['x'] %}{% import 'macros.j2' as m "
                   "with context %}{{ m.install(['a']) }}{% endfor %}",
                   ctx, {}, kMacros),
            "install a && clean [x]");
  EXPECT_EQ(Render("{% from 'macros.j2' import _hidden %}", ctx, {}, kMacros),
            "EXC TemplateAssertionError: names starting with an underline can "
            "not be imported");
}

TEST(ImportTest, IncludeContextListsAndIgnoreMissing) {
  Value ctx = Ctx(R"({"clean_package_cache": true, "base_distro": "debian"})");
  EXPECT_EQ(Render("{% set local = 'L' %}{% include 'incd' %}|{% include "
                   "'incd' without context %}|{% include 'nosuch' ignore "
                   "missing %}|{% include ['nosuch', 'incd'] %}",
                   ctx, {}, kMacros),
            "[Ldebian]|[]||[Ldebian]");
}

const std::map<std::string, std::string> kInherit = {
    {"base", "A{% block b %}base-b{% endblock %}C{% block outer %}[{% block "
             "inner %}in{% endblock %}]{% endblock %}"},
    {"child", "{% extends 'base' %}junk{% block b %}child-b+{{ super() }}"
              "{% endblock %}"},
    {"grand", "{% extends 'child' %}{% block b %}g+{{ super() }}{% endblock %}"
              "{% block inner %}I+{{ super() }}{% endblock %}"},
    {"nested_override", "{% extends 'base' %}{% block outer %}O{{ super() }}"
                        "{% endblock %}{% block inner %}NI{% endblock %}"},
    {"usevar", "[{{ v }}]{% block blk %}{{ v }}{% endblock %}"},
    {"setchild", "{% extends 'usevar' %}{% set v = 'fromchild' %}"},
    {"setinblock", "{% extends 'usevar' %}{% block blk %}{% set v = 'blk' %}"
                   "{{ v }}{% endblock %}"},
    {"twice_ext", "{% extends 'base' %}{% extends 'base' %}"},
    {"cond_ext", "{% if flag %}{% extends 'base' %}{% endif %}X"},
    {"loopblock", "{% for item in [1,2] %}{% block lb %}{{ item }}"
                  "{% endblock %}{% endfor %}"},
    {"loopblock_scoped", "{% for item in [1,2] %}{% block lb scoped %}"
                         "{{ item }}{{ loop.index }}{% endblock %}{% endfor %}"},
    {"dup", "{% block x %}1{% endblock %}{% block x %}2{% endblock %}"},
    {"req", "{% block r required %}{% endblock %}"},
    {"reqchild", "{% extends 'req' %}"},
};

TEST(InheritanceTest, SuperChainsAndChildSetsReachParent) {
  EXPECT_EQ(RenderNamed(kInherit, "child"), "Achild-b+base-bC[in]");
  EXPECT_EQ(RenderNamed(kInherit, "grand"), "Ag+child-b+base-bC[I+in]");
  EXPECT_EQ(RenderNamed(kInherit, "nested_override"), "Abase-bCO[NI]");
  EXPECT_EQ(RenderNamed(kInherit, "setchild"), "[fromchild]fromchild");
  EXPECT_EQ(RenderNamed(kInherit, "setinblock"), "[]blk");
}

TEST(InheritanceTest, ConditionalRepeatedRequiredAndScopedBlocks) {
  EXPECT_EQ(RenderNamed(kInherit, "twice_ext"),
            "EXC TemplateRuntimeError: extended multiple times");
  EXPECT_EQ(RenderNamed(kInherit, "cond_ext", Ctx(R"({"flag": true})")),
            "Abase-bC[in]");
  EXPECT_EQ(RenderNamed(kInherit, "cond_ext", Ctx(R"({"flag": false})")), "X");
  EXPECT_EQ(RenderNamed(kInherit, "loopblock"), "");
  EXPECT_EQ(RenderNamed(kInherit, "loopblock_scoped"), "1122");
  EXPECT_EQ(RenderNamed(kInherit, "dup"),
            "EXC TemplateAssertionError: block 'x' defined twice");
  EXPECT_EQ(RenderNamed(kInherit, "reqchild"),
            "EXC TemplateRuntimeError: Required block 'r' not found");
}

TEST(InheritanceTest, ExtendsTemplateValueAsKollaOverridesDo) {
  Environment base_env;
  base_env.SetLoader(DictLoader(kInherit));
  auto parent = base_env.GetTemplate("usevar");
  ASSERT_TRUE(parent.ok());
  Environment env;
  auto ov = env.FromString("{% extends parent_template %}{% set v = 'OV' %}"
                           "{% block blk %}<{{ super() }}>{% endblock %}",
                           "ov.j2");
  ASSERT_TRUE(ov.ok());
  Value ctx = Value::NewDict();
  ctx.DictSet("parent_template", TemplateValue(parent.value()));
  auto r = env.Render(*ov.value(), ctx);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value(), "[OV]<OV>");
}

TEST(FilterTest, TruncateLeewayAndSortKeys) {
  EXPECT_EQ(Render("{{ 'abcdefghij' | truncate(5) }}|{{ 'foo bar baz qux' | "
                   "truncate(9) }}|{{ 'foo bar baz qux' | truncate(9, True) }}|"
                   "{{ '2016.10.26_cc37528' | truncate(13, True) }}|"
                   "{{ '2016.10.26_cc37528' | truncate(13, True, leeway=0) }}"),
            "abcdefghij|foo...|foo ba...|2016.10.26_cc37528|2016.10.26...");
  Value users = Ctx(R"({"users": [{"name": "b", "uid": 2, "g": "x"},
      {"name": "a", "uid": 10, "g": "y"}, {"name": "C", "uid": 1, "g": "x"}]})");
  EXPECT_EQ(Render("{{ users | sort(attribute='name') | map(attribute='name') "
                   "| join }}|{{ users | sort(attribute='name', "
                   "case_sensitive=true) | join(',', attribute='name') }}|"
                   "{{ users | sort(attribute='g,uid', reverse=true) | "
                   "map(attribute='uid') | join(',') }}|{{ users | "
                   "map(attribute='nope', default='-') | join }}|"
                   "{{ ['a','A','b'] | unique | list }}",
                   users),
            "abC|C,a,b|10,2,1|---|['a', 'b']");
  EXPECT_EQ(Render("{{ 'abc' | truncate(2) }}"),
            "EXC AssertionError: expected length >= 3, got 2");
}

TEST(FilterTest, RoundIntIndentAndTojson) {
  EXPECT_EQ(Render("{{ 2.5 | round }}|{{ 3.5 | round }}|{{ 2.567 | round(2, "
                   "'floor') }}|{{ 2.1 | round(method='ceil') }}|{{ '3.7' | "
                   "int }}|{{ '0x1A' | int(base=16) }}|{{ 'abc' | "
                   "int(default=-1) }}|{{ 'x' | float }}"),
            "2.0|4.0|2.56|3.0|3|26|-1|0.0");
  EXPECT_EQ(Render("{{ 'a\nb\n\nc' | indent(2) }}|{{ 'a\nb' | indent(2, "
                   "first=True) }}|{{ 'a\n\nb' | indent(width='> ', "
                   "blank=True) }}|{{ 'aaa' | replace('a', 'b', 2) }}|"
                   "{{ [1,2] | join(d='-') }}"),
            "a\n  b\n\n  c|  a\n  b|a\n> \n> b|bba|1-2");
  EXPECT_EQ(Render("{{ {'b':1,'a':2} | dictsort(by='value') }}|{{ [1,2,3,4,5] "
                   "| batch(2, 'x') | list }}|{{ x | tojson }}",
                   Ctx(R"({"x": {"b": "<'&>", "a": [1, null]}})")),
            "[('b', 1), ('a', 2)]|[[1, 2], [3, 4], [5, 'x']]|{\"a\": [1, null], "
            "\"b\": \"\\u003c\\u0027\\u0026\\u003e\"}");
}

TEST(SandboxTest, RangeLimitDunderAndMutation) {
  EXPECT_EQ(Render("{% for i in range(100000) %}{% endfor %}ok"), "ok");
  EXPECT_EQ(Render("{% for i in range(100001) %}{% endfor %}ok"),
            "EXC OverflowError: Range too big. The sandbox blocks ranges "
            "larger than MAX_RANGE (100000).");
  EXPECT_EQ(Render("[{{ ''.__class__ }}]|{{ x.append(2) }}{{ x }}",
                   Ctx(R"({"x": [1]})")),
            "[]|None[1, 2]");
  EXPECT_EQ(Render("{{ ''.__class__.__mro__ }}"),
            "EXC SecurityError: access to attribute '__class__' of 'str' "
            "object is unsafe.");
}

TEST(SandboxTest, DisabledStatementsAndDeferredUnknownFilters) {
  EXPECT_EQ(Render("{% for x in [1,2] %}{% if x == 2 %}{% break %}{% endif %}"
                   "{{ x }}{% endfor %}")
                .rfind("EXC TemplateSyntaxError: Encountered unknown tag "
                       "'break'.",
                       0),
            0u);
  EXPECT_EQ(Render("{% do x.append(1) %}"),
            "EXC TemplateSyntaxError: Encountered unknown tag 'do'.");
  EXPECT_EQ(Render("{% if false %}{{ x | nosuch }}{% endif %}ok"), "ok");
  EXPECT_EQ(Render("{{ x | nosuch }}ok"),
            "EXC TemplateAssertionError: No filter named 'nosuch'.");
}

TEST(SandboxTest, DeepRecursionEndsWithAnError) {
  EXPECT_EQ(Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
            "EXC RecursionError: maximum recursion depth exceeded");
}

TEST(ErrorTest, FormatShowsLocationSourceLineAndCaret) {
  Environment env;
  auto t = env.FromString("line one\n{{ missing.attr }}", "x.j2");
  ASSERT_TRUE(t.ok());
  auto r = env.Render(*t.value(), Value::NewDict());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(),
            "x.j2:2:4: UndefinedError: 'missing' is undefined\n"
            "  {{ missing.attr }}\n"
            "     ^");
}

TEST(ErrorTest, SyntaxErrorNamesTheOpenBlock) {
  Environment env;
  auto t = env.FromString("{% if x %}\n{% endfor %}", "y.j2");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().error_class, "TemplateSyntaxError");
  EXPECT_EQ(t.error().line, 2);
  EXPECT_EQ(t.error().message,
            "Encountered unknown tag 'endfor'. Jinja was looking for the "
            "following tags: 'elif' or 'else' or 'endif'. The innermost block "
            "that needs to be closed is 'if'.");
}

TEST(ApiTest, GetTemplateIsCachedAndNativeFiltersSeeTheContext) {
  Environment env;
  env.SetLoader(DictLoader({{"a", "{{ x | tag }}"}}));
  env.AddFilter("tag", [](CallContext& ctx, const Value& in, CallArgs&) {
    return Value::Str(in.ToStr() + "@" + ctx.Resolve("image_name").ToStr());
  });
  auto t1 = env.GetTemplate("a");
  auto t2 = env.GetTemplate("a");
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(t1.value().get(), t2.value().get());
  auto r = env.Render(*t1.value(), Ctx(R"({"x": 1, "image_name": "cron"})"));
  EXPECT_EQ(r.value(), "1@cron");
  EXPECT_EQ(env.GetTemplate("nope").error().error_class, "TemplateNotFound");
}

TEST(ApiTest, ListsAreSharedSoFiltersCanMutateThem) {
  Environment env;
  env.AddFilter("grow", [](CallContext&, const Value& in, CallArgs&) {
    in.ListItems().push_back(Value::Str("b"));
    return in;
  });
  auto t = env.FromString("{% set p = ['a'] %}{% set q = p %}{{ p | grow }}"
                          "{{ p | grow }}{{ q }}",
                          "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(env.Render(*t.value(), Value::NewDict()).value(),
            "['a', 'b']['a', 'b', 'b']['a', 'b', 'b']");
}

TEST(ApiTest, RaiseFromNativeFunctionCarriesClassAndLocation) {
  Environment env;
  env.AddGlobal("raise_error", Value::Function("raise_error",
                                               [](CallContext&, CallArgs& a) {
                                                 Raise("TemplateRuntimeError",
                                                       a.args.at(0).ToStr());
                                                 return Value();
                                               }));
  auto t = env.FromString("x\n  {{ raise_error('boom') }}", "r.j2");
  auto r = env.Render(*t.value(), Value::NewDict());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error_class, "TemplateRuntimeError");
  EXPECT_EQ(r.error().message, "boom");
  EXPECT_EQ(r.error().line, 2);
}

}  // namespace
}  // namespace tmpl
