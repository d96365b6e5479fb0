#include <map>
#include <string>
#include <vector>

#include "cli/kolla_build.h"

extern char** environ;

int main(int argc, char** argv) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return kb::cli::RunKollaBuild(std::vector<std::string>(argv, argv + argc),
                                env);
}
