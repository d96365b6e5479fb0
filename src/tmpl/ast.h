// The syntax tree the parser builds and the evaluator walks.
#ifndef KB_TMPL_AST_H_
#define KB_TMPL_AST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tmpl/value.h"

namespace tmpl {

enum class NodeKind {
  // Expressions.
  kConst,      // value
  kName,       // name
  kList,       // items
  kTuple,      // items
  kDict,       // items: alternating key, value
  kGetattr,    // a.name
  kGetitem,    // a[b]
  kSlice,      // a[items[0]:items[1]:items[2]] (null for missing)
  kCall,       // a(items, kwargs, *dyn_args, **dyn_kwargs)
  kFilter,     // a | name(items, kwargs); a is null in filter blocks
  kTest,       // a is name(items, kwargs)
  kNot,        // not a
  kNeg,        // -a
  kPos,        // +a
  kBinOp,      // a name b, name in + - * / // % ** ~
  kAnd,        // a and b
  kOr,         // a or b
  kCompare,    // a ops[i] items[i] ...
  kCondExpr,   // b if a else c
  kNsRef,      // a.name as an assignment target (namespace attribute)
  // Statements.
  kOutput,     // items: data (kConst str) or expressions
  kFor,        // for a in b [if c] body else else_body; flag: recursive
  kIf,         // if a body else else_body (elif nests as kIf)
  kMacro,      // name(args) body
  kCallBlock,  // call(args) a body
  kFilterBlock,  // filter a(body)
  kWith,       // targets items, values kwargs-free list in values
  kBlock,      // block name body; flags scoped / required
  kExtends,    // extends a
  kInclude,    // include a; flags ignore_missing / with_context
  kImport,     // import a as name; with_context
  kFromImport,  // from a import names; with_context
  kAssign,     // set a = b
  kAssignBlock,  // set a | c: body
  kAutoescape,   // autoescape a: body
  kScope,      // body in its own scope (internal)
};

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Filter;  // resolved filter or test, see environment.cc

struct Node {
  NodeKind kind;
  int line = 0;
  int col = 0;
  std::string name;
  Value value;
  NodePtr a, b, c;
  std::vector<NodePtr> items;
  std::vector<std::pair<std::string, NodePtr>> kwargs;
  NodePtr dyn_args, dyn_kwargs;
  std::vector<std::string> ops;  // compare operators
  std::vector<NodePtr> body, else_body;
  // Macro and call-block signatures.
  std::vector<std::string> arg_names;
  std::vector<NodePtr> defaults;  // aligned with arg_names; null = none
  std::vector<std::pair<std::string, std::string>> names;  // from-import
  std::vector<NodePtr> values;                             // with values
  bool recursive = false;
  bool scoped = false;
  bool required = false;
  bool ignore_missing = false;
  bool with_context = false;
  bool catch_varargs = false;
  bool catch_kwargs = false;
  bool uses_caller = false;
  bool is_elif = false;  // an If made from `elif`
  bool is_data = false;  // template text (not a string literal)
  // Where Jinja's compile-time constant folding changes a result: a
  // constant slice in a constant `{{ }}` expression (folded through the
  // sandbox's getitem, so errors give undefined), and `c ** x` with a
  // negative constant c (written as `-1 ** x`, which Python reads as
  // -(1 ** x)).
  bool fold_quirk = false;
  // Names a frame opened by this node starts as undefined (idtracking.cc);
  // else_undefined is for a for loop's else frame.
  std::vector<std::string> frame_undefined, else_undefined;
  // A filter or test that did not exist at parse time inside a branch that
  // may never run: fails only when evaluated (Jinja 3 soft frames).
  bool unknown_callee = false;
  const void* callee = nullptr;  // resolved NativeFilter / NativeTest
};

}  // namespace tmpl

#endif  // KB_TMPL_AST_H_
