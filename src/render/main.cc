// kolla-render: renders one Jinja2 template with the C++ engine.
//
// kolla-render [--search-path DIR]... [--context FILE]... [-D name=value]...
//              [--trim-blocks] [--lstrip-blocks] [--keep-trailing-newline]
//              [--strict-undefined] [--autoescape] [-o FILE] TEMPLATE
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "render/context.h"
#include "tmpl/environment.h"

namespace {

constexpr const char* kUsage =
    "usage: kolla-render [--search-path DIR]... [--context FILE.json|FILE.yaml]"
    "...\n"
    "                    [-D name=value]... [--trim-blocks] [--lstrip-blocks]\n"
    "                    [--keep-trailing-newline] [--strict-undefined]\n"
    "                    [--autoescape] [-o FILE] TEMPLATE\n";

int Usage(const std::string& msg) {
  std::cerr << "kolla-render: error: " << msg << "\n" << kUsage;
  return 2;
}

// Writes `data` to `path` through a temporary file in the same directory,
// renamed into place, so readers never see a partial file.
bool WriteAtomically(const std::string& path, const std::string& data,
                     std::string* err) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX"))
                         .string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) {
    *err = "cannot create temporary file in '" + dir.string() + "'";
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      unlink(name.data());
      *err = "cannot write '" + path + "'";
      return false;
    }
    done += static_cast<size_t>(n);
  }
  fchmod(fd, 0644);
  if (close(fd) != 0 || rename(name.data(), path.c_str()) != 0) {
    unlink(name.data());
    *err = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  tmpl::Options opts;
  std::vector<std::string> search;
  std::vector<std::pair<bool, std::string>> sources;  // (is_file, text)
  std::string output, name;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)flag;
      return argv[++i];
    };
    if (a == "--search-path" || a == "--context" || a == "-D" || a == "-o") {
      const char* v = value(a.c_str());
      if (!v) return Usage("option '" + a + "' needs a value");
      if (a == "--search-path") {
        search.push_back(v);
      } else if (a == "--context") {
        sources.emplace_back(true, v);
      } else if (a == "-D") {
        sources.emplace_back(false, v);
      } else {
        output = v;
      }
    } else if (a.rfind("--search-path=", 0) == 0) {
      search.push_back(a.substr(14));
    } else if (a.rfind("--context=", 0) == 0) {
      sources.emplace_back(true, a.substr(10));
    } else if (a.size() > 2 && a.rfind("-D", 0) == 0) {
      sources.emplace_back(false, a.substr(2));
    } else if (a == "--trim-blocks") {
      opts.trim_blocks = true;
    } else if (a == "--lstrip-blocks") {
      opts.lstrip_blocks = true;
    } else if (a == "--keep-trailing-newline") {
      opts.keep_trailing_newline = true;
    } else if (a == "--strict-undefined") {
      opts.strict_undefined = true;
    } else if (a == "--autoescape") {
      opts.autoescape = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a != "-" && a.size() > 1 && a[0] == '-') {
      return Usage("unknown option '" + a + "'");
    } else if (name.empty()) {
      name = a;
    } else {
      return Usage("more than one template given");
    }
  }
  if (name.empty()) return Usage("no template given");
  if (search.empty()) search.push_back(".");

  tmpl::Value context = tmpl::Value::NewDict();
  for (const auto& [is_file, text] : sources) {
    if (is_file) {
      auto r = kb::render::LoadContextFile(text);
      if (!r.ok()) {
        std::cerr << r.error().FormatClassFirst() << "\n";
        return 1;
      }
      kb::render::MergeInto(context, r.value());
    } else {
      size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Usage("-D needs name=value, got '" + text + "'");
      }
      context.DictSet(text.substr(0, eq), tmpl::Value::Str(text.substr(eq + 1)));
    }
  }

  tmpl::Environment env(opts);
  env.SetLoader(tmpl::FileSystemLoader(search));
  tmpl::Result<std::shared_ptr<const tmpl::Template>> t =
      tmpl::Error{"", "", "", 0, 0, ""};
  if (name == "-") {
    std::stringstream buf;
    buf << std::cin.rdbuf();
    t = env.FromString(buf.str(), "<stdin>");
  } else {
    t = env.GetTemplate(name);
  }
  if (!t.ok()) {
    std::cerr << t.error().FormatClassFirst() << "\n";
    return 1;
  }
  auto r = env.Render(*t.value(), context);
  if (!r.ok()) {
    std::cerr << r.error().FormatClassFirst() << "\n";
    return 1;
  }
  if (output.empty()) {
    std::fwrite(r.value().data(), 1, r.value().size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  std::string err;
  if (!WriteAtomically(output, r.value(), &err)) {
    std::cerr << "kolla-render: error: " << err << "\n";
    return 1;
  }
  return 0;
}
