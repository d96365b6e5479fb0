// The terminal and --logs-dir side of a run.
#pragma once

#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "report/reporter.h"

namespace kb::report {

struct ConsoleOptions {
  bool debug = false;   // show debug events
  bool quiet = false;   // PARITY(kolla): --quiet silences the images' lines
  std::string logs_dir; // "" for no per-image logs
};

/// Writes events to stderr as "image: message" (warnings and errors say
/// so), and everything about an image, build output included, to
/// `<logs_dir>/<image>.log`; with no logs dir, build output goes to stderr
/// as "image: line". --quiet keeps an image's events and output off stderr
/// (the run's own lines stay), unless --debug. Thread-safe.
class ConsoleReporter : public Reporter {
 public:
  explicit ConsoleReporter(ConsoleOptions opts, std::FILE* out = stderr);
  ~ConsoleReporter() override;

  /// Creates the logs dir (upstream crashes when it is missing). Returns ""
  /// or a one-line error.
  std::string Open();

  void Event(Level level, std::string_view image,
             std::string_view message) override;
  void Output(std::string_view image, std::string_view line) override;

  /// Points `000_FAILED_<image>.log` at the image's log (upstream's
  /// summary does this for images with status 'error').
  void LinkFailedLog(const std::string& image);
  /// Removes a `000_FAILED_<image>.log` link an earlier run left.
  void UnlinkFailedLog(const std::string& image);

 private:
  std::FILE* LogFile(std::string_view image);  // REQUIRES: mu_ held

  ConsoleOptions opts_;
  std::FILE* out_;
  std::mutex mu_;
  std::map<std::string, std::FILE*, std::less<>> logs_;
  /// The last build output lines of each image, when there is no log file.
  std::map<std::string, std::deque<std::string>, std::less<>> tails_;
};

}  // namespace kb::report
