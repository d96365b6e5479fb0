#include "report/console_reporter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "util/fs.h"

namespace fs = std::filesystem;

namespace kb::report {
namespace {

TEST(ConsoleReporterTest, TerminalGetsEventsAndLogGetsEverything) {
  std::string dir = util::MakeTempDir("kb-report-");
  std::string logs = dir + "/missing/logs";
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* term = open_memstream(&buf, &len);
  {
    ConsoleReporter r({false, false, logs}, term);
    ASSERT_EQ(r.Open(), "");  // upstream crashes on a missing logs dir
    r.Event(Level::kInfo, "cron", "building");
    r.Output("cron", "Step 1/2 : FROM kolla/base:t");
    r.Event(Level::kError, "cron", "boom (error)");
    r.Event(Level::kDebug, "cron", "hidden without --debug");
    r.LinkFailedLog("cron");
  }
  std::fclose(term);
  EXPECT_EQ(std::string(buf, len),
            "cron: building\ncron: error: boom (error)\n");
  free(buf);
  EXPECT_EQ(*util::ReadFile(logs + "/cron.log", nullptr),
            "INFO: building\nStep 1/2 : FROM kolla/base:t\n"
            "ERROR: boom (error)\n");
  EXPECT_EQ(fs::read_symlink(logs + "/000_FAILED_cron.log"), "cron.log");
  fs::remove_all(dir);
}

TEST(ConsoleReporterTest, QuietSilencesOnlyTheTerminal) {
  std::string dir = util::MakeTempDir("kb-report-");
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* term = open_memstream(&buf, &len);
  {
    ConsoleReporter r({false, true, dir}, term);
    ASSERT_EQ(r.Open(), "");
    r.Event(Level::kInfo, "cron", "building");
    r.Event(Level::kError, "cron", "boom (error)");
    // The run's own lines (the summary) stay, as upstream's main logger.
    r.Event(Level::kInfo, "", "Successfully built images");
    r.Event(Level::kWarning, "", "interrupted");
  }
  std::fclose(term);
  EXPECT_EQ(std::string(buf, len),
            "Successfully built images\nwarning: interrupted\n");
  free(buf);
  EXPECT_EQ(*util::ReadFile(dir + "/cron.log", nullptr),
            "INFO: building\nERROR: boom (error)\n");
  fs::remove_all(dir);
}

TEST(ConsoleReporterTest, WithoutLogsDirDebugStreamsBuildOutput) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* term = open_memstream(&buf, &len);
  {
    ConsoleReporter r({true, false, ""}, term);
    r.Event(Level::kInfo, "cron", "building");
    r.Output("cron", "Step 1/2 : FROM kolla/base:t");
  }
  std::fclose(term);
  EXPECT_EQ(std::string(buf, len),
            "cron: building\ncron: Step 1/2 : FROM kolla/base:t\n");
  free(buf);
}

TEST(ConsoleReporterTest, QuietWithoutLogsDirShowsNoImageLinesUnlessDebug) {
  for (bool debug : {false, true}) {
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* term = open_memstream(&buf, &len);
    {
      ConsoleReporter r({debug, true, ""}, term);
      r.Event(Level::kInfo, "cron", "building");
      r.Output("cron", "Step 1/2 : FROM kolla/base:t");
      r.Event(Level::kInfo, "", "done");
    }
    std::fclose(term);
    EXPECT_EQ(std::string(buf, len),
              debug ? "cron: building\ncron: Step 1/2 : FROM kolla/base:t\n"
                      "done\n"
                    : "done\n");
    free(buf);
  }
}

}  // namespace
}  // namespace kb::report

namespace kb::report {
namespace {

TEST(ConsoleReporterTest, WithoutLogsDirAFailureShowsTheLastOutputLines) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* term = open_memstream(&buf, &len);
  {
    ConsoleReporter r({false, false, ""}, term);
    ASSERT_EQ(r.Open(), "");
    r.Output("ok", "Step 1/1 : FROM x");
    r.Event(Level::kInfo, "ok", "built in 1.0s");
    for (int i = 0; i < 25; ++i) r.Output("bad", "line " + std::to_string(i));
    r.Event(Level::kError, "bad", "boom (error)");
  }
  std::fclose(term);
  std::string out(buf, len);
  free(buf);
  EXPECT_EQ(out.find("Step 1/1"), std::string::npos);
  EXPECT_EQ(out.find("bad: | line 4\n"), std::string::npos);
  EXPECT_NE(out.find("bad: | line 5\n"), std::string::npos);
  EXPECT_NE(out.find("bad: | line 24\nbad: error: boom (error)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace kb::report
