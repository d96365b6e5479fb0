// The kolla-build command: configuration -> work dir -> rendered images ->
// graph -> builds -> summary. Each step is a layer of its own; this file
// only wires them together as upstream's run_build does.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kb::cli {

/// Runs kolla-build with `argv` (argv[0] is the program) and returns the
/// exit status.
int RunKollaBuild(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& environ);

}  // namespace kb::cli
