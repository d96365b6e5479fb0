#include "tmpl/loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tmpl {
namespace {

class FsLoader : public Loader {
 public:
  explicit FsLoader(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

  std::optional<std::string> GetSource(const std::string& name) override {
    // PARITY(jinja): split_template_path refuses '..' and drops '.' and
    // empty segments.
    std::string clean;
    std::stringstream ss(name);
    std::string piece;
    while (std::getline(ss, piece, '/')) {
      if (piece == "..") return std::nullopt;
      if (piece.empty() || piece == ".") continue;
      if (!clean.empty()) clean += '/';
      clean += piece;
    }
    for (const auto& dir : dirs_) {
      // A directory opens fine but is no template (Jinja's isfile check).
      std::error_code ec;
      if (!std::filesystem::is_regular_file(dir + "/" + clean, ec)) continue;
      std::ifstream in(dir + "/" + clean, std::ios::binary);
      if (!in) continue;
      std::ostringstream buf;
      buf << in.rdbuf();
      if (in.bad()) continue;
      return buf.str();
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> dirs_;
};

class MapLoader : public Loader {
 public:
  explicit MapLoader(std::map<std::string, std::string> m) : m_(std::move(m)) {}

  std::optional<std::string> GetSource(const std::string& name) override {
    auto it = m_.find(name);
    if (it == m_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> m_;
};

}  // namespace

std::shared_ptr<Loader> FileSystemLoader(std::vector<std::string> dirs) {
  return std::make_shared<FsLoader>(std::move(dirs));
}

std::shared_ptr<Loader> DictLoader(std::map<std::string, std::string> m) {
  return std::make_shared<MapLoader>(std::move(m));
}

}  // namespace tmpl
