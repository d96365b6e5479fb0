#include "render/context.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "tmpl/bigint.h"

namespace kb::render {

using tmpl::Value;

namespace {

// Builds Values straight from the parser's events: the raw text of every
// number is at hand, so integers of any size stay integers, as Python's
// json module keeps them, and objects keep their key order.
class ValueBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return Add(Value::None()); }
  bool boolean(bool b) override { return Add(Value::Bool(b)); }
  bool number_integer(number_integer_t i) override {
    return Add(Value::Int(i));
  }
  bool number_unsigned(number_unsigned_t u) override {
    if (u <= static_cast<uint64_t>(INT64_MAX))
      return Add(Value::Int(static_cast<int64_t>(u)));
    return Add(*tmpl::ParseIntText(std::to_string(u), 10));
  }
  bool number_float(number_float_t d, const string_t& raw) override {
    if (raw.find_first_of(".eE") == std::string::npos) {
      if (auto big = tmpl::ParseIntText(raw, 10)) return Add(*big);
    }
    return Add(Value::Float(d));
  }
  bool string(string_t& s) override { return Add(Value::Str(s)); }
  bool binary(binary_t&) override { return Add(Value::None()); }
  bool start_object(std::size_t) override {
    Value d = Value::NewDict();
    Add(d);
    stack_.push_back(d);
    return true;
  }
  bool key(string_t& k) override {
    key_ = Value::Str(k);
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    Value l = Value::NewList();
    Add(l);
    stack_.push_back(l);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }

  const Value& root() const { return root_; }
  const std::string& error() const { return error_; }

 private:
  bool Add(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
    } else if (stack_.back().is_dict()) {
      stack_.back().DictSet(key_, std::move(v));
    } else {
      stack_.back().ListItems().push_back(std::move(v));
    }
    return true;
  }

  std::vector<Value> stack_;
  Value root_, key_;
  std::string error_;
};

}  // namespace

tmpl::Result<Value> ParseJson(const std::string& text) {
  ValueBuilder builder;
  try {
    if (!nlohmann::json::sax_parse(text, &builder)) {
      tmpl::Error e;
      e.error_class = "ValueError";
      e.message = builder.error();
      return e;
    }
  } catch (const tmpl::TemplateException& e) {
    return e.error;  // an integer past Python's digit limit
  }
  return builder.root();
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
  if (*end == 0 && s.find_first_of(".eE") == std::string::npos) {
    if (errno == 0) return Value::Int(i);
    if (auto big = tmpl::ParseIntText(s, 10)) return *big;  // past 64 bits
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
    auto parsed = ParseJson(text);
    if (parsed.ok()) {
      v = parsed.value();
    } else if (EndsWith(path, ".json")) {
      return FileError(path, parsed.error().message);
    } else {
      yaml = true;
    }
  }
  if (yaml) {
    try {
      v = FromYaml(YAML::Load(text));
    } catch (const std::exception& e) {
      return FileError(path, e.what());
    } catch (const tmpl::TemplateException& e) {
      return FileError(path, e.error.message);
    }
  }
  if (!v.is_dict()) return FileError(path, "top level is not a mapping");
  return v;
}

void MergeInto(const Value& dst, const Value& src) {
  for (auto& [k, v] : src.DictItems()) dst.DictSet(k, v);
}

}  // namespace kb::render
