#include "graph/workdir.h"

#include <filesystem>
#include <fstream>

#include "util/fs.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace kb::graph {

std::string SetupWorkDir(const WorkDirSettings& s, std::string* temp_root,
                         std::string* err) {
  std::error_code ec;
  if (!fs::is_directory(s.images_dir, ec)) {
    *err = "images dir '" + s.images_dir + "' does not exist";
    return "";
  }
  std::string root = s.work_dir;
  if (root.empty()) {
    root = util::MakeTempDir("kolla-");
    if (root.empty()) {
      *err = "cannot create a temporary work dir";
      return "";
    }
    *temp_root = root;
  }
  std::string docker = util::AbsolutePath(root + "/docker");
  std::string e = util::CopyTreeFollowingLinks(s.images_dir, docker);
  for (const std::string& d : s.docker_dirs) {
    if (!e.empty()) break;
    if (!fs::is_directory(d, ec)) {
      e = "docker dir '" + d + "' does not exist";
      break;
    }
    e = util::CopyTreeFollowingLinks(d, docker);
  }
  auto copy_into_base = [&](const std::optional<std::string>& src,
                            const char* name) {
    if (!e.empty() || !src) return;
    fs::copy_file(*src, docker + "/base/" + name,
                  fs::copy_options::overwrite_existing, ec);
    if (ec) e = "cannot copy '" + *src + "': " + ec.message();
  };
  copy_into_base(s.apt_sources_list, "sources.list");
  copy_into_base(s.apt_preferences, "apt_preferences");
  if (!e.empty()) {
    *err = e;
    return "";
  }
  return docker;
}

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
