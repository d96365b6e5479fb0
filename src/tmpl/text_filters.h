// Jinja2's text-producing builtins that live apart from filters.cc: the
// `urlize` and `random` filters and the `lipsum` global.
#ifndef KB_TMPL_TEXT_FILTERS_H_
#define KB_TMPL_TEXT_FILTERS_H_

namespace tmpl {

class Environment;

/// Registers the filters `urlize` and `random` and the global `lipsum`,
/// with Jinja2's default `urlize.*` policies (rel "noopener", no target,
/// no extra schemes).
void RegisterTextBuiltins(Environment& env);

}  // namespace tmpl

#endif  // KB_TMPL_TEXT_FILTERS_H_
