#include "tmpl/error.h"

namespace tmpl {

void Raise(std::string error_class, std::string message) {
  TemplateException ex;
  ex.error.error_class = std::move(error_class);
  ex.error.message = std::move(message);
  throw ex;
}

std::string Error::Format() const {
  std::string out;
  if (!template_name.empty() || line > 0) {
    out += template_name.empty() ? "<template>" : template_name;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    out += ": ";
  }
  return out + error_class + ": " + message + Excerpt();
}

std::string Error::FormatClassFirst() const {
  std::string out = error_class + ": " + message;
  if (template_name.empty() && line <= 0) return out;
  out += "\n  at " + (template_name.empty() ? "<template>" : template_name);
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out + Excerpt();
}

std::string Error::Excerpt() const {
  if (line <= 0 || source_line.empty()) return "";
  std::string out;
  // Long lines are cut around the column so the caret stays visible.
  std::string shown = source_line;
  int caret = column > 0 ? column - 1 : 0;
  constexpr int kMaxWidth = 100;
  if (static_cast<int>(shown.size()) > kMaxWidth) {
    int start = caret > kMaxWidth / 2 ? caret - kMaxWidth / 2 : 0;
    std::string cut = shown.substr(start, kMaxWidth);
    if (start > 0) {
      cut = "..." + cut;
      caret = caret - start + 3;
    }
    if (start + kMaxWidth < static_cast<int>(shown.size())) cut += "...";
    shown = cut;
  }
  out = "\n  " + shown + "\n  ";
  for (int i = 0; i < caret && i < static_cast<int>(shown.size()); ++i) {
    out += shown[i] == '\t' ? '\t' : ' ';
  }
  out += "^";
  return out;
}

}  // namespace tmpl
