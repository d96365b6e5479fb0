#include "kolla/python_call.h"

#include <utility>

#include "tmpl/error.h"

namespace kb::kolla {
namespace {

// "'a'", "'a' and 'b'", "'a', 'b' and 'c'", as Python lists missing names.
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

std::string Plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

[[noreturn]] void RaiseTooMany(const PySignature& sig, size_t given) {
  size_t max = sig.params.size() + sig.hidden;
  size_t min = sig.required + sig.hidden;
  std::string takes = min == max ? Plural(max, "positional argument")
                                 : "from " + std::to_string(min) + " to " +
                                       Plural(max, "positional argument");
  tmpl::Raise("TypeError", sig.name + "() takes " + takes + " but " +
                               std::to_string(given + sig.hidden) +
                               (given + sig.hidden == 1 ? " was" : " were") +
                               " given");
}

}  // namespace

std::vector<std::optional<tmpl::Value>> BindArgs(
    const PySignature& sig, const tmpl::CallArgs& args,
    std::vector<tmpl::Value> leading) {
  std::vector<std::optional<tmpl::Value>> slots(sig.params.size());
  size_t positional = leading.size() + args.args.size();
  if (positional > sig.params.size()) RaiseTooMany(sig, positional);
  size_t i = 0;
  for (auto& v : leading) slots[i++] = std::move(v);
  for (const auto& v : args.args) slots[i++] = v;

  for (const auto& [key, value] : args.kwargs) {
    size_t p = 0;
    while (p < sig.params.size() && sig.params[p] != key) ++p;
    if (p == sig.params.size()) {
      tmpl::Raise(
          "TypeError",
          sig.name + "() got an unexpected keyword argument '" + key + "'");
    }
    if (slots[p]) {
      tmpl::Raise(
          "TypeError",
          sig.name + "() got multiple values for argument '" + key + "'");
    }
    slots[p] = value;
  }

  std::vector<std::string> missing;
  for (size_t p = 0; p < sig.required; ++p) {
    if (!slots[p]) missing.push_back(sig.params[p]);
  }
  if (!missing.empty()) {
    tmpl::Raise("TypeError",
                sig.name + "() missing " +
                    Plural(missing.size(), "required positional argument") +
                    ": " + JoinNames(missing));
  }
  return slots;
}

void RaiseNoAttribute(const tmpl::Value& v, std::string_view name) {
  tmpl::Raise("AttributeError", "'" + v.TypeName() +
                                    "' object has no attribute '" +
                                    std::string(name) + "'");
}

std::vector<tmpl::Value> IterItems(const tmpl::Value& v) {
  if (v.is_list() || v.is_tuple()) return v.ListItems();
  if (v.is_undefined()) return {};
  std::vector<tmpl::Value> out;
  if (v.is_dict()) {
    for (auto& [k, unused] : v.DictItems()) out.push_back(k);
    return out;
  }
  if (v.is_str()) {
    // One item per UTF-8 code point, as iterating a Python str gives.
    const std::string& s = v.AsStr();
    for (size_t i = 0; i < s.size();) {
      size_t n = 1;
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0xF0) {
        n = 4;
      } else if (c >= 0xE0) {
        n = 3;
      } else if (c >= 0xC0) {
        n = 2;
      }
      out.push_back(tmpl::Value::Str(s.substr(i, n)));
      i += n;
    }
    return out;
  }
  tmpl::Raise("TypeError", "'" + v.TypeName() + "' object is not iterable");
}

}  // namespace kb::kolla
