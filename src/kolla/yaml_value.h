// YAML documents as Python values, the way PyYAML's safe_load builds them.
#ifndef KB_KOLLA_YAML_VALUE_H_
#define KB_KOLLA_YAML_VALUE_H_

#include <string>
#include <string_view>

#include "tmpl/error.h"
#include "tmpl/value.h"

namespace kb::kolla {

/// Parses one YAML document into tmpl values: mappings become
/// insertion-ordered dicts, sequences lists, and plain scalars are resolved
/// with YAML 1.1 rules as PyYAML's safe loader does (`yes`/`on`/`True` are
/// bools, `~` and empty are None, `1` an int, `1.5` a float); quoted and
/// block scalars stay strings. `path` only names the file in messages.
/// Fails with error_class "YAMLError" on malformed input or a tag PyYAML's
/// safe loader refuses.
tmpl::Result<tmpl::Value> ParseYaml(std::string_view text,
                                    const std::string& path);

/// Reads and parses the file at `path`. A file that cannot be read fails
/// like Python's open() does ("FileNotFoundError", "[Errno 2] No such file
/// or directory: 'path'").
tmpl::Result<tmpl::Value> LoadYamlFile(const std::string& path);

}  // namespace kb::kolla

#endif  // KB_KOLLA_YAML_VALUE_H_
