// Jinja2's compile-time symbol tracking (idtracking.py), reduced to the one
// fact the dynamic scopes of the evaluator cannot reproduce on their own: a
// name whose first reference in a frame is an assignment starts that frame
// as undefined (unless an enclosing frame references it), even when the
// render context has a value for it. Loads from nested frames before the
// assignment then see the undefined value, exactly as in Jinja.
#include <map>
#include <set>
#include <string>

#include "tmpl/parser.h"

namespace tmpl {
namespace {

enum class Ref { kParam, kResolve, kAlias, kUndefined };

struct Symbols {
  explicit Symbols(const Symbols* p) : parent(p) {}

  bool FindRef(const std::string& name) const {
    for (const Symbols* s = this; s; s = s->parent) {
      if (s->refs.count(name)) return true;
    }
    return false;
  }
  void Load(const std::string& name) {
    if (!FindRef(name)) refs[name] = Ref::kResolve;
  }
  void Store(const std::string& name) {
    stores.insert(name);
    if (refs.count(name)) return;
    refs[name] = parent && parent->FindRef(name) ? Ref::kAlias
                                                 : Ref::kUndefined;
  }
  void Param(const std::string& name) {
    stores.insert(name);
    refs[name] = Ref::kParam;
  }

  const Symbols* parent;
  std::map<std::string, Ref> refs;
  std::set<std::string> stores;
};

class Analyzer {
 public:
  // Analyzes the frame whose direct body is `body`, then its child frames.
  std::vector<std::string> Frame(Symbols& sym,
                                 const std::vector<NodePtr>& body) {
    std::vector<const Node*> children;
    for (const auto& n : body) Visit(*n, sym, children);
    std::vector<std::string> undef = Undefined(sym);
    for (const Node* c : children) ChildFrames(*c, sym);
    return undef;
  }

 private:
  static std::vector<std::string> Undefined(const Symbols& sym) {
    std::vector<std::string> out;
    for (const auto& [name, ref] : sym.refs) {
      if (ref == Ref::kUndefined) out.push_back(name);
    }
    return out;
  }

  // Assignment targets: names, tuples of names, namespace refs.
  void Target(const Node& t, Symbols& sym, bool param) {
    if (t.kind == NodeKind::kName) {
      param ? sym.Param(t.name) : sym.Store(t.name);
    } else if (t.kind == NodeKind::kNsRef) {
      sym.Load(t.name);
    } else {
      for (const auto& i : t.items) Target(*i, sym, param);
    }
  }

  void Expr(const NodePtr& n, Symbols& sym) {
    if (n) ExprNode(*n, sym);
  }

  void ExprNode(const Node& n, Symbols& sym) {
    if (n.kind == NodeKind::kName) {
      sym.Load(n.name);
      return;
    }
    Expr(n.a, sym);
    Expr(n.b, sym);
    Expr(n.c, sym);
    for (const auto& i : n.items) Expr(i, sym);
    for (const auto& [k, v] : n.kwargs) Expr(v, sym);
    Expr(n.dyn_args, sym);
    Expr(n.dyn_kwargs, sym);
  }

  // Visits one node of a frame's direct body; nodes opening frames of
  // their own are collected in `children`.
  void Visit(const Node& n, Symbols& sym, std::vector<const Node*>& children) {
    switch (n.kind) {
      case NodeKind::kOutput:
        for (const auto& i : n.items) Expr(i, sym);
        return;
      case NodeKind::kAssign:
        Expr(n.b, sym);
        Target(*n.a, sym, false);
        return;
      case NodeKind::kAssignBlock:
        Target(*n.a, sym, false);
        children.push_back(&n);
        return;
      case NodeKind::kFor:
        Expr(n.b, sym);
        children.push_back(&n);
        return;
      case NodeKind::kIf:
        VisitIf(n, sym, children);
        return;
      case NodeKind::kMacro:
        sym.Store(n.name);
        children.push_back(&n);
        return;
      case NodeKind::kCallBlock:
        Expr(n.a, sym);
        children.push_back(&n);
        return;
      case NodeKind::kFilterBlock:
        Expr(n.c, sym);
        children.push_back(&n);
        return;
      case NodeKind::kWith:
        for (const auto& v : n.values) Expr(v, sym);
        children.push_back(&n);
        return;
      case NodeKind::kBlock:
      case NodeKind::kAutoescape:
        children.push_back(&n);
        return;
      case NodeKind::kImport:
        Expr(n.a, sym);
        sym.Store(n.name);
        return;
      case NodeKind::kFromImport:
        Expr(n.a, sym);
        for (const auto& [name, alias] : n.names) sym.Store(alias);
        return;
      case NodeKind::kInclude:
      case NodeKind::kExtends:
        Expr(n.a, sym);
        return;
      default:
        ExprNode(n, sym);
    }
  }

  // PARITY(jinja): FrameSymbolVisitor.visit_If and branch_update: the body,
  // all elif branches together, and the else each get a copy; a name stored
  // in only some of the three resolves from the context at frame start.
  void VisitIf(const Node& n, Symbols& sym,
               std::vector<const Node*>& children) {
    Expr(n.a, sym);
    std::vector<const Node*> elifs;
    const std::vector<NodePtr>* else_body = &n.else_body;
    while (else_body->size() == 1 && (*else_body)[0]->kind == NodeKind::kIf &&
           (*else_body)[0]->is_elif) {
      elifs.push_back((*else_body)[0].get());
      else_body = &(*else_body)[0]->else_body;
    }
    Symbols original = sym;
    auto branch = [&](auto visit) {
      Symbols copy = original;
      visit(copy);
      return copy;
    };
    Symbols body = branch([&](Symbols& s) {
      for (const auto& c : n.body) Visit(*c, s, children);
    });
    Symbols elif = branch([&](Symbols& s) {
      for (const Node* e : elifs) {
        Node plain = *e;
        plain.else_body.clear();
        VisitIf(plain, s, children);
      }
    });
    Symbols els = branch([&](Symbols& s) {
      for (const auto& c : *else_body) Visit(*c, s, children);
    });
    std::map<std::string, int> counts;
    for (const Symbols* b : {&body, &elif, &els}) {
      for (const auto& name : b->stores) {
        if (!original.stores.count(name)) ++counts[name];
      }
    }
    for (const Symbols* b : {&body, &elif, &els}) {
      for (const auto& [k, v] : b->refs) sym.refs[k] = v;
      sym.stores.insert(b->stores.begin(), b->stores.end());
    }
    for (const auto& [name, count] : counts) {
      if (count == 3) continue;
      sym.refs[name] = sym.parent && sym.parent->FindRef(name)
                           ? Ref::kAlias
                           : Ref::kResolve;
    }
  }

  void ChildFrames(const Node& n, const Symbols& parent) {
    Node& node = const_cast<Node&>(n);
    switch (n.kind) {
      case NodeKind::kFor: {
        Symbols s(&parent);
        Target(*n.a, s, true);
        s.Param("loop");
        node.frame_undefined = Frame(s, n.body);
        Symbols e(&parent);
        node.else_undefined = Frame(e, n.else_body);
        return;
      }
      case NodeKind::kMacro:
      case NodeKind::kCallBlock: {
        Symbols s(&parent);
        for (const auto& a : n.arg_names) s.Param(a);
        for (const auto& d : n.defaults) Expr(d, s);
        for (const char* special : {"caller", "varargs", "kwargs"}) {
          s.Param(special);
        }
        node.frame_undefined = Frame(s, n.body);
        return;
      }
      case NodeKind::kWith: {
        Symbols s(&parent);
        for (const auto& t : n.items) Target(*t, s, true);
        node.frame_undefined = Frame(s, n.body);
        return;
      }
      case NodeKind::kBlock: {
        // Block functions are isolated frames: no enclosing symbols.
        Symbols s(nullptr);
        s.Param("super");
        node.frame_undefined = Frame(s, n.body);
        return;
      }
      case NodeKind::kAssignBlock:
      case NodeKind::kFilterBlock:
      case NodeKind::kAutoescape: {
        Symbols s(&parent);
        node.frame_undefined = Frame(s, n.body);
        return;
      }
      default:
        return;
    }
  }
};

}  // namespace

void AnalyzeScopes(ParsedTemplate& t) {
  Symbols root(nullptr);
  root.Param("self");
  t.root_undefined = Analyzer().Frame(root, t.body);
}

}  // namespace tmpl
