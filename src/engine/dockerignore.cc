#include "engine/dockerignore.h"

#include <cctype>

namespace kb::engine {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Components of a '/'-separated path without empty and "." ones.
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = slash + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

// PARITY(docker-py): fnmatch lowercases name and pattern (ASCII here).
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The glob as an ECMAScript regex: '*' stays inside a component, '**'
// crosses them, '?' is one non-'/' character, '[!...]' negates.
std::string GlobToRegex(std::string_view pat) {
  std::string re;
  size_t i = 0, n = pat.size();
  while (i < n) {
    char c = pat[i++];
    if (c == '*') {
      if (i < n && pat[i] == '*') {
        ++i;
        if (i < n && pat[i] == '/') ++i;  // "**/" is "**"
        re += i >= n ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      size_t j = i;
      if (j < n && pat[j] == '!') ++j;
      if (j < n && pat[j] == ']') ++j;
      while (j < n && pat[j] != ']') ++j;
      if (j >= n) {
        re += "\\[";  // no closing bracket: a literal '['
        continue;
      }
      std::string set;
      for (char k : pat.substr(i, j - i)) {
        if (k == '\\')
          set += "\\\\";
        else
          set += k;
      }
      i = j + 1;
      if (!set.empty() && set[0] == '!')
        set[0] = '^';
      else if (!set.empty() && set[0] == '^')
        set = "\\" + set;
      re += "[" + set + "]";
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               static_cast<unsigned char>(c) >= 0x80) {
      re += c;
    } else {
      re += '\\';
      re += c;
    }
  }
  return re;
}

}  // namespace

DockerIgnore DockerIgnore::Parse(std::string_view text) {
  DockerIgnore ignore;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(start, end - start));
    if (!line.empty() && line[0] != '#') ignore.Add(line);
    start = end + 1;
  }
  // PARITY(docker-py): exclude_paths() appends "!Dockerfile", and
  // PatternMatcher "!.dockerignore", after the user's patterns.
  ignore.Add("!Dockerfile");
  ignore.Add("!.dockerignore");
  return ignore;
}

void DockerIgnore::Add(std::string_view line) {
  Pattern p;
  if (!line.empty() && line[0] == '!') {
    p.exception = true;
    line.remove_prefix(1);
  }
  // ".." removes itself and the component before it, if any.
  std::vector<std::string> parts = SplitPath(Trim(line));
  for (size_t i = 0; i < parts.size();) {
    if (parts[i] == "..") {
      parts.erase(parts.begin() + static_cast<ptrdiff_t>(i));
      if (i > 0) {
        parts.erase(parts.begin() + static_cast<ptrdiff_t>(i - 1));
        --i;
      }
    } else {
      ++i;
    }
  }
  if (parts.empty()) return;  // "", "/", ".": matches nothing
  p.depth = parts.size();
  p.cleaned = Join(parts, parts.size());
  p.regex = std::regex(GlobToRegex(Lower(p.cleaned)),
                       std::regex::ECMAScript | std::regex::optimize);
  patterns_.push_back(std::move(p));
}

bool DockerIgnore::Matches(const Pattern& p, std::string_view path) const {
  return std::regex_match(Lower(path), p.regex);
}

bool DockerIgnore::Excludes(std::string_view path) const {
  size_t slash = path.rfind('/');
  std::vector<std::string> parent_parts =
      slash == std::string_view::npos ? std::vector<std::string>{}
                                      : SplitPath(path.substr(0, slash));
  bool excluded = false;
  for (const Pattern& p : patterns_) {
    bool match = Matches(p, path);
    // A pattern also matches through the leading folders of the path.
    if (!match && !parent_parts.empty() && p.depth <= parent_parts.size()) {
      match = Matches(p, Join(parent_parts, p.depth));
    }
    if (match) excluded = !p.exception;
  }
  return excluded;
}

bool DockerIgnore::MustDescend(std::string_view path) const {
  for (const Pattern& p : patterns_) {
    // PARITY(docker-py): a plain string prefix test, so "!build/x" also
    // walks a left-out folder "b".
    if (p.exception && p.cleaned.compare(0, path.size(), path) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace kb::engine
