// libFuzzer target over the lexer, parser and renderer (KB_FUZZ=ON, clang).
// The first byte selects options; the rest is the template, which can also
// include/import/extend itself and a fixed helper template.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tmpl/environment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  tmpl::Options opts;
  opts.trim_blocks = data[0] & 1;
  opts.lstrip_blocks = data[0] & 2;
  opts.keep_trailing_newline = data[0] & 4;
  opts.strict_undefined = data[0] & 8;
  opts.autoescape = data[0] & 16;
  std::string src(reinterpret_cast<const char*>(data + 1), size - 1);

  tmpl::Environment env(opts);
  env.SetLoader(tmpl::DictLoader(
      {{"self.j2", src},
       {"helper.j2", "{% macro m(a, b=2) %}[{{ a }}{{ b }}{{ caller() if "
                     "caller }}]{% endmacro %}{% block blk %}H{% endblock %}"
                     "{% set exported = [1, 'x'] %}"}}));
  tmpl::Value ctx = tmpl::Value::NewDict();
  ctx.DictSet("s", tmpl::Value::Str("str"));
  ctx.DictSet("n", tmpl::Value::Int(3));
  ctx.DictSet("f", tmpl::Value::Float(2.5));
  ctx.DictSet("lst", tmpl::Value::NewList({tmpl::Value::Int(1),
                                           tmpl::Value::Str("a")}));
  tmpl::Value d = tmpl::Value::NewDict();
  d.DictSet("k", tmpl::Value::Str("v"));
  ctx.DictSet("d", d);

  auto t = env.GetTemplate("self.j2");
  if (!t.ok()) {
    (void)t.error().Format();
    return 0;
  }
  auto r = env.Render(*t.value(), ctx);
  if (!r.ok()) (void)r.error().Format();
  return 0;
}
