#include "render/context.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "tmpl/bigint.h"
#include "util/strings.h"

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

// PyYAML's safe_load is the reference for YAML contexts: YAML 1.1's
// implicit types (its resolver's patterns, e.g. "1e3" is a string but
// "1.0e+3" a float, 017 is octal, 1_000 and 1:30 are ints) and merge keys.
std::string Without(const std::string& s, char c) {
  std::string out;
  for (char x : s)
    if (x != c) out += x;
  return out;
}

[[noreturn]] void YamlError(const std::string& message) {
  tmpl::Raise("ConstructorError", message);
}

Value YamlInt(std::string s) {
  s = Without(s, '_');
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.erase(0, 1);
  std::optional<Value> v;
  if (s.rfind("0b", 0) == 0) {
    v = tmpl::ParseIntText(s.substr(2), 2);
  } else if (s.rfind("0x", 0) == 0) {
    v = tmpl::ParseIntText(s.substr(2), 16);
  } else if (s.size() > 1 && s[0] == '0') {
    v = tmpl::ParseIntText(s.substr(1), 8);
  } else if (s.find(':') != std::string::npos) {
    int64_t total = 0;  // sexagesimal: base 60 digits
    for (const std::string& part : util::Split(s, ":"))
      total = total * 60 + std::stoll(part);
    v = Value::Int(total);
  } else {
    v = tmpl::ParseIntText(s, 10);
  }
  if (!v) YamlError("cannot read '" + s + "' as an int");
  return negative ? tmpl::IntNegate(*v) : *v;
}

Value YamlFloat(std::string s) {
  s = Without(s, '_');
  std::string lower = s;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  double sign = 1;
  if (!lower.empty() && (lower[0] == '-' || lower[0] == '+')) {
    if (lower[0] == '-') sign = -1;
    lower.erase(0, 1);
  }
  if (lower == ".inf") return Value::Float(sign * INFINITY);
  if (lower == ".nan") return Value::Float(NAN);
  if (lower.find(':') != std::string::npos) {
    double total = 0;
    for (const std::string& part : util::Split(lower, ":"))
      total = total * 60 + std::strtod(part.c_str(), nullptr);
    return Value::Float(sign * total);
  }
  return Value::Float(sign * std::strtod(lower.c_str(), nullptr));
}

Value YamlScalar(const YAML::Node& n) {
  static const std::regex kBool(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|"
      "Off|OFF");
  static const std::regex kFloat(
      R"([-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|)"
      R"(\.[0-9_]+(?:[eE][-+][0-9]+)?|)"
      R"([-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|)"
      R"([-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))");
  static const std::regex kInt(
      R"([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|)"
      R"([-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)");
  const std::string& s = n.Scalar();
  const std::string& tag = n.Tag();
  const std::string std_tag = "tag:yaml.org,2002:";
  std::string kind;
  if (tag == "!") {
    kind = "str";  // quoted
  } else if (tag == "?" || tag.empty()) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
      kind = "null";
    else if (std::regex_match(s, kBool))
      kind = "bool";
    else if (std::regex_match(s, kInt))
      kind = "int";
    else if (std::regex_match(s, kFloat))
      kind = "float";
    else
      kind = "str";
  } else if (tag.rfind(std_tag, 0) == 0) {
    kind = tag.substr(std_tag.size());
  } else {
    YamlError("could not determine a constructor for the tag '" + tag + "'");
  }
  if (kind == "str") return Value::Str(s);
  if (kind == "null") return Value::None();
  if (kind == "bool") {
    char c = s.empty() ? 'n' : static_cast<char>(std::tolower(s[0]));
    return Value::Bool(c == 'y' || c == 't' || (c == 'o' && s.size() == 2));
  }
  if (kind == "int") return YamlInt(s);
  if (kind == "float") return YamlFloat(s);
  YamlError("could not determine a constructor for the tag '" + tag + "'");
}

bool IsMergeKey(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" &&
         (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge");
}

Value FromYaml(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      std::vector<Value> items;
      for (const auto& e : n) items.push_back(FromYaml(e));
      return Value::NewList(std::move(items));
    }
    case YAML::NodeType::Map: {
      // As PyYAML flattens merge keys: the merged pairs first (of several
      // mappings, the last one's first, so the first mapping's value
      // wins), then the mapping's own pairs, which override them.
      std::vector<std::pair<Value, Value>> merged, own;
      for (const auto& kv : n) {
        if (!IsMergeKey(kv.first)) {
          own.emplace_back(FromYaml(kv.first), FromYaml(kv.second));
          continue;
        }
        // Values, not YAML::Nodes: assigning a Node writes through it.
        std::vector<Value> sources;
        if (kv.second.IsMap()) {
          sources.push_back(FromYaml(kv.second));
        } else if (kv.second.IsSequence()) {
          for (const auto& m : kv.second) {
            if (!m.IsMap())
              YamlError("expected a mapping for merging, but found " +
                        std::string(m.IsSequence() ? "a sequence" : "a scalar"));
            sources.push_back(FromYaml(m));
          }
          std::reverse(sources.begin(), sources.end());
        } else {
          YamlError("expected a mapping or list of mappings for merging");
        }
        for (const Value& d : sources)
          for (auto& item : d.DictItems()) merged.push_back(std::move(item));
      }
      Value d = Value::NewDict();
      for (auto* part : {&merged, &own})
        for (auto& [k, v] : *part) {
          if (k.is_list() || k.is_dict())
            YamlError("found unhashable key");
          d.DictSet(k, v);
        }
      return d;
    }
    case YAML::NodeType::Scalar:
      return YamlScalar(n);
    default:
      return Value::None();
  }
}

Value LoadSingleYaml(const std::string& text) {
  std::vector<YAML::Node> docs = YAML::LoadAll(text);
  if (docs.size() > 1)
    YamlError("expected a single document in the stream");
  return docs.empty() ? Value::None() : FromYaml(docs[0]);
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
      v = LoadSingleYaml(text);
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
