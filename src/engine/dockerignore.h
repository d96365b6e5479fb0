// The .dockerignore rules of a build context, as docker-py applies them.

#ifndef KB_ENGINE_DOCKERIGNORE_H_
#define KB_ENGINE_DOCKERIGNORE_H_

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace kb::engine {

/// Which members of a build context a `.dockerignore` leaves out.
/// PARITY(docker-py): utils.build.PatternMatcher, which kolla uses through
/// `APIClient.build(path=...)`, quirks included: patterns match
/// case-insensitively, the last matching pattern wins, a pattern also
/// matches a path whose leading folders match it, and `Dockerfile` and
/// `.dockerignore` are always sent. Patterns use `*`, `?`, `[...]` and
/// `**`; `!` makes an exception.
class DockerIgnore {
 public:
  /// No rules: nothing is left out.
  DockerIgnore() = default;

  /// Rules from the text of a .dockerignore: one pattern a line, trimmed;
  /// blank lines and lines starting with '#' are skipped.
  static DockerIgnore Parse(std::string_view text);

  /// Whether `path` ('/'-separated, relative to the context) is left out.
  bool Excludes(std::string_view path) const;

  /// Whether the left-out folder `path` must still be walked because an
  /// exception names something inside it ("!build/keep/me.txt").
  bool MustDescend(std::string_view path) const;

 private:
  struct Pattern {
    bool exception = false;
    size_t depth = 0;     // number of path components
    std::string cleaned;  // components joined with '/'
    std::regex regex;
  };

  void Add(std::string_view line);
  bool Matches(const Pattern& p, std::string_view path) const;

  std::vector<Pattern> patterns_;
};

}  // namespace kb::engine

#endif  // KB_ENGINE_DOCKERIGNORE_H_
