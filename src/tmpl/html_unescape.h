// Python's html.unescape(), which markupsafe's Markup.unescape() and so
// Jinja2's `striptags` filter use to decode character references.
#ifndef KB_TMPL_HTML_UNESCAPE_H_
#define KB_TMPL_HTML_UNESCAPE_H_

#include <string>
#include <string_view>

namespace tmpl {

/// Decodes the character references in UTF-8 text as Python's
/// html.unescape() does: decimal and hex ones (with or without ';', the
/// HTML5 replacements for 0, surrogates, C1 controls and noncharacters),
/// and the 2231 HTML5 named ones, the legacy names also without ';' and
/// as the longest prefix of a longer name ("&notit;" -> "¬it;").
/// Anything else is kept ("&unknown;").
std::string HtmlUnescape(std::string_view text);

}  // namespace tmpl

#endif  // KB_TMPL_HTML_UNESCAPE_H_
