// An image of the build: one folder holding a Dockerfile.j2, its rendered
// Dockerfile, its place in the parent/child tree and its status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::graph {

/// Upstream kolla's image statuses (kolla/image/utils.py Status), plus
/// kUnchanged for an image whose content digest matches the image already
/// in the engine.
enum class ImageStatus {
  kUnprocessed,
  kMatched,
  kUnmatched,
  kSkipped,
  kUnbuildable,
  kBuilding,
  kBuilt,
  kUnchanged,
  kError,
  kParentError,
  kPushError,
  kConnectionError,
};

/// The status as upstream spells it ("parent_error").
std::string_view StatusName(ImageStatus s);

/// error, parent_error, push_error and connection_error (STATUS_ERRORS).
bool IsErrorStatus(ImageStatus s);

/// A source, plugin or addition as the config describes it.
struct SourceSpec {
  std::string name;  // the config section
  std::string type;  // url | git | local
  std::string location;
  std::optional<std::string> reference;
  std::vector<std::pair<std::string, std::string>> sha256;
  bool enabled = true;
};

struct Image {
  std::string name;            // folder name, e.g. "nova-api"
  std::string canonical_name;  // [registry/]namespace/prefix+name:tag
  std::string path;            // folder in the work dir
  std::string template_path;   // Dockerfile.j2, relative to the work dir
  std::string dockerfile;      // rendered text
  std::string parent_name;     // what FROM names ("" when none)
  /// Every image a FROM line names (multi-stage builds name several).
  std::vector<std::string> from_names;
  Image* parent = nullptr;
  /// Other images of this run the Dockerfile builds FROM (extra stages).
  std::vector<Image*> extra_parents;
  std::vector<Image*> children;
  ImageStatus status = ImageStatus::kUnprocessed;
  /// Why the status was given, for --debug and the summary ("unchanged").
  std::string reason;
  std::optional<SourceSpec> source;
  std::vector<SourceSpec> plugins;
  std::vector<SourceSpec> additions;
  std::vector<std::pair<std::string, std::string>> labels;
};

}  // namespace kb::graph
