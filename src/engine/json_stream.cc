#include "engine/json_stream.h"

namespace kb::engine {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool JsonStreamDecoder::pending() const {
  for (size_t i = start_; i < buffer_.size(); ++i) {
    if (!IsSpace(buffer_[i])) return true;
  }
  return false;
}

void JsonStreamDecoder::Feed(std::string_view bytes,
                             const StreamCallback& on_msg) {
  buffer_.append(bytes);
  for (;;) {
    size_t end = FindValueEnd();
    if (end == std::string::npos) break;
    Emit(std::string_view(buffer_).substr(start_, end - start_), on_msg);
    start_ = scan_ = end;
  }
  // Drop what was consumed so the buffer holds at most one partial value.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    scan_ -= start_;
    start_ = 0;
  }
}

size_t JsonStreamDecoder::FindValueEnd() {
  // Skip the separators (CRLF, blanks) before the value.
  if (depth_ == 0 && !in_string_) {
    while (start_ < buffer_.size() && IsSpace(buffer_[start_])) ++start_;
    if (scan_ < start_) scan_ = start_;
  }
  // Only ASCII bytes are structural in JSON, so scanning bytes is safe even
  // when a UTF-8 sequence is cut in two: its bytes are all >= 0x80.
  for (; scan_ < buffer_.size(); ++scan_) {
    char c = buffer_[scan_];
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (depth_ == 0) return ++scan_;  // a top-level string
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        if (--depth_ <= 0) {
          depth_ = 0;
          return ++scan_;
        }
        break;
      default:
        // A bare scalar (number, true, null) ends at a separator; the daemon
        // never sends one, but a stray one must not swallow what follows.
        if (depth_ == 0 && IsSpace(c)) return scan_;
        break;
    }
  }
  return std::string::npos;
}

void JsonStreamDecoder::Emit(std::string_view text,
                             const StreamCallback& on_msg) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr,
                                               /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    if (!error_) {
      constexpr size_t kShown = 200;
      std::string shown(text.substr(0, kShown));
      if (text.size() > kShown) shown += "...";
      error_ = "invalid JSON in stream: '" + shown + "'";
    }
    return;
  }
  on_msg(value);
}

}  // namespace kb::engine
