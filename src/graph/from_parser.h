// Reading the images a Dockerfile builds FROM, the way Docker reads them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::graph {

struct FromInfo {
  /// The base image of the final stage, followed through stage names
  /// ("" when the file has no FROM or builds FROM scratch).
  std::string parent;
  /// Every image named by a FROM line that is not an earlier stage, in
  /// file order, without duplicates.
  std::vector<std::string> images;
};

/// Parses the FROM instructions of `dockerfile`: skips `--flag=value`
/// options, substitutes ARG defaults declared before the first FROM
/// (overridden by `build_args`), and ignores stage names (`AS x`).
/// PARITY(kolla): for a plain `FROM image[:tag]` the parent is the second
/// space-separated word of the first FROM line, as build_image_list reads it.
FromInfo ParseFrom(std::string_view dockerfile,
                   const std::vector<std::pair<std::string, std::string>>&
                       build_args);

}  // namespace kb::graph
