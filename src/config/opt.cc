#include "config/opt.h"

#include <utility>

namespace kb::config {

std::string OptSpec::dest() const {
  std::string d = name;
  for (char& c : d) {
    if (c == '-') c = '_';
  }
  return d;
}

OptSpec StrOpt(std::string name, Value default_value, std::string help,
               std::vector<std::string> choices) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kString;
  o.type.choices = std::move(choices);
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  return o;
}

OptSpec BoolOpt(std::string name, Value default_value, std::string help) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kBool;
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  return o;
}

OptSpec IntOpt(std::string name, Value default_value, std::string help,
               std::optional<int64_t> min, std::optional<int64_t> max) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kInt;
  o.type.min = min;
  o.type.max = max;
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  return o;
}

OptSpec ListOpt(std::string name, Value default_value, std::string help) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kList;
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  return o;
}

OptSpec DictOpt(std::string name, Value default_value, std::string help) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kDict;
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  return o;
}

OptSpec MultiOpt(std::string name, std::string help) {
  OptSpec o;
  o.name = std::move(name);
  o.type.kind = OptKind::kMulti;
  o.help = std::move(help);
  return o;
}

OptSpec Cli(OptSpec opt, char short_flag) {
  opt.cli = true;
  opt.short_flag = short_flag;
  return opt;
}

const OptSpec* GroupSpec::Find(std::string_view dest) const {
  for (const auto& o : opts) {
    if (o.dest() == dest) return &o;
  }
  return nullptr;
}

}  // namespace kb::config
