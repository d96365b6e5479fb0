// Incremental decoder for the Docker Engine's streaming JSON responses.

#ifndef KB_ENGINE_JSON_STREAM_H_
#define KB_ENGINE_JSON_STREAM_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace kb::engine {

/// One decoded message of a streaming endpoint (build, push, pull): the raw
/// JSON object as the daemon sent it.
using StreamCallback = std::function<void(const nlohmann::json& msg)>;

/// Splits the byte stream of `POST /build`, `POST /images/{name}/push` and
/// friends into JSON values. The daemon separates objects with CRLF, but
/// transport chunks may hold several objects, part of one, or end inside a
/// multi-byte UTF-8 character (B034), so the decoder keeps what it has not
/// yet parsed and calls back once per complete value, in order, as soon as
/// its last byte arrives.
class JsonStreamDecoder {
 public:
  /// Appends `bytes` and calls `on_msg` for every value completed by them.
  /// A value that is not valid JSON is dropped and recorded in error().
  void Feed(std::string_view bytes, const StreamCallback& on_msg);

  /// The first malformed value seen, as "invalid JSON in stream: ...";
  /// nullopt when all values parsed.
  const std::optional<std::string>& error() const { return error_; }

  /// True when bytes of an unfinished value are buffered (at the end of a
  /// response this means the stream was cut short).
  bool pending() const;

 private:
  // Scans buffer_ from scan_ on; returns the end of the next complete value
  // starting at start_, or npos when more bytes are needed.
  size_t FindValueEnd();
  void Emit(std::string_view text, const StreamCallback& on_msg);

  std::string buffer_;
  size_t start_ = 0;  // first byte of the value being scanned
  size_t scan_ = 0;   // next byte to look at
  int depth_ = 0;     // open '{' / '[' of the current value
  bool in_string_ = false;
  bool escaped_ = false;
  std::optional<std::string> error_;
};

}  // namespace kb::engine

#endif  // KB_ENGINE_JSON_STREAM_H_
