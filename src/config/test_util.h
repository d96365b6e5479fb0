// Helpers for config tests: a scratch folder and a machine with no
// default config files.

#ifndef KB_CONFIG_TEST_UTIL_H_
#define KB_CONFIG_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "config/conf.h"

namespace kb::config::testing {

/// A fresh folder under the system temp dir, removed on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "kbconf-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  /// Writes `text` to `name` (folders created) and returns the full path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::filesystem::path p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  std::string path_;
};

/// The real machine, but with /etc hidden so only files under `home`
/// count as default config locations, and a fixed host arch.
inline ParseEnv TestEnv(const std::string& home_prefix) {
  ParseEnv env = ParseEnv::System();
  env.host_arch = "x86_64";
  env.exe_path = "";
  env.terminal_columns = nullptr;  // tests run in terminals of any size
  auto real_exists = env.exists;
  env.exists = [real_exists, home_prefix](const std::string& p) {
    if (p.rfind(home_prefix, 0) != 0) return false;
    return real_exists(p);
  };
  auto real_is_dir = env.is_dir;
  env.is_dir = [real_is_dir, home_prefix](const std::string& p) {
    if (p.rfind(home_prefix, 0) != 0) return false;
    return real_is_dir(p);
  };
  return env;
}

/// Parses "kolla-build args..." with HOME at `dir`.
inline ParseOutcome Parse(const ScratchDir& dir,
                          std::vector<std::string> args) {
  args.insert(args.begin(), "kolla-build");
  return ParseKollaBuild(args, {{"HOME", dir.path()}}, TestEnv(dir.path()));
}

/// The kolla corpus (../shared/kolla-corpus from the repo root), or "".
inline std::string CorpusDir() {
  if (const char* env = std::getenv("KB_CORPUS")) return env;
  std::filesystem::path here(__FILE__);
  std::filesystem::path root = here.parent_path().parent_path().parent_path();
  std::filesystem::path p = root.parent_path() / "shared" / "kolla-corpus";
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) return p.string();
  if (std::filesystem::is_directory("../shared/kolla-corpus", ec)) {
    return "../shared/kolla-corpus";
  }
  return "";
}

}  // namespace kb::config::testing

#endif  // KB_CONFIG_TEST_UTIL_H_
