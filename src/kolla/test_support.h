// Shared helpers of the kolla_tests binary.
#ifndef KB_KOLLA_TEST_SUPPORT_H_
#define KB_KOLLA_TEST_SUPPORT_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "tmpl/environment.h"
#include "tmpl/error.h"
#include "tmpl/value.h"

namespace kb::kolla::testing {

/// A render context holding only the names it was given.
class FakeContext : public tmpl::CallContext {
 public:
  FakeContext() : vars_(tmpl::Value::NewDict()) {}
  FakeContext& Set(const std::string& name, tmpl::Value v) {
    vars_.DictSet(name, std::move(v));
    return *this;
  }
  tmpl::Value Resolve(std::string_view name) const override {
    auto v = vars_.DictGet(name);
    return v ? *v : tmpl::Value::Undefined(std::string(name));
  }
  // A fake has no locals: the context is everything it holds.
  tmpl::Value ResolveContext(std::string_view name) const override {
    return Resolve(name);
  }
  bool autoescape() const override { return false; }
  tmpl::Environment& environment() const override { std::abort(); }

 private:
  tmpl::Value vars_;
};

inline tmpl::Value Str(const char* s) { return tmpl::Value::Str(s); }

inline tmpl::Value StrList(std::initializer_list<const char*> items) {
  std::vector<tmpl::Value> v;
  for (const char* s : items) v.push_back(tmpl::Value::Str(s));
  return tmpl::Value::NewList(std::move(v));
}

/// The error a call raised through tmpl::Raise, as "Class: message", or
/// "no error" when it returned.
template <class F>
std::string RaisedBy(F&& f) {
  try {
    f();
  } catch (const tmpl::TemplateException& e) {
    return e.error.error_class + ": " + e.error.message;
  }
  return "no error";
}

/// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "kb_kolla_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `text` to `name` inside the directory and returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The shared kolla corpus, or "" when this checkout has none.
inline std::string CorpusDir() {
  const char* dirs[] = {"../shared/kolla-corpus", "../../shared/kolla-corpus"};
  for (const char* d : dirs) {
    if (std::filesystem::exists(std::string(d) + "/kolla/template/repos.yaml"))
      return d;
  }
  return "";
}

}  // namespace kb::kolla::testing

#endif  // KB_KOLLA_TEST_SUPPORT_H_
