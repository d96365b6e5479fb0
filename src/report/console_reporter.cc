#include "report/console_reporter.h"

#include <unistd.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace kb::report {

namespace {

constexpr size_t kTailLines = 20;

const char* LevelWord(Level l) {
  switch (l) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarning: return "WARNING";
    case Level::kError: return "ERROR";
  }
  return "INFO";
}

}  // namespace

ConsoleReporter::ConsoleReporter(ConsoleOptions opts, std::FILE* out)
    : opts_(std::move(opts)), out_(out) {}

ConsoleReporter::~ConsoleReporter() {
  for (auto& [name, f] : logs_) std::fclose(f);
}

std::string ConsoleReporter::Open() {
  if (opts_.logs_dir.empty()) return "";
  std::error_code ec;
  fs::create_directories(opts_.logs_dir, ec);
  if (ec) {
    return "cannot create logs dir '" + opts_.logs_dir + "': " + ec.message();
  }
  return "";
}

std::FILE* ConsoleReporter::LogFile(std::string_view image) {
  if (opts_.logs_dir.empty() || image.empty()) return nullptr;
  auto it = logs_.find(image);
  if (it != logs_.end()) return it->second;
  std::string path = opts_.logs_dir + "/" + std::string(image) + ".log";
  std::FILE* f = std::fopen(path.c_str(), "w");
  logs_.emplace(std::string(image), f);
  return f;
}

void ConsoleReporter::Event(Level level, std::string_view image,
                            std::string_view message) {
  if (level == Level::kDebug && !opts_.debug) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (std::FILE* log = LogFile(image)) {
    std::fprintf(log, "%s: %.*s\n", LevelWord(level),
                 static_cast<int>(message.size()), message.data());
    std::fflush(log);
  }
  // PARITY(kolla): --quiet silences the images' loggers, not the run's own
  // lines (the summary, warnings); --debug wins over it.
  if (opts_.quiet && !opts_.debug && !image.empty()) return;
  std::string prefix(image);
  if (!prefix.empty()) prefix += ": ";
  if (level == Level::kError) {
    // Why it failed: the end of the build output nobody saw yet.
    auto tail = tails_.find(image);
    if (tail != tails_.end()) {
      for (const std::string& line : tail->second)
        std::fprintf(out_, "%s| %s\n", prefix.c_str(), line.c_str());
      tails_.erase(tail);
    }
  }
  if (level == Level::kWarning) prefix += "warning: ";
  if (level == Level::kError) prefix += "error: ";
  std::fprintf(out_, "%s%.*s\n", prefix.c_str(),
               static_cast<int>(message.size()), message.data());
  std::fflush(out_);
}

void ConsoleReporter::Output(std::string_view image, std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (std::FILE* log = LogFile(image)) {
    std::fprintf(log, "%.*s\n", static_cast<int>(line.size()), line.data());
    std::fflush(log);
    return;
  }
  // Upstream streams every image's build output to the terminal when there
  // is no --logs-dir; here the terminal shows progress, and the output only
  // with --debug or, for an image that fails, its last lines.
  if (opts_.debug) {
    std::fprintf(out_, "%.*s: %.*s\n", static_cast<int>(image.size()),
                 image.data(), static_cast<int>(line.size()), line.data());
    std::fflush(out_);
    return;
  }
  if (opts_.quiet) return;
  auto& tail = tails_[std::string(image)];
  tail.emplace_back(line);
  if (tail.size() > kTailLines) tail.pop_front();
}

void ConsoleReporter::LinkFailedLog(const std::string& image) {
  if (opts_.logs_dir.empty()) return;
  std::string link = opts_.logs_dir + "/000_FAILED_" + image + ".log";
  unlink(link.c_str());
  if (symlink((image + ".log").c_str(), link.c_str()) != 0) {
    Event(Level::kWarning, image, "cannot create '" + link + "'");
  }
}

void ConsoleReporter::UnlinkFailedLog(const std::string& image) {
  if (opts_.logs_dir.empty()) return;
  unlink((opts_.logs_dir + "/000_FAILED_" + image + ".log").c_str());
}

}  // namespace kb::report
