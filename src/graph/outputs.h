// What --list-images, --list-dependencies and --save-dependency print.
#pragma once

#include <string>

#include "graph/image_graph.h"

namespace kb::graph {

/// "N : name" lines for the matched images, in discovery order.
std::string ListImages(const ImageGraph& g);

/// The matched images as a JSON tree (Python json.dump with indent=2, no
/// final newline), or "Nothing matched!" when none is matched. Unlike
/// upstream, which shows only the last root it finds, every root that has a
/// matched image is shown.
std::string ListDependencies(const ImageGraph& g);

/// The matched images and their parent edges as Graphviz dot source, one
/// statement per line, as python-graphviz writes it.
std::string DependencyDot(const ImageGraph& g);

}  // namespace kb::graph
