#include "engine/label_fold.h"

#include <cctype>

namespace kb::engine {

namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TrimSpace(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The escape character from the parser directives, which are only read
// from the comment lines at the very top of the file.
char EscapeChar(const std::string& text) {
  char escape = '\\';
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string line = TrimSpace(
        text.substr(pos, end == std::string::npos ? std::string::npos
                                                  : end - pos));
    if (line.empty() || line[0] != '#') break;
    size_t eq = line.find('=');
    if (eq == std::string::npos) break;
    std::string name = TrimSpace(line.substr(1, eq - 1));
    if (name.empty()) break;
    for (char c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) return escape;
    if (Lower(name) == "escape") {
      std::string value = TrimSpace(line.substr(eq + 1));
      if (value == "`") escape = '`';
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return escape;
}

// Docker joins a line ending in the escape character (blanks may follow
// it) with the next one that has content, so a line appended after it
// would become part of that instruction.
bool EndsInContinuation(const std::string& text, char escape) {
  size_t end = text.find_last_not_of(" \t\r\n");
  return end != std::string::npos && text[end] == escape;
}

std::string Quote(const std::string& s, char escape) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '$' || c == escape) out += escape;
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::optional<FoldedLabels> FoldLabels(
    const std::string& dockerfile,
    const std::vector<std::pair<std::string, std::string>>& labels) {
  char escape = EscapeChar(dockerfile);
  if (EndsInContinuation(dockerfile, escape)) return std::nullopt;
  FoldedLabels out;
  std::string line = "LABEL";
  bool any = false;
  for (const auto& [key, value] : labels) {
    auto breaks = [](const std::string& s) {
      return s.find_first_of("\r\n") != std::string::npos;
    };
    if (key.empty() || breaks(key) || breaks(value)) {
      out.rest.emplace_back(key, value);
      continue;
    }
    line += " " + Quote(key, escape) + "=" + Quote(value, escape);
    any = true;
  }
  if (!any) return std::nullopt;
  out.dockerfile = dockerfile;
  if (!out.dockerfile.empty() && out.dockerfile.back() != '\n')
    out.dockerfile += '\n';
  out.dockerfile += line + "\n";
  return out;
}

}  // namespace kb::engine
