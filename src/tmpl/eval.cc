#include "tmpl/eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tmpl/bigint.h"
#include "tmpl/error.h"
#include "tmpl/ops.h"
#include "tmpl/value_internal.h"

namespace tmpl {

namespace {

// Calls deeper than this end the render with a RecursionError instead of
// exhausting the native stack.
constexpr int kMaxDepth = 400;
// Native stack a render may use below its first call, whatever the depth:
// frames are several times larger in sanitizer and debug builds, where 400
// calls would overflow an 8 MiB stack (the fuzzer found this).
constexpr uintptr_t kMaxStackBytes = 4 << 20;

// Restores a member on scope exit.
template <class T>
class Restore {
 public:
  explicit Restore(T& ref) : ref_(ref), saved_(ref) {}
  ~Restore() { ref_ = std::move(saved_); }

 private:
  T& ref_;
  T saved_;
};

// Starts the names Jinja's symbol tracking found first assigned in a frame
// as undefined (see idtracking.cc).
void InitUndefined(Scope& s, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (!s.FindLocal(n)) s.Set(n, Value::Undefined(n));
  }
}

Value AsOutputValue(std::string s, bool autoescape) {
  return autoescape ? Value::Markup(std::move(s)) : Value::Str(std::move(s));
}

}  // namespace

std::optional<Value> NamespaceObj::GetAttr(std::string_view name) {
  return attrs.DictGet(name);
}

std::string NamespaceObj::Repr() {
  std::string out = "<Namespace ";
  out += attrs.Repr();
  return out + ">";
}

// ---- runtime objects ----

struct Evaluator::MacroDef {
  const Node* node;
  std::string name;
  std::shared_ptr<Scope> closure;
  std::shared_ptr<RenderContext> ctx;
  std::shared_ptr<const Template> tmpl;
  Evaluator* ev;
  bool explicit_caller = false;
};

namespace {

class MacroObj : public Object {
 public:
  explicit MacroObj(std::shared_ptr<Evaluator::MacroDef> d) : def(std::move(d)) {}
  std::string TypeName() const override { return "Macro"; }
  bool IsCallable() const override { return true; }
  Value Call(CallContext&, CallArgs& args) override {
    if (!def->ev) {
      Raise("TemplateRuntimeError",
            "macro " + StrRepr(def->name) + " called after its render ended");
    }
    return def->ev->CallMacro(def, args);
  }
  std::optional<Value> GetAttr(std::string_view name) override {
    const Node* n = def->node;
    if (name == "name") {
      // PARITY(jinja): call-block macros have no name.
      if (n->kind == NodeKind::kCallBlock) return Value();
      return Value::Str(def->name);
    }
    if (name == "arguments") {
      std::vector<Value> a;
      for (const auto& s : n->arg_names) a.push_back(Value::Str(s));
      return Value::NewTuple(std::move(a));
    }
    if (name == "catch_kwargs") return Value::Bool(n->catch_kwargs);
    if (name == "catch_varargs") return Value::Bool(n->catch_varargs);
    if (name == "caller") return Value::Bool(n->uses_caller);
    return std::nullopt;
  }
  std::string Repr() override {
    // PARITY(jinja): call-block macros have no name.
    if (def->node->kind == NodeKind::kCallBlock) return "<Macro anonymous>";
    return "<Macro " + StrRepr(def->name) + ">";
  }
  std::shared_ptr<Evaluator::MacroDef> def;
};

class LoopObj : public Object {
 public:
  std::string TypeName() const override { return "LoopContext"; }
  bool IsCallable() const override { return recursive; }
  Value Call(CallContext&, CallArgs& args) override {
    if (!recursive) return Object::Call(*ev, args);
    if (args.args.size() != 1 || !args.kwargs.empty()) {
      Raise("TypeError", "loop() takes exactly one argument");
    }
    return ev->RenderLoopAgain(node, outer, args.args[0], depth + 1);
  }
  std::optional<Value> GetAttr(std::string_view name) override;
  std::string Repr() override {
    return "<LoopContext " + std::to_string(index + 1) + "/" +
           std::to_string(items.size()) + ">";
  }

  std::vector<Value> items;
  size_t index = 0;
  int depth = 1;
  bool recursive = false;
  const Node* node = nullptr;
  std::shared_ptr<Scope> outer;
  Evaluator* ev = nullptr;
  std::optional<Value> last_changed;

  // Python iterates a dict (or a view of one) lazily, and each step fails
  // once the dict's size differs from the start. `watched` is that dict
  // (None otherwise), and `pulled` counts the steps taken: one per item,
  // then the one that finds the end (after which nothing is checked).
  Value watched;
  size_t watched_size = 0;
  size_t pulled = 0;
  /// Takes iteration steps until `count` were taken.
  void PullTo(size_t count) {
    if (watched.is_none()) return;
    count = std::min(count, items.size() + 1);
    for (; pulled < count; ++pulled) {
      if (watched.DictSize() != watched_size) {
        Raise("RuntimeError", "dictionary changed size during iteration");
      }
    }
  }
};

struct LoopMethod : Object {
  LoopMethod(LoopObj* l, std::shared_ptr<Object> keep, bool cyc)
      : loop(l), hold(std::move(keep)), cycle(cyc) {}
  std::string TypeName() const override { return "method"; }
  bool IsCallable() const override { return true; }
  Value Call(CallContext&, CallArgs& args) override {
    if (cycle) {
      if (args.args.empty()) Raise("TypeError", "no items for cycling given");
      return args.args[loop->index % args.args.size()];
    }
    Value now = Value::NewList(args.args);
    if (!loop->last_changed || !loop->last_changed->Equals(now)) {
      loop->last_changed = now;
      return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  LoopObj* loop;
  std::shared_ptr<Object> hold;
  bool cycle;
};

std::optional<Value> LoopObj::GetAttr(std::string_view name) {
  int64_t n = static_cast<int64_t>(items.size());
  int64_t i = static_cast<int64_t>(index);
  if (name == "index") return Value::Int(i + 1);
  if (name == "index0") return Value::Int(i);
  if (name == "revindex") return Value::Int(n - i);
  if (name == "revindex0") return Value::Int(n - i - 1);
  if (name == "first") return Value::Bool(i == 0);
  if (name == "last") {
    PullTo(index + 2);  // Jinja peeks at the next item
    return Value::Bool(i == n - 1);
  }
  if (name == "length") return Value::Int(n);
  if (name == "depth") return Value::Int(depth);
  if (name == "depth0") return Value::Int(depth - 1);
  if (name == "previtem") {
    if (i == 0) return Value::UndefinedWithHint("there is no previous item");
    return items[i - 1];
  }
  if (name == "nextitem") {
    PullTo(index + 2);
    if (i + 1 >= n) return Value::UndefinedWithHint("there is no next item");
    return items[i + 1];
  }
  if (name == "cycle" || name == "changed") {
    // The method keeps the loop alive through a non-owning pointer plus a
    // handle that is set by the caller (see Evaluator::Eval kGetattr).
    return Value::FromObject(
        std::make_shared<LoopMethod>(this, nullptr, name == "cycle"));
  }
  return std::nullopt;
}

class SuperObj : public Object {
 public:
  std::string TypeName() const override { return "BlockReference"; }
  bool IsCallable() const override { return true; }
  Value Call(CallContext&, CallArgs& args) override {
    if (!ev->HasBlock(name, index)) {
      Raise("UndefinedError",
            "there is no parent block called " + StrRepr(name) + ".");
    }
    return ev->RenderBlockValue(name, index, parent);
  }
  std::string Repr() override {
    // PARITY(jinja): Python's default object repr (addresses differ).
    char addr[32];
    snprintf(addr, sizeof(addr), "%p", static_cast<void*>(this));
    return std::string("<jinja2.runtime.BlockReference object at ") + addr +
           ">";
  }
  Evaluator* ev;
  std::string name;
  size_t index;
  std::shared_ptr<Scope> parent;
};

class TemplateRefObj : public Object {
 public:
  std::string TypeName() const override { return "TemplateReference"; }
  std::optional<Value> GetAttr(std::string_view name) override {
    std::string n(name);
    if (!ev->HasBlock(n, 0)) return std::nullopt;
    auto b = std::make_shared<SuperObj>();
    b->ev = ev;
    b->name = n;
    b->index = 0;
    return Value::FromObject(b);
  }
  std::string Repr() override { return "<TemplateReference>"; }
  Evaluator* ev;
};

class ModuleObj : public Object {
 public:
  std::string TypeName() const override { return "TemplateModule"; }
  std::optional<Value> GetAttr(std::string_view name) override {
    auto it = exports.find(std::string(name));
    if (it == exports.end()) return std::nullopt;
    return it->second;
  }
  std::string Str() override { return body; }
  std::string Repr() override {
    return "<TemplateModule " + StrRepr(name) + ">";
  }
  std::string name;
  std::string body;
  std::map<std::string, Value> exports;
};

class TemplateObj : public Object {
 public:
  explicit TemplateObj(std::shared_ptr<const Template> t) : tmpl(std::move(t)) {}
  std::string TypeName() const override { return "Template"; }
  std::string Repr() override {
    return "<Template " + StrRepr(tmpl->name()) + ">";
  }
  std::shared_ptr<const Template> tmpl;
};

}  // namespace

Value TemplateValue(std::shared_ptr<const Template> tmpl) {
  return Value::FromObject(std::make_shared<TemplateObj>(std::move(tmpl)));
}

std::shared_ptr<const Template> TemplateFromValue(const Value& v) {
  if (!v.is_object()) return nullptr;
  auto* t = dynamic_cast<TemplateObj*>(v.AsObject());
  return t ? t->tmpl : nullptr;
}

// ---- evaluator ----

Evaluator::Evaluator(Environment& env)
    : env_(env), opts_(env.options()), autoescape_(env.options().autoescape) {
  outer_containers_ = g_render_containers;
  g_render_containers = &containers_;
}

namespace {

// Calls fn(referent) for every object `o` holds a strong reference to, for
// the container kinds a render tracks.
template <class Fn>
void ForEachReferent(Object* o, Fn&& fn) {
  auto visit = [&fn](const Value& v) {
    if (Object* r = v.AsObject()) fn(r);
  };
  if (auto* l = dynamic_cast<ListObj*>(o)) {
    for (const auto& v : l->items) visit(v);
    visit(l->view_of);
  } else if (auto* d = dynamic_cast<DictObj*>(o)) {
    for (const auto& [k, v] : d->items) {
      visit(k);
      visit(v);
    }
    for (const auto& [k, i] : d->index) visit(k);  // a second key handle
  } else if (auto* ns = dynamic_cast<NamespaceObj*>(o)) {
    visit(ns->attrs);
  }
}

void ClearContainer(Object* o) {
  if (auto* l = dynamic_cast<ListObj*>(o)) {
    l->items.clear();
    l->view_of = Value();
  } else if (auto* d = dynamic_cast<DictObj*>(o)) {
    d->index.clear();
    d->items.clear();
  } else if (auto* ns = dynamic_cast<NamespaceObj*>(o)) {
    ns->attrs = Value();
  }
}

// Frees the reference cycles among the containers a render made, by trial
// deletion as CPython's collector does: references from tracked containers
// are subtracted from each one's count; what is left over is held from
// outside (the caller's values, scopes, native code) and stays, with all it
// reaches. The rest is only held by cycles and is emptied, which frees it.
void FreeContainerCycles(const std::vector<std::weak_ptr<Object>>& tracked) {
  std::vector<std::shared_ptr<Object>> objs;
  std::unordered_map<Object*, size_t> index;
  for (const auto& w : tracked) {
    auto p = w.lock();
    if (p && index.emplace(p.get(), objs.size()).second) {
      objs.push_back(std::move(p));
    }
  }
  std::vector<long> outside(objs.size());
  for (size_t i = 0; i < objs.size(); ++i) {
    outside[i] = objs[i].use_count() - 1;  // less the handle in `objs`
  }
  for (const auto& o : objs) {
    ForEachReferent(o.get(), [&](Object* r) {
      auto it = index.find(r);
      if (it != index.end()) --outside[it->second];
    });
  }
  std::vector<char> live(objs.size(), 0);
  std::vector<size_t> todo;
  for (size_t i = 0; i < objs.size(); ++i) {
    if (outside[i] > 0) {
      live[i] = 1;
      todo.push_back(i);
    }
  }
  while (!todo.empty()) {
    size_t i = todo.back();
    todo.pop_back();
    ForEachReferent(objs[i].get(), [&](Object* r) {
      auto it = index.find(r);
      if (it != index.end() && !live[it->second]) {
        live[it->second] = 1;
        todo.push_back(it->second);
      }
    });
  }
  for (size_t i = 0; i < objs.size(); ++i) {
    if (!live[i]) ClearContainer(objs[i].get());
  }
}

}  // namespace

Evaluator::~Evaluator() {
  for (auto& m : macros_) {
    m->ev = nullptr;
    m->closure.reset();
    m->ctx.reset();
  }
  for (auto& s : captured_) {
    s->vars.clear();
    s->parent.reset();
  }
  for (auto& c : contexts_) {
    c->root->vars.clear();
    c->blocks.clear();
    c->parent = Value();
  }
  g_render_containers = outer_containers_;
  FreeContainerCycles(containers_);
}

void Evaluator::EnterCall() {
  char here;
  auto pos = reinterpret_cast<uintptr_t>(&here);
  if (stack_base_ == 0) stack_base_ = pos;
  uintptr_t used = stack_base_ > pos ? stack_base_ - pos : pos - stack_base_;
  if (++depth_ > kMaxDepth || used > kMaxStackBytes) {
    --depth_;
    Raise("RecursionError", "maximum recursion depth exceeded");
  }
}

void Evaluator::Locate(Error& e) const {
  if (!tmpl_) return;
  e.template_name = tmpl_->name();
  e.line = line_;
  e.column = col_;
  e.source_line = tmpl_->SourceLine(line_);
}

std::string Evaluator::RenderTop(std::shared_ptr<const Template> tmpl,
                                 const Value& context) {
  auto ctx = std::make_shared<RenderContext>();
  ctx->root = std::make_shared<Scope>(nullptr);
  contexts_.push_back(ctx);
  ctx->parent = context;
  std::string out;
  out_ = &out;
  RenderRoot(tmpl, ctx);
  return out;
}

void Evaluator::RenderRoot(std::shared_ptr<const Template> t,
                           std::shared_ptr<RenderContext> ctx) {
  Restore<std::shared_ptr<Scope>> r1(scope_);
  Restore<std::shared_ptr<RenderContext>> r2(ctx_);
  Restore<std::shared_ptr<const Template>> r3(tmpl_);
  Restore<RootFrame*> r4(root_frame_);
  Restore<Scope*> r5(root_locals_);
  for (const auto& [name, node] : t->parsed().blocks) {
    auto& chain = ctx->blocks[name];
    if (chain.empty()) chain.push_back({node.get(), t});
  }
  auto ref = std::make_shared<TemplateRefObj>();
  ref->ev = this;
  ctx->root->Set("self", Value::FromObject(ref));
  // Each template of an inheritance chain runs its top level in turn,
  // sharing the context; the chain is followed iteratively.
  while (t) {
    RootFrame frame;
    ctx_ = ctx;
    scope_ = std::make_shared<Scope>(ctx->root);
    InitUndefined(*scope_, t->parsed().root_undefined);
    root_locals_ = scope_.get();
    tmpl_ = t;
    root_frame_ = &frame;
    ExecBody(t->parsed().body);
    t = frame.parent;
  }
}

void Evaluator::ExecBody(const std::vector<NodePtr>& body) {
  for (const auto& n : body) Exec(*n);
}

Value Evaluator::Lookup(const std::string& name) const {
  for (const Scope* s = scope_.get(); s; s = s->parent.get()) {
    if (const Value* v = s->FindLocal(name)) return *v;
  }
  if (ctx_ && ctx_->parent.is_dict()) {
    if (auto v = ctx_->parent.DictGet(name)) return *v;
  }
  if (auto v = env_.globals().DictGet(name)) return *v;
  return Value::Undefined(name);
}

Value Evaluator::Resolve(std::string_view name) const {
  return Lookup(std::string(name));
}

Value Evaluator::ResolveContext(std::string_view name) const {
  std::string key(name);
  if (ctx_) {
    if (const Value* v = ctx_->root->FindLocal(key)) return *v;
    if (ctx_->parent.is_dict()) {
      if (auto v = ctx_->parent.DictGet(key)) return *v;
    }
  }
  if (auto v = env_.globals().DictGet(key)) return *v;
  return Value::Undefined(key);
}

bool Evaluator::Truth(const Value& v) {
  if (v.is_strict_undefined(opts_.strict_undefined)) FailUndefined(v);
  return v.Truthy();
}

std::string Evaluator::Str(const Value& v) {
  if (v.is_strict_undefined(opts_.strict_undefined)) FailUndefined(v);
  return v.ToStr();
}

void Evaluator::Exec(const Node& n) {
  try {
    switch (n.kind) {
      case NodeKind::kOutput:
        ExecOutput(n);
        return;
      case NodeKind::kIf:
        Mark(n);
        if (Truth(Eval(*n.a))) {
          ExecBody(n.body);
        } else {
          ExecBody(n.else_body);
        }
        return;
      case NodeKind::kFor: {
        Mark(n);
        Value it = Eval(*n.b);
        ExecFor(n, scope_, it, 1);
        return;
      }
      case NodeKind::kAssign: {
        Value v = Eval(*n.b);
        Mark(n);
        Assign(*n.a, v, *scope_, root_frame_ != nullptr);
        return;
      }
      case NodeKind::kAssignBlock: {
        std::string buf;
        {
          Restore<std::string*> r1(out_);
          Restore<std::shared_ptr<Scope>> r2(scope_);
          Restore<RootFrame*> r3(root_frame_);
          out_ = &buf;
          scope_ = std::make_shared<Scope>(scope_);
          InitUndefined(*scope_, n.frame_undefined);
          root_frame_ = nullptr;
          ExecBody(n.body);
        }
        Value v = AsOutputValue(std::move(buf), autoescape_);
        if (n.c) v = EvalBlockFilters(*n.c, v);
        Assign(*n.a, v, *scope_, root_frame_ != nullptr);
        return;
      }
      case NodeKind::kMacro: {
        Value m = MakeMacro(n, n.name);
        scope_->Set(n.name, m);
        if (scope_.get() == root_locals_) {
          ctx_->root->Set(n.name, m);
          if (n.name[0] != '_') ctx_->exported.push_back(n.name);
        }
        return;
      }
      case NodeKind::kCallBlock:
        if (root_frame_ && root_frame_->extended) return;
        ExecCallBlock(n);
        return;
      case NodeKind::kFilterBlock: {
        if (root_frame_ && root_frame_->extended) return;
        std::string buf;
        {
          Restore<std::string*> r1(out_);
          Restore<std::shared_ptr<Scope>> r2(scope_);
          out_ = &buf;
          scope_ = std::make_shared<Scope>(scope_);
          InitUndefined(*scope_, n.frame_undefined);
          ExecBody(n.body);
        }
        Value v = EvalBlockFilters(*n.c,
                                   AsOutputValue(std::move(buf), autoescape_));
        // PARITY(jinja): the filter's result is written as it is, never
        // escaped (so `{% filter title %}` does not escape its body twice).
        *out_ += v.is_str() ? v.AsStr() : ToOutput(v, autoescape_);
        return;
      }
      case NodeKind::kWith: {
        std::vector<Value> vals;
        for (const auto& v : n.values) vals.push_back(Eval(*v));
        Restore<std::shared_ptr<Scope>> r(scope_);
        auto inner = std::make_shared<Scope>(scope_);
        for (size_t i = 0; i < vals.size(); ++i) {
          Assign(*n.items[i], vals[i], *inner, false);
        }
        InitUndefined(*inner, n.frame_undefined);
        scope_ = inner;
        Restore<RootFrame*> r2(root_frame_);
        if (root_frame_ && !root_frame_->extended) root_frame_ = nullptr;
        ExecBody(n.body);
        return;
      }
      case NodeKind::kBlock:
        if (root_frame_ && root_frame_->extended) return;
        Mark(n);
        RenderBlock(n.name, 0, n.scoped ? scope_ : nullptr);
        return;
      case NodeKind::kExtends: {
        Mark(n);
        if (!root_frame_) {
          Raise("TemplateRuntimeError",
                "cannot use extend from a non top-level scope");
        }
        if (root_frame_->parent) {
          Raise("TemplateRuntimeError", "extended multiple times");
        }
        auto parent = LoadTemplate(Eval(*n.a));
        root_frame_->parent = parent;
        root_frame_->extended = true;
        for (const auto& [name, node] : parent->parsed().blocks) {
          ctx_->blocks[name].push_back({node.get(), parent});
        }
        return;
      }
      case NodeKind::kInclude:
        if (root_frame_ && root_frame_->extended) return;
        ExecInclude(n);
        return;
      case NodeKind::kImport: {
        Mark(n);
        auto t = LoadTemplate(Eval(*n.a));
        Value mod = MakeModule(t, n.with_context);
        scope_->Set(n.name, mod);
        if (scope_.get() == root_locals_) ctx_->root->Set(n.name, mod);
        return;
      }
      case NodeKind::kFromImport: {
        Mark(n);
        auto t = LoadTemplate(Eval(*n.a));
        Value mod = MakeModule(t, n.with_context);
        for (const auto& [name, alias] : n.names) {
          auto v = mod.AsObject()->GetAttr(name);
          if (!v) {
            v = Value::UndefinedWithHint(
                "the template " + StrRepr(t->name()) + " (imported on line " +
                std::to_string(n.line) +
                ") does not export the requested name " + StrRepr(name));
          }
          scope_->Set(alias, *v);
          if (scope_.get() == root_locals_) {
            ctx_->root->Set(alias, *v);
            if (alias[0] != '_') ctx_->exported.push_back(alias);
          }
        }
        return;
      }
      case NodeKind::kAutoescape: {
        Mark(n);
        bool on = Truth(Eval(*n.a));
        Restore<bool> r(autoescape_);
        Restore<std::shared_ptr<Scope>> r2(scope_);
        autoescape_ = on;
        scope_ = std::make_shared<Scope>(scope_);
        InitUndefined(*scope_, n.frame_undefined);
        ExecBody(n.body);
        return;
      }
      default:
        Raise("TemplateRuntimeError", "unexpected statement [this is a bug]");
    }
  } catch (TemplateException& e) {
    if (!e.located) {
      Locate(e.error);
      e.located = true;
    }
    throw;
  }
}

void Evaluator::ExecOutput(const Node& n) {
  // PARITY(jinja): once a template has extended another, its own output
  // is dropped (only the parent renders).
  if (root_frame_ && root_frame_->extended) return;
  for (const auto& item : n.items) {
    if (item->is_data) {
      *out_ += item->value.AsStr();
      continue;
    }
    Value v = Eval(*item);
    if (v.is_str() && !autoescape_) {
      *out_ += v.AsStr();
    } else {
      Mark(*item);
      if (v.is_strict_undefined(opts_.strict_undefined)) FailUndefined(v);
      *out_ += ToOutput(v, autoescape_);
    }
  }
}

void Evaluator::ExecFor(const Node& n, std::shared_ptr<Scope> outer,
                        const Value& iterable, int depth) {
  if (iterable.is_strict_undefined(opts_.strict_undefined)) {
    FailUndefined(iterable);
  }
  std::vector<Value> items = Iterate(iterable);
  // The loop filter runs with the target bound but before `loop` exists.
  if (n.c) {
    std::vector<Value> kept;
    for (auto& item : items) {
      auto s = std::make_shared<Scope>(outer);
      Assign(*n.a, item, *s, false);
      Restore<std::shared_ptr<Scope>> r(scope_);
      scope_ = s;
      if (Truth(Eval(*n.c))) kept.push_back(item);
    }
    items = std::move(kept);
  }
  Restore<std::shared_ptr<Scope>> r(scope_);
  if (items.empty()) {
    scope_ = std::make_shared<Scope>(outer);
    InitUndefined(*scope_, n.else_undefined);
    ExecBody(n.else_body);
    return;
  }
  auto loop = std::make_shared<LoopObj>();
  loop->items = std::move(items);
  if (iterable.is_dict()) {
    loop->watched = iterable;
  } else if (iterable.is_list()) {
    loop->watched = static_cast<ListObj*>(iterable.AsObject())->view_of;
  }
  if (!loop->watched.is_none()) loop->watched_size = loop->watched.DictSize();
  loop->depth = depth;
  loop->recursive = n.recursive;
  loop->node = &n;
  loop->outer = outer;
  loop->ev = this;
  Value loop_value = Value::FromObject(loop);
  for (size_t i = 0; i < loop->items.size(); ++i) {
    loop->index = i;
    loop->PullTo(i + 1);
    auto s = std::make_shared<Scope>(outer);
    Assign(*n.a, loop->items[i], *s, false);
    s->Set("loop", loop_value);
    InitUndefined(*s, n.frame_undefined);
    scope_ = s;
    ExecBody(n.body);
  }
  loop->PullTo(loop->items.size() + 1);
}

Value Evaluator::RenderLoopAgain(const Node* n, std::shared_ptr<Scope> outer,
                                 const Value& iterable, int depth) {
  EnterCall();
  std::string buf;
  {
    Restore<std::string*> r(out_);
    out_ = &buf;
    ExecFor(*n, outer, iterable, depth);
  }
  LeaveCall();
  return AsOutputValue(std::move(buf), autoescape_);
}

void Evaluator::Assign(const Node& target, const Value& v, Scope& scope,
                       bool top) {
  if (target.kind == NodeKind::kName) {
    scope.Set(target.name, v);
    if (top && &scope == root_locals_) {
      ctx_->root->Set(target.name, v);
      if (target.name[0] != '_') ctx_->exported.push_back(target.name);
    }
    return;
  }
  if (target.kind == NodeKind::kNsRef) {
    Value ns = Lookup(target.name);
    auto* obj = ns.is_object() ? dynamic_cast<NamespaceObj*>(ns.AsObject())
                               : nullptr;
    if (!obj) {
      Raise("TemplateRuntimeError",
            "cannot assign attribute on non-namespace object");
    }
    obj->attrs.DictSet(target.value, v);
    return;
  }
  // Tuple unpacking, as Python's.
  if (!(v.is_list() || v.is_tuple() || v.is_str() || v.is_dict() ||
        v.is_undefined())) {
    Raise("TypeError", "cannot unpack non-iterable " + v.TypeName() +
                           " object");
  }
  if (v.is_undefined()) FailUndefined(v);
  std::vector<Value> items = Iterate(v);
  size_t want = target.items.size();
  if (items.size() < want) {
    Raise("ValueError", "not enough values to unpack (expected " +
                            std::to_string(want) + ", got " +
                            std::to_string(items.size()) + ")");
  }
  if (items.size() > want) {
    Raise("ValueError", "too many values to unpack (expected " +
                            std::to_string(want) + ")");
  }
  for (size_t i = 0; i < want; ++i) Assign(*target.items[i], items[i], scope,
                                           top);
}

Value Evaluator::MakeMacro(const Node& n, const std::string& name) {
  auto d = std::make_shared<MacroDef>();
  d->node = &n;
  d->name = name;
  d->closure = scope_;
  d->ctx = ctx_;
  d->tmpl = tmpl_;
  d->ev = this;
  d->explicit_caller =
      std::find(n.arg_names.begin(), n.arg_names.end(), "caller") !=
      n.arg_names.end();
  macros_.push_back(d);
  captured_.push_back(scope_);
  return Value::FromObject(std::make_shared<MacroObj>(std::move(d)));
}

Value Evaluator::CallMacro(const std::shared_ptr<MacroDef>& m,
                           CallArgs& args) {
  const Node& n = *m->node;
  size_t argc = n.arg_names.size();
  std::vector<std::optional<Value>> vals(argc);
  for (size_t i = 0; i < argc && i < args.args.size(); ++i) {
    vals[i] = args.args[i];
  }
  auto kwargs = args.kwargs;
  auto pop_kw = [&](const std::string& key) -> std::optional<Value> {
    for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
      if (it->first == key) {
        Value v = it->second;
        kwargs.erase(it);
        return v;
      }
    }
    return std::nullopt;
  };
  bool found_caller = false;
  if (args.args.size() < argc) {
    for (size_t i = args.args.size(); i < argc; ++i) {
      vals[i] = pop_kw(n.arg_names[i]);
      if (n.arg_names[i] == "caller") found_caller = true;
    }
  } else {
    found_caller = m->explicit_caller;
  }
  std::optional<Value> caller;
  if (n.uses_caller && !found_caller) {
    caller = pop_kw("caller");
    if (!caller) caller = Value::UndefinedWithHint("No caller defined");
  }
  Value kw_dict;
  if (n.catch_kwargs) {
    kw_dict = Value::NewDict();
    for (auto& [k, v] : kwargs) kw_dict.DictSet(k, v);
  } else if (!kwargs.empty()) {
    for (auto& [k, v] : kwargs) {
      if (k == "caller") {
        Raise("TypeError", "macro " + StrRepr(m->name) +
                               " was invoked with two values for the special "
                               "caller argument. This is most likely a bug.");
      }
    }
    Raise("TypeError", "macro " + StrRepr(m->name) +
                           " takes no keyword argument " +
                           StrRepr(kwargs.front().first));
  }
  Value varargs;
  if (n.catch_varargs) {
    std::vector<Value> extra;
    for (size_t i = argc; i < args.args.size(); ++i) {
      extra.push_back(args.args[i]);
    }
    varargs = Value::NewTuple(std::move(extra));
  } else if (args.args.size() > argc) {
    Raise("TypeError", "macro " + StrRepr(m->name) + " takes not more than " +
                           std::to_string(argc) + " argument(s)");
  }

  EnterCall();
  std::string buf;
  {
    Restore<std::string*> r1(out_);
    Restore<std::shared_ptr<Scope>> r2(scope_);
    Restore<std::shared_ptr<RenderContext>> r3(ctx_);
    Restore<std::shared_ptr<const Template>> r4(tmpl_);
    Restore<RootFrame*> r5(root_frame_);
    out_ = &buf;
    ctx_ = m->ctx;
    tmpl_ = m->tmpl;
    root_frame_ = nullptr;
    scope_ = std::make_shared<Scope>(m->closure);
    if (caller) scope_->Set("caller", *caller);
    if (n.catch_kwargs) scope_->Set("kwargs", kw_dict);
    if (n.catch_varargs) scope_->Set("varargs", varargs);
    // Defaults are evaluated at call time, in the macro's scope, so they
    // may use earlier parameters and the template's current names.
    for (size_t i = 0; i < argc; ++i) {
      if (vals[i]) {
        scope_->Set(n.arg_names[i], *vals[i]);
      } else if (n.defaults[i]) {
        try {
          scope_->Set(n.arg_names[i], Eval(*n.defaults[i]));
        } catch (TemplateException& e) {
          if (!e.located) {
            Locate(e.error);
            e.located = true;
          }
          throw;
        }
      } else {
        scope_->Set(n.arg_names[i],
                    Value::UndefinedWithHint("parameter " +
                                             StrRepr(n.arg_names[i]) +
                                             " was not provided"));
      }
    }
    InitUndefined(*scope_, n.frame_undefined);
    ExecBody(n.body);
  }
  LeaveCall();
  return AsOutputValue(std::move(buf), autoescape_);
}

void Evaluator::ExecCallBlock(const Node& n) {
  Mark(n);
  Value caller = MakeMacro(n, "caller");
  const Node& call = *n.a;
  Value fn = Eval(*call.a);
  CallArgs args;
  BuildArgs(call, args);
  args.kwargs.emplace_back("caller", caller);
  Mark(call);
  Value v = CallValue(*this, fn, args);
  if (v.is_strict_undefined(opts_.strict_undefined)) FailUndefined(v);
  *out_ += ToOutput(v, autoescape_);
}

bool Evaluator::HasBlock(const std::string& name, size_t index) const {
  auto it = ctx_->blocks.find(name);
  return it != ctx_->blocks.end() && index < it->second.size();
}

void Evaluator::RenderBlock(const std::string& name, size_t index,
                            std::shared_ptr<Scope> parent) {
  auto it = ctx_->blocks.find(name);
  if (it == ctx_->blocks.end() || index >= it->second.size()) {
    Raise("TemplateRuntimeError", "block " + StrRepr(name) + " not found");
  }
  const BlockEntry& entry = it->second[index];
  if (entry.node->required) {
    Raise("TemplateRuntimeError",
          "Required block " + StrRepr(name) + " not found");
  }
  EnterCall();
  auto s = std::make_shared<Scope>(parent ? parent : ctx_->root);
  auto sup = std::make_shared<SuperObj>();
  sup->ev = this;
  sup->name = name;
  sup->index = index + 1;
  sup->parent = parent;
  s->Set("super", Value::FromObject(sup));
  InitUndefined(*s, entry.node->frame_undefined);
  {
    Restore<std::shared_ptr<Scope>> r1(scope_);
    Restore<std::shared_ptr<const Template>> r2(tmpl_);
    Restore<RootFrame*> r3(root_frame_);
    scope_ = s;
    tmpl_ = entry.tmpl;
    root_frame_ = nullptr;
    ExecBody(entry.node->body);
  }
  LeaveCall();
}

Value Evaluator::RenderBlockValue(const std::string& name, size_t index,
                                  std::shared_ptr<Scope> parent) {
  std::string buf;
  {
    Restore<std::string*> r(out_);
    out_ = &buf;
    RenderBlock(name, index, parent);
  }
  return AsOutputValue(std::move(buf), autoescape_);
}

std::shared_ptr<const Template> Evaluator::LoadTemplate(const Value& v) {
  if (auto t = TemplateFromValue(v)) return t;
  if (v.is_undefined()) FailUndefined(v);
  if (!v.is_str()) {
    // PARITY(jinja): get_template hashes the name for its cache, then
    // FileSystemLoader splits it on '/'.
    v.Hash();
    Raise("AttributeError",
          "'" + v.TypeName() + "' object has no attribute 'split'");
  }
  // Names resolve in the environment of the template doing the loading:
  // a parent template from another Environment keeps its own loader.
  Environment* env = tmpl_ && tmpl_->environment() ? tmpl_->environment()
                                                   : &env_;
  return env->LoadOrThrow(v.AsStr());
}

Value Evaluator::Snapshot() const {
  Value d = Value::NewDict();
  if (ctx_->parent.is_dict()) {
    for (auto& [k, v] : ctx_->parent.DictItems()) d.DictSet(k, v);
  }
  std::vector<const Scope*> chain;
  for (const Scope* s = scope_.get(); s; s = s->parent.get()) {
    chain.push_back(s);
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& [k, v] : (*it)->vars) {
      if (k != "self" && k != "super" && k != "loop") d.DictSet(k, v);
    }
  }
  return d;
}

Value Evaluator::MakeModule(std::shared_ptr<const Template> t,
                            bool with_context) {
  EnterCall();
  auto ctx = std::make_shared<RenderContext>();
  ctx->root = std::make_shared<Scope>(nullptr);
  contexts_.push_back(ctx);
  ctx->parent = with_context ? Snapshot() : Value();
  std::string buf;
  {
    Restore<std::string*> r(out_);
    Restore<bool> r2(autoescape_);
    out_ = &buf;
    autoescape_ = opts_.autoescape;
    RenderRoot(t, ctx);
  }
  LeaveCall();
  auto mod = std::make_shared<ModuleObj>();
  mod->name = t->name();
  mod->body = std::move(buf);
  for (const auto& name : ctx->exported) {
    if (const Value* v = ctx->root->FindLocal(name)) mod->exports[name] = *v;
  }
  return Value::FromObject(mod);
}

void Evaluator::ExecInclude(const Node& n) {
  Mark(n);
  Value target = Eval(*n.a);
  std::shared_ptr<const Template> t;
  // PARITY(jinja): get_or_select_template: a string, undefined or Template
  // is loaded as one name; anything else is a sequence of names to try.
  if (target.is_str() || target.is_undefined() || TemplateFromValue(target)) {
    try {
      t = LoadTemplate(target);
    } catch (TemplateException& e) {
      if (e.error.error_class == "TemplateNotFound" && n.ignore_missing) {
        return;
      }
      throw;
    }
  } else {
    if (!Truth(target)) {
      if (n.ignore_missing) return;
      Raise("TemplatesNotFound",
            "Tried to select from an empty list of templates.");
    }
    std::string tried;
    for (const auto& c : Iterate(target)) {
      try {
        t = LoadTemplate(c);
        break;
      } catch (TemplateException& e) {
        const std::string& cls = e.error.error_class;
        if (cls != "TemplateNotFound" && cls != "UndefinedError") throw;
        if (!tried.empty()) tried += ", ";
        tried += c.is_undefined() ? e.error.message : c.ToStr();
      }
    }
    if (!t) {
      if (n.ignore_missing) return;
      Raise("TemplatesNotFound",
            "none of the templates given were found: " + tried);
    }
  }
  EnterCall();
  auto ctx = std::make_shared<RenderContext>();
  ctx->root = std::make_shared<Scope>(nullptr);
  contexts_.push_back(ctx);
  ctx->parent = n.with_context ? Snapshot() : Value();
  {
    // PARITY(jinja): an included template starts from the environment's
    // autoescape, not the one of the {% autoescape %} block around it.
    Restore<bool> r(autoescape_);
    autoescape_ = opts_.autoescape;
    RenderRoot(t, ctx);
  }
  LeaveCall();
}

void Evaluator::BuildArgs(const Node& n, CallArgs& args) {
  for (const auto& a : n.items) args.args.push_back(Eval(*a));
  for (const auto& [k, v] : n.kwargs) args.kwargs.emplace_back(k, Eval(*v));
  if (n.dyn_args) {
    Value d = Eval(*n.dyn_args);
    for (auto& item : Iterate(d)) args.args.push_back(item);
  }
  if (n.dyn_kwargs) {
    Value d = Eval(*n.dyn_kwargs);
    if (d.is_undefined()) FailUndefined(d);
    if (!d.is_dict()) {
      Raise("TypeError", "argument after ** must be a mapping, not " +
                             d.TypeName());
    }
    for (auto& [k, v] : d.DictItems()) {
      if (!k.is_str()) Raise("TypeError", "keywords must be strings");
      args.kwargs.emplace_back(k.AsStr(), v);
    }
  }
}

Value Evaluator::EvalCall(const Node& n) {
  Value fn = Eval(*n.a);
  CallArgs args;
  BuildArgs(n, args);
  Mark(n);
  return CallValue(*this, fn, args);
}

Value Evaluator::EvalFilter(const Node& n, const Value& input) {
  CallArgs args;
  BuildArgs(n, args);
  Mark(n);
  if (n.unknown_callee || !n.callee) {
    Raise("TemplateRuntimeError", "No filter named " + StrRepr(n.name) +
                                      " found.");
  }
  const auto& fn = *static_cast<const NativeFilter*>(n.callee);
  return fn(*this, input, args);
}

// The filters of `{% filter a | b %}` and `{% set x | a | b %}` nest like
// an expression's, with the block's body in place of the innermost input.
Value Evaluator::EvalBlockFilters(const Node& n, const Value& input) {
  if (!n.a) return EvalFilter(n, input);
  return EvalFilter(n, EvalBlockFilters(*n.a, input));
}

bool Evaluator::EvalTest(const Node& n) {
  Value input = Eval(*n.a);
  CallArgs args;
  BuildArgs(n, args);
  Mark(n);
  if (n.unknown_callee || !n.callee) {
    Raise("TemplateRuntimeError", "No test named " + StrRepr(n.name) +
                                      " found.");
  }
  const auto& fn = *static_cast<const NativeTest*>(n.callee);
  return fn(*this, input, args);
}

Value Evaluator::Eval(const Node& n) {
  switch (n.kind) {
    case NodeKind::kConst:
      return n.value;
    case NodeKind::kName: {
      Mark(n);
      return Lookup(n.name);
    }
    case NodeKind::kList:
    case NodeKind::kTuple: {
      std::vector<Value> items;
      items.reserve(n.items.size());
      for (const auto& i : n.items) items.push_back(Eval(*i));
      return n.kind == NodeKind::kList ? Value::NewList(std::move(items))
                                       : Value::NewTuple(std::move(items));
    }
    case NodeKind::kDict: {
      Value d = Value::NewDict();
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
        Value k = Eval(*n.items[i]);
        Value v = Eval(*n.items[i + 1]);
        Mark(*n.items[i]);
        k.Hash();  // unhashable keys raise TypeError, as in Python
        d.DictSet(k, v);
      }
      return d;
    }
    case NodeKind::kGetattr: {
      Value obj = Eval(*n.a);
      // An undefined object is the error's subject: point at it.
      Mark(obj.is_undefined() ? *n.a : n);
      Value v = GetAttr(obj, n.name);
      if (v.is_object()) {
        // Loop helper methods point back at their loop; keep it alive.
        if (auto* lm = dynamic_cast<LoopMethod*>(v.AsObject())) {
          lm->hold = obj.object_ptr();
        }
      }
      return v;
    }
    case NodeKind::kGetitem: {
      Value obj = Eval(*n.a);
      if (n.b->kind == NodeKind::kSlice) {
        const auto& s = n.b->items;
        Value a = s[0] ? Eval(*s[0]) : Value();
        Value b = s[1] ? Eval(*s[1]) : Value();
        Value c = s[2] ? Eval(*s[2]) : Value();
        Mark(n);
        if (!n.fold_quirk || opts_.strict_undefined) {
          return Slice(obj, a, b, c);
        }
        // PARITY(jinja): the compiler folds a constant slice through the
        // sandbox's getitem, which turns TypeError and LookupError into
        // undefined; at run time a slice fails as in Python. (Under
        // StrictUndefined the folded value cannot be printed, so Jinja
        // falls back to run time.)
        try {
          return Slice(obj, a, b, c);
        } catch (TemplateException& e) {
          const std::string& cls = e.error.error_class;
          if (cls != "TypeError" && cls != "IndexError" && cls != "KeyError") {
            throw;
          }
          return Value::UndefinedWithHint(
              ObjectTypeRepr(obj) + " has no element slice(" + a.Repr() +
              ", " + b.Repr() + ", " + c.Repr() + ")");
        }
      }
      Value key = Eval(*n.b);
      Mark(obj.is_undefined() ? *n.a : n);
      return GetItem(obj, key);
    }
    case NodeKind::kSlice:
      Raise("TypeError", "slices are only allowed in subscripts");
    case NodeKind::kCall:
      return EvalCall(n);
    case NodeKind::kFilter: {
      Value input = n.a ? Eval(*n.a) : Value();
      return EvalFilter(n, input);
    }
    case NodeKind::kTest:
      return Value::Bool(EvalTest(n));
    case NodeKind::kNot:
      return Value::Bool(!Truth(Eval(*n.a)));
    case NodeKind::kNeg:
    case NodeKind::kPos: {
      Value v = Eval(*n.a);
      Mark(n);
      if (v.is_undefined()) FailUndefined(v);
      bool neg = n.kind == NodeKind::kNeg;
      if (v.is_integral()) {
        if (!neg) return v.is_bool() ? Value::Int(v.AsInt()) : v;
        return IntNegate(v);
      }
      if (v.is_float()) return Value::Float(neg ? -v.AsFloat() : v.AsFloat());
      Raise("TypeError", std::string("bad operand type for unary ") +
                             (neg ? "-" : "+") + ": '" + v.TypeName() + "'");
    }
    case NodeKind::kBinOp: {
      if (n.name == "~") {
        std::string s;
        bool markup = false;
        std::vector<Value> parts;
        for (const auto& i : n.items) {
          parts.push_back(Eval(*i));
          if (parts.back().is_markup()) markup = true;
        }
        Mark(n);
        // PARITY(jinja): with autoescape on, `~` escapes plain strings when
        // any part is markup (markup_join).
        bool escape = autoescape_ && markup;
        for (const auto& p : parts) {
          if (escape) {
            s += ToOutput(p, true);
          } else {
            s += Str(p);
          }
        }
        return escape ? Value::Markup(std::move(s)) : Value::Str(std::move(s));
      }
      Value a = Eval(*n.a);
      Value b = Eval(*n.b);
      Mark(n);
      if (n.fold_quirk) {
        // PARITY(jinja): a folded negative base is written as `-1 ** x`,
        // which Python reads as -(1 ** x).
        bool negative = a.is_int() ? IntSign(a) < 0
                                   : a.is_float() && std::signbit(a.AsFloat()) &&
                                         !std::isnan(a.AsFloat());
        if (negative) {
          Value abs = a.is_int() ? IntNegate(a) : Value::Float(-a.AsFloat());
          Value r = BinaryOp(n.name, abs, b);
          if (r.is_int()) return IntNegate(r);
          if (r.is_float()) return Value::Float(-r.AsFloat());
          return r;
        }
      }
      return BinaryOp(n.name, a, b);
    }
    case NodeKind::kAnd: {
      Value a = Eval(*n.a);
      if (!Truth(a)) return a;
      return Eval(*n.b);
    }
    case NodeKind::kOr: {
      Value a = Eval(*n.a);
      if (Truth(a)) return a;
      return Eval(*n.b);
    }
    case NodeKind::kCompare: {
      Value left = Eval(*n.a);
      for (size_t i = 0; i < n.ops.size(); ++i) {
        Value right = Eval(*n.items[i]);
        Mark(n);
        const std::string& op = n.ops[i];
        bool ok;
        if (op == "in" || op == "notin") {
          if (right.is_strict_undefined(opts_.strict_undefined)) {
            FailUndefined(right);
          }
          ok = Contains(right, left) == (op == "in");
        } else {
          if (opts_.strict_undefined) {
            if (left.is_strict_undefined(true)) FailUndefined(left);
            if (right.is_strict_undefined(true)) FailUndefined(right);
          }
          ok = CompareOp(op, left, right);
        }
        if (!ok) return Value::Bool(false);
        left = right;
      }
      return Value::Bool(true);
    }
    case NodeKind::kCondExpr: {
      if (Truth(Eval(*n.a))) return Eval(*n.b);
      if (n.c) return Eval(*n.c);
      // PARITY(jinja): always the lenient Undefined, even when strict.
      return Value::LenientUndefined(
          "the inline if-expression on line " + std::to_string(n.line) +
          " evaluated to false and no else section was defined.");
    }
    default:
      Raise("TemplateRuntimeError", "unexpected expression [this is a bug]");
  }
}

}  // namespace tmpl
