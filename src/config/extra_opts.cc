// Options of this project that upstream kolla-build does not have. One
// line per option; see kolla_opts.h.

#include "config/kolla_opts.h"

namespace kb::config {

std::vector<OptSpec> ExtraCliOpts() {
  return {
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
