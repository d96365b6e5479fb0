// Loading render contexts for kolla-render: JSON and YAML files and
// name=value definitions, converted to template Values.
#ifndef KB_RENDER_CONTEXT_H_
#define KB_RENDER_CONTEXT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "tmpl/error.h"
#include "tmpl/value.h"

namespace kb::render {

/// Converts parsed JSON to a Value: objects keep their key order, 1.0 stays
/// a float, integers beyond 64 bits become floats.
tmpl::Value FromJson(const nlohmann::ordered_json& j);

/// Reads FILE.json or FILE.yaml/.yml (by extension; other names are tried
/// as JSON, then YAML) into a dict Value. Fails with a message naming the
/// file when it cannot be read or is not a mapping.
tmpl::Result<tmpl::Value> LoadContextFile(const std::string& path);

/// Merges `src` into `dst` (both dicts); later keys replace earlier ones.
void MergeInto(const tmpl::Value& dst, const tmpl::Value& src);

}  // namespace kb::render

#endif  // KB_RENDER_CONTEXT_H_
