#include "report/summary.h"

#include <algorithm>

#include "util/strings.h"

namespace kb::report {

using graph::ImageStatus;

Summary MakeSummary(const graph::ImageGraph& g,
                    const std::vector<std::string>& allowed_to_fail) {
  Summary s;
  std::set<std::string> allowed(allowed_to_fail.begin(),
                                allowed_to_fail.end());
  for (const auto& img : g.images()) {
    SummaryEntry e{img->name, "", ""};
    switch (img->status) {
      case ImageStatus::kBuilt: s.built.push_back(e); break;
      case ImageStatus::kUnmatched: s.not_matched.push_back(e); break;
      case ImageStatus::kUnchanged:
        e.reason = "unchanged";
        s.skipped.push_back(e);
        break;
      case ImageStatus::kSkipped:
        // Skipped by build options has no reason, as upstream; a run cut
        // short says so.
        if (img->reason == "interrupted") e.reason = img->reason;
        s.skipped.push_back(e);
        break;
      case ImageStatus::kUnbuildable: s.unbuildable.push_back(e); break;
      default:
        e.status = std::string(graph::StatusName(img->status));
        if (allowed.count(img->name)) s.allowed_to_fail.insert(img->name);
        s.failed.push_back(e);
    }
  }
  auto by_name = [](const SummaryEntry& a, const SummaryEntry& b) {
    return a.name < b.name;
  };
  for (auto* v : {&s.built, &s.failed, &s.not_matched, &s.skipped,
                  &s.unbuildable})
    std::sort(v->begin(), v->end(), by_name);
  return s;
}

namespace {

// Python's json.dump layout: ", " and ": " on one line, or newlines and
// `indent` spaces per level with "," and ": ".
class PyJsonWriter {
 public:
  explicit PyJsonWriter(int indent) : indent_(indent) {}

  void Open(char c) {
    out_ += c;
    ++level_;
    first_ = true;
  }
  void Close(char c, bool empty) {
    --level_;
    if (!empty && indent_ > 0) Newline();
    out_ += c;
    first_ = false;
  }
  void Item() {
    if (!first_) out_ += indent_ > 0 ? "," : ", ";
    if (indent_ > 0) Newline();
    first_ = false;
  }
  void Key(const std::string& k) {
    Item();
    out_ += util::PyJsonQuote(k) + ": ";
    first_ = true;
  }
  void Str(const std::string& s) { out_ += util::PyJsonQuote(s); }
  void AfterValue() { first_ = false; }
  std::string& out() { return out_; }

 private:
  void Newline() {
    out_ += '\n';
    out_.append(static_cast<size_t>(indent_ * level_), ' ');
  }
  int indent_;
  int level_ = 0;
  bool first_ = true;
  std::string out_;
};

}  // namespace

std::string SummaryJson(const Summary& s, int indent) {
  PyJsonWriter w(indent);
  w.Open('{');
  const std::pair<const char*, const std::vector<SummaryEntry>*> lists[] = {
      {"built", &s.built},     {"failed", &s.failed},
      {"not_matched", &s.not_matched}, {"skipped", &s.skipped},
      {"unbuildable", &s.unbuildable}};
  for (const auto& [key, entries] : lists) {
    w.Key(key);
    w.Open('[');
    for (const SummaryEntry& e : *entries) {
      w.Item();
      w.Open('{');
      w.Key("name");
      w.Str(e.name);
      w.AfterValue();
      if (!e.status.empty()) {
        w.Key("status");
        w.Str(e.status);
        w.AfterValue();
      }
      if (!e.reason.empty()) {
        w.Key("reason");
        w.Str(e.reason);
        w.AfterValue();
      }
      w.Close('}', false);
    }
    w.Close(']', entries->empty());
  }
  w.Close('}', false);
  return w.out();
}

void PrintSummary(const Summary& s, Reporter& r) {
  auto banner = [&](Level l, const std::string& title) {
    std::string bar(title.size(), '=');
    r.Event(l, "", bar);
    r.Event(l, "", title);
    r.Event(l, "", bar);
  };
  if (!s.built.empty()) {
    banner(Level::kInfo, "Successfully built images");
    for (const auto& e : s.built) r.Event(Level::kInfo, "", e.name);
  }
  if (!s.failed.empty()) {
    banner(Level::kInfo, "Images that failed to build");
    for (const auto& e : s.failed) {
      bool allowed = s.allowed_to_fail.count(e.name) > 0;
      r.Event(Level::kError, "",
              e.name + " Failed with status: " + e.status +
                  (allowed ? " (allowed to fail)" : ""));
    }
  }
  if (!s.not_matched.empty()) {
    banner(Level::kDebug, "Images not matched for build by regex");
    for (const auto& e : s.not_matched) r.Event(Level::kDebug, "", e.name);
  }
  if (!s.skipped.empty()) {
    banner(Level::kInfo, "Images skipped due to build options");
    for (const auto& e : s.skipped)
      r.Event(Level::kInfo, "",
              e.reason.empty() ? e.name : e.name + " (" + e.reason + ")");
  }
  if (!s.unbuildable.empty()) {
    banner(Level::kInfo, "Images not buildable due to build options");
    for (const auto& e : s.unbuildable) r.Event(Level::kInfo, "", e.name);
  }
}

int SummaryExitCode(const Summary& s) {
  for (const auto& e : s.failed)
    if (!s.allowed_to_fail.count(e.name)) return 1;
  return 0;
}

}  // namespace kb::report
