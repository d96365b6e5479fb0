// Recursive-descent parser producing the tree in ast.h, following the
// grammar of Jinja2's parser.py.
#ifndef KB_TMPL_PARSER_H_
#define KB_TMPL_PARSER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tmpl/ast.h"
#include "tmpl/lexer.h"

namespace tmpl {

/// A parsed template body plus what the evaluator needs to know up front.
struct ParsedTemplate {
  std::vector<NodePtr> body;
  std::map<std::string, NodePtr> blocks;  // every block, nested ones too
  bool has_extends = false;
  std::vector<std::string> root_undefined;  // see idtracking.cc
};

/// Computes the frame_undefined lists of `t` (Jinja's symbol tracking).
void AnalyzeScopes(ParsedTemplate& t);

/// Finds a filter (is_test false) or template test by name; null if none.
using CalleeLookup =
    std::function<const void*(bool is_test, const std::string& name)>;

/// Parses tokens into a tree and resolves filters and tests. Throws
/// TemplateException (TemplateSyntaxError / TemplateAssertionError with a
/// line) on error.
ParsedTemplate Parse(std::vector<Token> tokens, const CalleeLookup& lookup);

}  // namespace tmpl

#endif  // KB_TMPL_PARSER_H_
