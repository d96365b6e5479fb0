// The tree-walking evaluator: scopes, render contexts, macros, loops and
// template inheritance (Jinja2's runtime.py and compiled code).
#ifndef KB_TMPL_EVAL_H_
#define KB_TMPL_EVAL_H_

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tmpl/ast.h"
#include "tmpl/environment.h"
#include "tmpl/value.h"

namespace tmpl {

/// One level of local variables. Lookups walk `parent` up to the template's
/// top level, then the render context's parent dict, then the globals.
struct Scope {
  explicit Scope(std::shared_ptr<Scope> p) : parent(std::move(p)) {}
  const Value* FindLocal(const std::string& name) const {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : &it->second;
  }
  void Set(const std::string& name, Value v) { vars[name] = std::move(v); }

  std::shared_ptr<Scope> parent;
  std::unordered_map<std::string, Value> vars;
};

struct BlockEntry {
  const Node* node;
  std::shared_ptr<const Template> tmpl;
};

/// Jinja's Context: shared by a template and everything it extends.
struct RenderContext {
  std::shared_ptr<Scope> root;  // the templates' top-level names
  Value parent;                 // dict of render arguments, or None
  std::unordered_map<std::string, std::vector<BlockEntry>> blocks;
  std::vector<std::string> exported;  // top-level set/macro names, in order
};

/// A `namespace()` object: the only thing `set x.attr = ...` may change.
class NamespaceObj : public Object {
 public:
  std::string TypeName() const override { return "Namespace"; }
  std::optional<Value> GetAttr(std::string_view name) override;
  std::string Repr() override;
  Value attrs = Value::NewDict();
};

class Evaluator;

/// Renders templates for one Environment::Render call.
class Evaluator : public CallContext {
 public:
  explicit Evaluator(Environment& env);
  /// Breaks the reference cycles a render leaves behind (macros hold the
  /// scopes that hold them) and disarms escaped macros.
  ~Evaluator() override;
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  /// Renders `tmpl` with `context` (a dict) as its render arguments.
  std::string RenderTop(std::shared_ptr<const Template> tmpl,
                        const Value& context);

  Value Resolve(std::string_view name) const override;
  Value ResolveContext(std::string_view name) const override;
  bool autoescape() const override { return autoescape_; }
  Environment& environment() const override { return env_; }

  // Used by the runtime objects (macros, loops, blocks).
  struct MacroDef;
  Value CallMacro(const std::shared_ptr<MacroDef>& m, CallArgs& args);
  Value RenderLoopAgain(const Node* n, std::shared_ptr<Scope> outer,
                        const Value& iterable, int depth);
  Value RenderBlockValue(const std::string& name, size_t index,
                         std::shared_ptr<Scope> parent);
  bool HasBlock(const std::string& name, size_t index) const;

  /// Fills in the template name and the position being evaluated.
  void Locate(Error& e) const;

 private:
  struct RootFrame {
    std::shared_ptr<const Template> parent;
    bool extended = false;
  };

  void RenderRoot(std::shared_ptr<const Template> t,
                  std::shared_ptr<RenderContext> ctx);
  void ExecBody(const std::vector<NodePtr>& body);
  void Exec(const Node& n);
  void ExecFor(const Node& n, std::shared_ptr<Scope> outer,
               const Value& iterable, int depth);
  void ExecOutput(const Node& n);
  void ExecInclude(const Node& n);
  void ExecCallBlock(const Node& n);
  Value Eval(const Node& n);
  Value EvalCall(const Node& n);
  Value EvalFilter(const Node& n, const Value& input);
  Value EvalBlockFilters(const Node& n, const Value& input);
  bool EvalTest(const Node& n);
  void BuildArgs(const Node& n, CallArgs& args);
  Value Lookup(const std::string& name) const;
  bool Truth(const Value& v);
  std::string Str(const Value& v);
  void Assign(const Node& target, const Value& v, Scope& scope, bool top);
  void RenderBlock(const std::string& name, size_t index,
                   std::shared_ptr<Scope> parent);
  std::shared_ptr<const Template> LoadTemplate(const Value& name_or_tmpl);
  Value MakeModule(std::shared_ptr<const Template> t, bool with_context);
  Value Snapshot() const;
  Value MakeMacro(const Node& n, const std::string& name);
  void Mark(const Node& n) {
    line_ = n.line;
    col_ = n.col;
  }
  void EnterCall();
  void LeaveCall() { --depth_; }

  Environment& env_;
  const Options& opts_;
  // Scopes and contexts that may be part of cycles, cleared at the end.
  std::vector<std::shared_ptr<Scope>> captured_;
  std::vector<std::shared_ptr<RenderContext>> contexts_;
  std::vector<std::shared_ptr<MacroDef>> macros_;
  // Containers made during the render (see g_render_containers), and the
  // enclosing render's list, restored at the end.
  std::vector<std::weak_ptr<Object>> containers_;
  std::vector<std::weak_ptr<Object>>* outer_containers_ = nullptr;
  std::string* out_ = nullptr;
  std::shared_ptr<Scope> scope_;
  std::shared_ptr<RenderContext> ctx_;
  std::shared_ptr<const Template> tmpl_;
  RootFrame* root_frame_ = nullptr;
  // The running template's top-level locals (Jinja's l_0_*); assignments
  // there also go to the context (ctx_->root).
  Scope* root_locals_ = nullptr;
  bool autoescape_ = false;
  int depth_ = 0;
  uintptr_t stack_base_ = 0;  // stack position of the first call
  int line_ = 0;
  int col_ = 0;
};

}  // namespace tmpl

#endif  // KB_TMPL_EVAL_H_
