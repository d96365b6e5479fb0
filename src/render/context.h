// Loading render contexts for kolla-render: JSON and YAML files and
// name=value definitions, converted to template Values.
#ifndef KB_RENDER_CONTEXT_H_
#define KB_RENDER_CONTEXT_H_

#include <string>

#include "tmpl/error.h"
#include "tmpl/value.h"

namespace kb::render {

/// Parses JSON text into a Value as Python's json module does: objects keep
/// their key order (a repeated key keeps its first place and its last
/// value), 1.0 stays a float, integers of any size stay integers. Fails
/// with ValueError and the parser's message.
tmpl::Result<tmpl::Value> ParseJson(const std::string& text);

/// Reads FILE.json or FILE.yaml/.yml (by extension; other names are tried
/// as JSON, then YAML) into a dict Value. Fails with a message naming the
/// file when it cannot be read or is not a mapping.
tmpl::Result<tmpl::Value> LoadContextFile(const std::string& path);

/// Merges `src` into `dst` (both dicts); later keys replace earlier ones.
void MergeInto(const tmpl::Value& dst, const tmpl::Value& src);

}  // namespace kb::render

#endif  // KB_RENDER_CONTEXT_H_
