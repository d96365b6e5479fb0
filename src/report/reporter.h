// Where the scheduler and the command send what happens: one event per
// line, the image first, and each image's build output to its own log.
#pragma once

#include <string>
#include <string_view>

namespace kb::report {

enum class Level { kDebug, kInfo, kWarning, kError };

class Reporter {
 public:
  virtual ~Reporter() = default;
  /// One event. `image` is "" for events of the whole run.
  virtual void Event(Level level, std::string_view image,
                     std::string_view message) = 0;
  /// One line of an image's build or push output: it goes to the image's
  /// log, not to the terminal.
  virtual void Output(std::string_view image, std::string_view line) = 0;
};

}  // namespace kb::report
