#include "graph/from_parser.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "util/strings.h"

namespace kb::graph {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t b = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

// Docker's variable substitution: $X, ${X}, ${X:-default}, ${X:+alt}.
std::string Substitute(std::string_view s,
                       const std::map<std::string, std::string>& vars) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    if (s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += s.substr(i);
        break;
      }
      std::string_view body = s.substr(i + 2, close - i - 2);
      std::string name(body), word;
      char op = 0;
      if (size_t c = body.find(':'); c != std::string_view::npos &&
                                     c + 1 < body.size()) {
        name = std::string(body.substr(0, c));
        op = body[c + 1];
        word = std::string(body.substr(c + 2));
      }
      auto it = vars.find(name);
      bool set = it != vars.end() && !it->second.empty();
      if (op == '-') {
        out += set ? it->second : word;
      } else if (op == '+') {
        out += set ? word : "";
      } else if (it != vars.end()) {
        out += it->second;
      }
      i = close;
      continue;
    }
    size_t j = i + 1;
    while (j < s.size() &&
           (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
      ++j;
    if (j == i + 1) {
      out += '$';
      continue;
    }
    auto it = vars.find(std::string(s.substr(i + 1, j - i - 1)));
    if (it != vars.end()) out += it->second;
    i = j - 1;
  }
  return out;
}

// Splits the file into logical instruction lines: comments dropped and
// backslash continuations joined.
std::vector<std::string> Instructions(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (const std::string& raw : util::Split(text, "\n")) {
    std::string line = raw;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string trimmed = util::Trim(line);
    if (cur.empty() && (trimmed.empty() || trimmed[0] == '#')) continue;
    if (!trimmed.empty() && trimmed.back() == '\\') {
      cur += trimmed.substr(0, trimmed.size() - 1) + " ";
      continue;
    }
    if (!cur.empty() && trimmed.size() && trimmed[0] == '#') continue;
    cur += trimmed;
    out.push_back(cur);
    cur.clear();
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

FromInfo ParseFrom(std::string_view dockerfile,
                   const std::vector<std::pair<std::string, std::string>>&
                       build_args) {
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> overrides(build_args.begin(),
                                               build_args.end());
  // stage name (lowercase) -> the image that stage is based on
  std::map<std::string, std::string> stages;
  FromInfo info;
  std::string last_base;
  bool seen_from = false;

  for (const std::string& ins : Instructions(dockerfile)) {
    std::vector<std::string> w = Words(ins);
    if (w.empty()) continue;
    std::string kw = Lower(w[0]);
    if (kw == "arg" && !seen_from) {
      for (size_t k = 1; k < w.size(); ++k) {
        size_t eq = w[k].find('=');
        std::string name = w[k].substr(0, eq);
        std::string value =
            eq == std::string::npos ? "" : w[k].substr(eq + 1);
        if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') &&
            value.back() == value[0])
          value = value.substr(1, value.size() - 2);
        auto o = overrides.find(name);
        if (o != overrides.end()) value = o->second;
        if (eq != std::string::npos || o != overrides.end())
          vars[name] = Substitute(value, vars);
      }
      continue;
    }
    if (kw != "from") continue;
    seen_from = true;
    size_t k = 1;
    while (k < w.size() && w[k].rfind("--", 0) == 0) ++k;
    if (k >= w.size()) continue;
    std::string image = Substitute(w[k], vars);
    std::string base = image;
    auto st = stages.find(Lower(image));
    if (st != stages.end()) {
      base = st->second;
    } else if (Lower(image) != "scratch" &&
               std::find(info.images.begin(), info.images.end(), image) ==
                   info.images.end()) {
      info.images.push_back(image);
    }
    if (k + 2 < w.size() && Lower(w[k + 1]) == "as")
      stages[Lower(w[k + 2])] = base;
    last_base = Lower(base) == "scratch" ? "" : base;
  }
  info.parent = last_base;
  return info;
}

}  // namespace kb::graph
