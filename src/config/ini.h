// oslo.config's config file reader (oslo_config/iniparser.py).

#ifndef KB_CONFIG_INI_H_
#define KB_CONFIG_INI_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kb::config {

/// One `key = value` of a file. Continuation lines are joined with "\n".
struct IniEntry {
  std::string value;
  int line = 0;  // 1-based line of the key
};

/// A parsed file. Section names are normalized as oslo looks them up:
/// lowercased, except "DEFAULT" exactly. Keys keep their case. A key set
/// twice in a section keeps every value, in order.
struct IniFile {
  std::string path;
  std::map<std::string, std::map<std::string, std::vector<IniEntry>>> sections;
  /// Section names as written, in order of first appearance.
  std::vector<std::string> raw_sections;
};

/// oslo's _normalize_group_name.
std::string NormalizeGroupName(std::string_view name);

/// Parses `text` as oslo's BaseParser does: '#' and ';' comment lines,
/// `key = value` or `key: value` (whichever separator comes first), one
/// pair of matching quotes removed from the first line of a value,
/// continuation lines that start with a space or tab. Returns false and
/// sets `*err` to "<path>:<line>: <message>" on a syntax error.
bool ParseIni(std::string_view path, std::string_view text, IniFile* out,
              std::string* err);

}  // namespace kb::config

#endif  // KB_CONFIG_INI_H_
