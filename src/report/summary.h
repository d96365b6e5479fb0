// The end-of-run summary: upstream's banner lists and its JSON document.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "graph/image_graph.h"
#include "report/reporter.h"

namespace kb::report {

struct SummaryEntry {
  std::string name;
  std::string status;  // failed entries only
  std::string reason;  // skipped entries: why ("unchanged", ...)
};

struct Summary {
  std::vector<SummaryEntry> built, failed, not_matched, skipped, unbuildable;
  /// Failed images that config allowed_to_fail lets pass.
  std::set<std::string> allowed_to_fail;
};

/// Sorts every image of the run into the summary lists, by name.
Summary MakeSummary(const graph::ImageGraph& g,
                    const std::vector<std::string>& allowed_to_fail);

/// The JSON document upstream writes: keys built, failed, not_matched,
/// skipped, unbuildable; Python json.dump spacing; `indent` 0 for one line.
/// No final newline.
std::string SummaryJson(const Summary& s, int indent);

/// The banner lists upstream logs at the end of a build.
void PrintSummary(const Summary& s, Reporter& r);

/// 1 when an image failed that is not allowed to fail, else 0.
int SummaryExitCode(const Summary& s);

}  // namespace kb::report
