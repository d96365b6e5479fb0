#include "graph/workdir.h"

#include <filesystem>
#include <fstream>

#include "util/fs.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace kb::graph {

std::string CopyPatches(const std::vector<std::string>& image_folders,
                        const std::optional<std::string>& patches_path) {
  std::error_code ec;
  for (const std::string& folder : image_folders) {
    std::string name = fs::path(folder).filename().string();
    std::string dest = folder + "/patches";
    fs::create_directories(dest, ec);
    if (ec) return "cannot create '" + dest + "': " + ec.message();
    if (!patches_path) continue;
    std::string src = *patches_path + "/" + name;
    if (!fs::is_directory(src, ec)) continue;
    auto series = util::ReadFile(src + "/series", nullptr);
    if (!series) continue;
    fs::copy_file(src + "/series", dest + "/series",
                  fs::copy_options::overwrite_existing, ec);
    for (const std::string& raw : util::Split(*series, "\n")) {
      if (!raw.empty() && raw[0] == '#') continue;
      std::string patch = util::Trim(raw);
      if (patch.empty() || !fs::is_regular_file(src + "/" + patch, ec))
        continue;
      fs::copy_file(src + "/" + patch, dest + "/" + patch,
                    fs::copy_options::overwrite_existing, ec);
      if (ec) return "cannot copy patch '" + src + "/" + patch + "'";
    }
  }
  return "";
}

}  // namespace kb::graph
