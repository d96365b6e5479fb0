// Build labels as one Dockerfile instruction instead of the `labels` query
// parameter of POST /build.

#ifndef KB_ENGINE_LABEL_FOLD_H_
#define KB_ENGINE_LABEL_FOLD_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kb::engine {

struct FoldedLabels {
  std::string dockerfile;  ///< the text with one LABEL line appended
  /// Labels a Dockerfile line cannot hold (a line break in the key or value,
  /// an empty key): still to be sent as the query parameter.
  std::vector<std::pair<std::string, std::string>> rest;
};

/// Docker's classic builder turns each entry of the `labels` parameter into
/// a LABEL step of its own, and each step creates and commits a container:
/// with kolla's nine labels that is seconds per image. One LABEL line at the
/// end of the Dockerfile gives the final stage the same labels in one step.
/// Keys and values are quoted and escaped with the Dockerfile's escape
/// character (`# escape=` directive) so that `$`, quotes and the escape
/// character stay literal, as the parameter leaves them. Returns nullopt
/// when the text cannot take a line safely (it ends in a line
/// continuation) or there is nothing to fold; the caller then sends every
/// label as the parameter.
std::optional<FoldedLabels> FoldLabels(
    const std::string& dockerfile,
    const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace kb::engine

#endif  // KB_ENGINE_LABEL_FOLD_H_
