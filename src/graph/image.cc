#include "graph/image.h"

namespace kb::graph {

std::string_view StatusName(ImageStatus s) {
  switch (s) {
    case ImageStatus::kUnprocessed: return "unprocessed";
    case ImageStatus::kMatched: return "matched";
    case ImageStatus::kUnmatched: return "unmatched";
    case ImageStatus::kSkipped: return "skipped";
    case ImageStatus::kUnbuildable: return "unbuildable";
    case ImageStatus::kBuilding: return "building";
    case ImageStatus::kBuilt: return "built";
    case ImageStatus::kUnchanged: return "unchanged";
    case ImageStatus::kError: return "error";
    case ImageStatus::kParentError: return "parent_error";
    case ImageStatus::kPushError: return "push_error";
    case ImageStatus::kConnectionError: return "connection_error";
  }
  return "unprocessed";
}

bool IsErrorStatus(ImageStatus s) {
  return s == ImageStatus::kError || s == ImageStatus::kParentError ||
         s == ImageStatus::kPushError || s == ImageStatus::kConnectionError;
}

}  // namespace kb::graph
