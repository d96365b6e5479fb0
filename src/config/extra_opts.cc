// Options of this project that upstream kolla-build does not have. One
// line per option; see kolla_opts.h.

#include "config/kolla_opts.h"

namespace kb::config {

std::vector<OptSpec> ExtraCliOpts() {
  return {
      // A content digest per image decides whether it must be built again.
      Cli(BoolOpt("reuse-unchanged", true,
                  "Do not rebuild an image whose content digest (Dockerfile, "
                  "build context, build args, labels and parent) matches the "
                  "image already in the container engine")),
      // The default is found after parsing (see DefaultImagesDirs), so a
      // config file or the flag wins over it.
      Cli(StrOpt("images-dir", std::monostate{},
                 "Path to the folder of image templates (upstream's "
                 "'docker' folder). Default is the first existing of "
                 "/usr/share/kolla/docker, /usr/local/share/kolla/docker, "
                 "$VIRTUAL_ENV/share/kolla/docker and "
                 "../share/kolla/docker next to the executable")),
  };
}

}  // namespace kb::config
