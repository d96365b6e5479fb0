// Splits template source into tokens, as Jinja2's lexer does.
#ifndef KB_TMPL_LEXER_H_
#define KB_TMPL_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tmpl {

enum class Tok {
  kData,        // literal template text
  kVarBegin,    // {{
  kVarEnd,      // }}
  kBlockBegin,  // {%
  kBlockEnd,    // %}
  kName,
  kString,      // value holds the unescaped text
  kInt,         // value holds the digits (underscores removed), base 10
  kFloat,
  kOp,          // value holds the operator text
  kEof,
};

struct Token {
  Tok type;
  std::string value;
  int line = 1;
  int col = 1;
};

struct LexOptions {
  bool trim_blocks = false;
  bool lstrip_blocks = false;
  bool keep_trailing_newline = false;
};

/// Normalises newlines (CRLF and lone CR become LF) and drops one trailing
/// newline unless `keep_trailing_newline`, as Jinja2 does before lexing.
std::string NormalizeSource(std::string_view source, bool keep_trailing_newline);

/// Tokenizes normalized source. Throws TemplateException (a
/// TemplateSyntaxError with line and column) on malformed input.
std::vector<Token> Tokenize(std::string_view source, const LexOptions& opts);

}  // namespace tmpl

#endif  // KB_TMPL_LEXER_H_
