#include "config/ini.h"

#include <cctype>

namespace kb::config {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string_view RStrip(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view LStrip(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view Strip(std::string_view s) { return LStrip(RStrip(s)); }

// Python's text mode turns "\r\n" and a lone "\r" into "\n" before the
// parser sees the lines.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace

std::string NormalizeGroupName(std::string_view name) {
  std::string out(name);
  if (out == "DEFAULT") return out;
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

bool ParseIni(std::string_view path, std::string_view text, IniFile* out,
              std::string* err) {
  out->path = std::string(path);
  std::string section;
  bool have_section = false;
  std::string key;
  bool have_key = false;
  std::vector<std::string> value;
  int key_line = 0;
  int lineno = 0;

  auto fail = [&](int line, const std::string& message) {
    *err = std::string(path) + ":" + std::to_string(line) + ": " + message;
    return false;
  };
  // Stores the pending assignment. oslo raises "no section" only here, so
  // the line reported is the key's.
  auto flush = [&]() {
    if (!have_key) return true;
    have_key = false;
    if (!have_section) {
      return fail(key_line, "section must be started before assignment");
    }
    std::string joined;
    for (size_t i = 0; i < value.size(); ++i) {
      if (i) joined += '\n';
      joined += value[i];
    }
    out->sections[NormalizeGroupName(section)][key].push_back(
        IniEntry{joined, key_line});
    value.clear();
    return true;
  };

  for (std::string_view raw : SplitLines(text)) {
    ++lineno;
    std::string_view line = RStrip(raw);
    if (line.empty()) {
      if (!flush()) return false;
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!have_key) return fail(lineno, "unexpected continuation line");
      value.emplace_back(LStrip(line));
      continue;
    }
    if (!flush()) return false;

    if (line[0] == '[') {
      if (line.back() != ']') {
        return fail(lineno, "invalid section (must end with ])");
      }
      if (line.size() <= 2) return fail(lineno, "empty section name");
      section = std::string(line.substr(1, line.size() - 2));
      have_section = true;
      std::string norm = NormalizeGroupName(section);
      if (!out->sections.count(norm)) out->raw_sections.push_back(section);
      out->sections[norm];
      continue;
    }
    if (line[0] == '#' || line[0] == ';') continue;

    size_t colon = line.find(':');
    size_t equal = line.find('=');
    if (colon == std::string_view::npos && equal == std::string_view::npos) {
      return fail(lineno, "no ':' or '=' found in assignment");
    }
    size_t sep = (colon == std::string_view::npos ||
                  (equal != std::string_view::npos && equal < colon))
                     ? equal
                     : colon;
    std::string_view k = Strip(line.substr(0, sep));
    std::string_view v = Strip(line.substr(sep + 1));
    // PARITY(oslo): one pair of matching quotes around the first line is
    // removed; a lone quote character becomes the empty string.
    if (!v.empty() && (v[0] == '"' || v[0] == '\'') && v.back() == v[0]) {
      v = v.size() >= 2 ? v.substr(1, v.size() - 2) : std::string_view();
    }
    if (k.empty()) return fail(lineno, "key cannot be empty");
    key = std::string(k);
    value.assign(1, std::string(v));
    have_key = true;
    key_line = lineno;
  }
  return flush();
}

}  // namespace kb::config
