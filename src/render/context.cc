#include "render/context.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace kb::render {

using tmpl::Value;

Value FromJson(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::None();
    case nlohmann::json::value_t::boolean:
      return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) {
        return Value::Float(static_cast<double>(u));
      }
      return Value::Int(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float:
      return Value::Float(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value::Str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (const auto& e : j) items.push_back(FromJson(e));
      return Value::NewList(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Value d = Value::NewDict();
      for (const auto& [k, v] : j.items()) d.DictSet(k, FromJson(v));
      return d;
    }
    default:
      return Value::None();
  }
}

namespace {

// YAML 1.1-ish scalar resolution as PyYAML's safe_load does for the
// common cases: null, booleans, ints, floats, else strings.
Value YamlScalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return Value::Str(s);  // quoted
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return Value::None();
  }
  static const char* kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                "on", "On", "ON"};
  static const char* kFalse[] = {"false", "False", "FALSE", "no", "No", "NO",
                                 "off", "Off", "OFF"};
  for (const char* t : kTrue) {
    if (s == t) return Value::Bool(true);
  }
  for (const char* f : kFalse) {
    if (s == f) return Value::Bool(false);
  }
  char* end = nullptr;
  errno = 0;
  long long i = std::strtoll(s.c_str(), &end, 10);
  if (*end == 0 && errno == 0 && s.find_first_of(".eE") == std::string::npos) {
    return Value::Int(i);
  }
  double d = std::strtod(s.c_str(), &end);
  if (*end == 0 && s.find_first_of("0123456789") != std::string::npos) {
    return Value::Float(d);
  }
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return Value::Float(INFINITY);
  if (s == "-.inf" || s == "-.Inf") return Value::Float(-INFINITY);
  if (s == ".nan" || s == ".NaN") return Value::Float(NAN);
  return Value::Str(s);
}

Value FromYaml(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      std::vector<Value> items;
      for (const auto& e : n) items.push_back(FromYaml(e));
      return Value::NewList(std::move(items));
    }
    case YAML::NodeType::Map: {
      Value d = Value::NewDict();
      for (const auto& kv : n) d.DictSet(FromYaml(kv.first), FromYaml(kv.second));
      return d;
    }
    case YAML::NodeType::Scalar:
      return YamlScalar(n);
    default:
      return Value::None();
  }
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

tmpl::Error FileError(const std::string& path, const std::string& msg) {
  tmpl::Error e;
  e.error_class = "ContextError";
  e.message = "cannot load context '" + path + "': " + msg;
  return e;
}

}  // namespace

tmpl::Result<Value> LoadContextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError(path, "cannot open file");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  bool yaml = EndsWith(path, ".yaml") || EndsWith(path, ".yml");
  Value v;
  if (!yaml) {
    try {
      v = FromJson(nlohmann::ordered_json::parse(text));
    } catch (const std::exception& e) {
      if (EndsWith(path, ".json")) return FileError(path, e.what());
      yaml = true;
    }
  }
  if (yaml) {
    try {
      v = FromYaml(YAML::Load(text));
    } catch (const std::exception& e) {
      return FileError(path, e.what());
    }
  }
  if (!v.is_dict()) return FileError(path, "top level is not a mapping");
  return v;
}

void MergeInto(const Value& dst, const Value& src) {
  for (auto& [k, v] : src.DictItems()) dst.DictSet(k, v);
}

}  // namespace kb::render
