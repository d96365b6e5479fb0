#include "tmpl/environment.h"

#include "tmpl/eval.h"
#include "tmpl/lexer.h"

namespace tmpl {

Template::Template(std::string name, std::string source, ParsedTemplate parsed,
                   Environment* env)
    : name_(std::move(name)),
      source_(std::move(source)),
      parsed_(std::move(parsed)),
      env_(env) {}

std::string Template::SourceLine(int line) const {
  if (line <= 0) return "";
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = source_.find('\n', start);
    if (nl == std::string::npos) return "";
    start = nl + 1;
  }
  size_t end = source_.find('\n', start);
  return source_.substr(start, end == std::string::npos ? std::string::npos
                                                        : end - start);
}

Environment::Environment(Options opts)
    : opts_(opts), globals_(Value::NewDict()) {
  RegisterBuiltinFilters(*this);
  RegisterBuiltinTests(*this);
  RegisterBuiltinGlobals(*this);
}

void Environment::SetLoader(std::shared_ptr<Loader> loader) {
  loader_ = std::move(loader);
  cache_.clear();
}

void Environment::AddGlobal(std::string name, Value v) {
  globals_.DictSet(name, std::move(v));
}

void Environment::AddFilter(std::string name, NativeFilter fn) {
  filters_[std::move(name)] = std::move(fn);
}

void Environment::AddTest(std::string name, NativeTest fn) {
  tests_[std::move(name)] = std::move(fn);
}

const NativeFilter* Environment::FindFilter(const std::string& name) const {
  auto it = filters_.find(name);
  return it == filters_.end() ? nullptr : &it->second;
}

const NativeTest* Environment::FindTest(const std::string& name) const {
  auto it = tests_.find(name);
  return it == tests_.end() ? nullptr : &it->second;
}

std::shared_ptr<const Template> Environment::Compile(std::string source,
                                                     std::string name) {
  std::string src = NormalizeSource(source, opts_.keep_trailing_newline);
  LexOptions lo;
  lo.trim_blocks = opts_.trim_blocks;
  lo.lstrip_blocks = opts_.lstrip_blocks;
  lo.keep_trailing_newline = opts_.keep_trailing_newline;
  try {
    auto tokens = Tokenize(src, lo);
    auto parsed = Parse(std::move(tokens), [this](bool is_test,
                                                  const std::string& n) {
      return is_test ? static_cast<const void*>(FindTest(n))
                     : static_cast<const void*>(FindFilter(n));
    });
    return std::make_shared<Template>(std::move(name), std::move(src),
                                      std::move(parsed), this);
  } catch (TemplateException& e) {
    e.error.template_name = name;
    if (e.error.line > 0) {
      Template tmp(name, src, {}, this);
      e.error.source_line = tmp.SourceLine(e.error.line);
    }
    e.located = true;
    throw;
  }
}

std::shared_ptr<const Template> Environment::LoadOrThrow(
    const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  std::optional<std::string> src;
  if (loader_) src = loader_->GetSource(name);
  if (!src) {
    TemplateException ex;
    ex.error.error_class = "TemplateNotFound";
    ex.error.message = name;
    throw ex;
  }
  auto t = Compile(std::move(*src), name);
  cache_[name] = t;
  return t;
}

Result<std::shared_ptr<const Template>> Environment::GetTemplate(
    const std::string& name) {
  try {
    return LoadOrThrow(name);
  } catch (TemplateException& e) {
    return std::move(e.error);
  }
}

Result<std::shared_ptr<const Template>> Environment::FromString(
    std::string source, std::string name) {
  try {
    return Compile(std::move(source), std::move(name));
  } catch (TemplateException& e) {
    return std::move(e.error);
  }
}

Result<std::string> Environment::Render(const Template& tmpl,
                                        const Value& context) {
  Evaluator ev(*this);
  // The evaluator shares ownership of templates it runs; the caller's
  // Template outlives this call, so a non-owning handle is enough here.
  std::shared_ptr<const Template> handle(&tmpl, [](const Template*) {});
  try {
    return ev.RenderTop(handle, context.is_dict() ? context
                                                  : Value::NewDict());
  } catch (TemplateException& e) {
    if (!e.located) ev.Locate(e.error);
    return std::move(e.error);
  }
}

}  // namespace tmpl
