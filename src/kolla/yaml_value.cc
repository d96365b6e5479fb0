#include "kolla/yaml_value.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <utility>
#include <vector>

namespace kb::kolla {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// Thrown inside the converter; ParseYaml turns it into an Error.
struct ConvertError {
  std::string message;
};

std::string Mark(const YAML::Mark& mark) {
  if (mark.is_null()) return "";
  return " at line " + std::to_string(mark.line + 1) + ", column " +
         std::to_string(mark.column + 1);
}

bool IsNullWord(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> BoolWord(const std::string& s) {
  static const char* const kTrue[] = {"yes",  "Yes", "YES", "true", "True",
                                      "TRUE", "on",  "On",  "ON"};
  static const char* const kFalse[] = {"no",    "No",  "NO",  "false", "False",
                                       "FALSE", "off", "Off", "OFF"};
  for (const char* w : kTrue) {
    if (s == w) return true;
  }
  for (const char* w : kFalse) {
    if (s == w) return false;
  }
  return std::nullopt;
}

std::string WithoutUnderscores(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

// PARITY(pyyaml): the int forms of YAML 1.1 (resolver.py / constructor.py):
// binary, octal with a leading 0, decimal and hex, '_' allowed as a
// separator. Sexagesimal ints (1:30) are left as strings.
std::optional<tmpl::Value> ResolveInt(const std::string& s) {
  static const std::regex kInt(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|"
      "[-+]?0x[0-9a-fA-F_]+");
  if (!std::regex_match(s, kInt)) return std::nullopt;
  std::string digits = WithoutUnderscores(s);
  bool negative = false;
  if (digits[0] == '-' || digits[0] == '+') {
    negative = digits[0] == '-';
    digits.erase(0, 1);
  }
  int base = 10;
  if (digits.rfind("0b", 0) == 0) {
    base = 2;
    digits.erase(0, 2);
  } else if (digits.rfind("0x", 0) == 0) {
    base = 16;
    digits.erase(0, 2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
  if (errno == ERANGE || magnitude > static_cast<unsigned long long>(
                                         std::numeric_limits<int64_t>::max())) {
    return std::nullopt;  // beyond int64: kept as the written text
  }
  int64_t value = static_cast<int64_t>(magnitude);
  return tmpl::Value::Int(negative ? -value : value);
}

std::optional<tmpl::Value> ResolveFloat(const std::string& s) {
  static const std::regex kFloat(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|"
      "\\.[0-9_]+(?:[eE][-+][0-9]+)?");
  static const std::regex kInf("[-+]?\\.(?:inf|Inf|INF)");
  static const std::regex kNan("\\.(?:nan|NaN|NAN)");
  if (std::regex_match(s, kInf)) {
    double inf = std::numeric_limits<double>::infinity();
    return tmpl::Value::Float(s[0] == '-' ? -inf : inf);
  }
  if (std::regex_match(s, kNan)) {
    return tmpl::Value::Float(std::numeric_limits<double>::quiet_NaN());
  }
  if (!std::regex_match(s, kFloat)) return std::nullopt;
  return tmpl::Value::Float(
      std::strtod(WithoutUnderscores(s).c_str(), nullptr));
}

tmpl::Value ResolvePlain(const std::string& s) {
  if (IsNullWord(s)) return tmpl::Value::None();
  if (auto b = BoolWord(s)) return tmpl::Value::Bool(*b);
  if (auto i = ResolveInt(s)) return *i;
  if (auto f = ResolveFloat(s)) return *f;
  return tmpl::Value::Str(s);
}

tmpl::Value ScalarWithTag(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "?") return ResolvePlain(text);
  if (tag == "!" || tag.empty()) return tmpl::Value::Str(text);
  std::string kind =
      tag.rfind(kTagPrefix, 0) == 0 ? tag.substr(kTagPrefix.size()) : "";
  if (kind != "str" && kind != "null" && kind != "bool" && kind != "int" &&
      kind != "float") {
    throw ConvertError{"could not determine a constructor for the tag '" + tag +
                       "'" + Mark(node.Mark())};
  }
  if (kind == "str") return tmpl::Value::Str(text);
  if (kind == "null") return tmpl::Value::None();
  std::optional<tmpl::Value> v;
  if (kind == "bool") {
    if (auto b = BoolWord(text)) v = tmpl::Value::Bool(*b);
  } else if (kind == "int") {
    v = ResolveInt(text);
  } else if (kind == "float") {
    v = ResolveFloat(text);
    if (!v) {
      if (auto i = ResolveInt(text)) {
        v = tmpl::Value::Float(static_cast<double>(i->AsInt()));
      }
    }
  }
  if (!v) {
    throw ConvertError{"cannot construct '!!" + kind + "' from '" + text + "'" +
                       Mark(node.Mark())};
  }
  return *v;
}

tmpl::Value Convert(const YAML::Node& node);

// PARITY(pyyaml): '<<' merge keys are honoured; merged pairs come first
// and the mapping's own pairs override them.
void MergeInto(const YAML::Node& source, const tmpl::Value& dict) {
  if (source.IsMap()) {
    tmpl::Value merged = Convert(source);
    for (auto& [k, v] : merged.DictItems()) dict.DictSet(k, v);
    return;
  }
  if (source.IsSequence() &&
      std::all_of(source.begin(), source.end(),
                  [](const YAML::Node& n) { return n.IsMap(); })) {
    // Earlier mappings in the list win over later ones.
    for (size_t i = source.size(); i-- > 0;) MergeInto(source[i], dict);
    return;
  }
  throw ConvertError{"expected a mapping or list of mappings for merging" +
                     Mark(source.Mark())};
}

tmpl::Value Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      if (node.Tag() == "!") return tmpl::Value::Str("");
      return tmpl::Value::None();
    case YAML::NodeType::Scalar:
      return ScalarWithTag(node);
    case YAML::NodeType::Sequence: {
      std::vector<tmpl::Value> items;
      for (const auto& item : node) items.push_back(Convert(item));
      return tmpl::Value::NewList(std::move(items));
    }
    case YAML::NodeType::Map: {
      tmpl::Value dict = tmpl::Value::NewDict();
      for (const auto& pair : node) {
        if (pair.first.IsScalar() && pair.first.Tag() == "?" &&
            pair.first.Scalar() == "<<") {
          MergeInto(pair.second, dict);
        }
      }
      for (const auto& pair : node) {
        if (pair.first.IsScalar() && pair.first.Tag() == "?" &&
            pair.first.Scalar() == "<<") {
          continue;
        }
        if (!pair.first.IsScalar() && !pair.first.IsNull()) {
          throw ConvertError{"found an unhashable key" +
                             Mark(pair.first.Mark())};
        }
        dict.DictSet(Convert(pair.first), Convert(pair.second));
      }
      return dict;
    }
  }
  return tmpl::Value::None();
}

tmpl::Error YamlError(const std::string& path, const std::string& what) {
  tmpl::Error e;
  e.error_class = "YAMLError";
  e.message = "cannot parse '" + path + "': " + what;
  return e;
}

}  // namespace

tmpl::Result<tmpl::Value> ParseYaml(std::string_view text,
                                    const std::string& path) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1) {
      return YamlError(path, "expected a single document in the stream");
    }
    if (docs.empty()) return tmpl::Value::None();
    return Convert(docs[0]);
  } catch (const YAML::Exception& e) {
    return YamlError(path, e.msg + Mark(e.mark));
  } catch (const ConvertError& e) {
    return YamlError(path, e.message);
  }
}

tmpl::Result<tmpl::Value> LoadYamlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    tmpl::Error e;
    e.error_class = err == ENOENT ? "FileNotFoundError" : "OSError";
    e.message = "[Errno " + std::to_string(err) + "] " + std::strerror(err) +
                ": " + tmpl::StrRepr(path);
    return e;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseYaml(text.str(), path);
}

}  // namespace kb::kolla
