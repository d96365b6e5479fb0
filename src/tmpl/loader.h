// Template loaders: map a template name to its source text.
#ifndef KB_TMPL_LOADER_H_
#define KB_TMPL_LOADER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tmpl {

/// Finds template sources by name.
class Loader {
 public:
  virtual ~Loader() = default;
  /// The source of `name`, or nullopt when there is no such template (the
  /// engine then raises TemplateNotFound).
  virtual std::optional<std::string> GetSource(const std::string& name) = 0;
};

/// Looks names up in `dirs`, first match wins. Names are '/'-separated and
/// may not contain '..' segments (as Jinja's split_template_path).
std::shared_ptr<Loader> FileSystemLoader(std::vector<std::string> dirs);

/// Serves templates from an in-memory map.
std::shared_ptr<Loader> DictLoader(std::map<std::string, std::string> sources);

}  // namespace tmpl

#endif  // KB_TMPL_LOADER_H_
