#include "tmpl/parser.h"

#include <set>

#include "tmpl/bigint.h"
#include "tmpl/error.h"

namespace tmpl {
namespace {

std::string DescribeType(Tok t) {
  switch (t) {
    case Tok::kData: return "template data / text";
    case Tok::kVarBegin: return "begin of print statement";
    case Tok::kVarEnd: return "end of print statement";
    case Tok::kBlockBegin: return "begin of statement block";
    case Tok::kBlockEnd: return "end of statement block";
    case Tok::kName: return "name";
    case Tok::kString: return "string";
    case Tok::kInt: return "integer";
    case Tok::kFloat: return "float";
    case Tok::kOp: return "operator";
    case Tok::kEof: return "end of template";
  }
  return "token";
}

std::string Describe(const Token& t) {
  if (t.type == Tok::kName || t.type == Tok::kOp) return t.value;
  return DescribeType(t.type);
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const CalleeLookup& lookup)
      : toks_(std::move(tokens)), lookup_(lookup) {}

  ParsedTemplate Run();

 private:
  const Token& cur() const { return toks_[pos_]; }
  const Token& look() const {
    return toks_[pos_ + 1 < toks_.size() ? pos_ + 1 : pos_];
  }
  const Token& Next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool IsName(const Token& t, std::string_view v) const {
    return t.type == Tok::kName && t.value == v;
  }
  bool IsOp(const Token& t, std::string_view v) const {
    return t.type == Tok::kOp && t.value == v;
  }
  bool SkipName(std::string_view v) {
    if (!IsName(cur(), v)) return false;
    Next();
    return true;
  }
  bool SkipOp(std::string_view v) {
    if (!IsOp(cur(), v)) return false;
    Next();
    return true;
  }

  [[noreturn]] void Fail(const std::string& msg, const Token& at,
                         const char* cls = "TemplateSyntaxError") {
    TemplateException ex;
    ex.error.error_class = cls;
    ex.error.message = msg;
    ex.error.line = at.line;
    ex.error.column = at.col;
    ex.located = true;
    throw ex;
  }

  [[noreturn]] void FailExpected(const std::string& what) {
    if (cur().type == Tok::kEof) {
      Fail("unexpected end of template, expected '" + what + "'.", cur());
    }
    Fail("expected token '" + what + "', got '" + Describe(cur()) + "'",
         cur());
  }

  const Token& ExpectType(Tok t) {
    if (cur().type != t) FailExpected(DescribeType(t));
    return Next();
  }
  const Token& ExpectName() { return ExpectType(Tok::kName); }
  void ExpectName(std::string_view v) {
    if (!IsName(cur(), v)) FailExpected(std::string(v));
    Next();
  }
  void ExpectOp(std::string_view v) {
    if (!IsOp(cur(), v)) FailExpected(std::string(v));
    Next();
  }

  NodePtr Make(NodeKind k, const Token& t) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    n->line = t.line;
    n->col = t.col;
    return n;
  }

  // Statements.
  std::vector<NodePtr> Subparse(const std::vector<std::string>* end_tokens);
  std::vector<NodePtr> ParseStatements(std::vector<std::string> end_tokens,
                                       bool drop_needle);
  NodePtr ParseStatement();
  NodePtr ParseFor();
  NodePtr ParseIf();
  NodePtr ParseBlock();
  NodePtr ParseExtends();
  NodePtr ParsePrint();
  NodePtr ParseMacro();
  NodePtr ParseInclude();
  NodePtr ParseImport();
  NodePtr ParseFrom();
  NodePtr ParseSet();
  NodePtr ParseWith();
  NodePtr ParseAutoescape();
  NodePtr ParseCallBlock();
  NodePtr ParseFilterBlock();
  void ParseSignature(Node* node);
  void ParseImportContext(Node* node, bool dflt);
  [[noreturn]] void FailUnknownTag(const std::string* name, const Token& at);

  // Expressions.
  NodePtr ParseAssignTarget(bool with_tuple, bool name_only,
                            const std::vector<std::string>* extra_end,
                            bool with_namespace);
  NodePtr ParseTuple(bool simplified, bool with_condexpr,
                     const std::vector<std::string>* extra_end,
                     bool explicit_parens);
  bool IsTupleEnd(const std::vector<std::string>* extra_end);
  NodePtr ParseExpression(bool with_condexpr = true);
  NodePtr ParseCondExpr();
  NodePtr ParseOr();
  NodePtr ParseAnd();
  NodePtr ParseNot();
  NodePtr ParseCompare();
  NodePtr ParseMath1();
  NodePtr ParseConcat();
  NodePtr ParseMath2();
  NodePtr ParsePow();
  NodePtr ParseUnary(bool with_filter);
  NodePtr ParsePrimary();
  NodePtr ParsePostfix(NodePtr node);
  NodePtr ParseFilterExpr(NodePtr node);
  NodePtr ParseSubscript(NodePtr node);
  NodePtr ParseSubscribed();
  NodePtr ParseCall(NodePtr node);
  void ParseCallArgs(Node* node);
  NodePtr ParseFilter(NodePtr node, bool start_inline);
  NodePtr ParseTest(NodePtr node);

  // Post-parse pass: filters/tests, blocks, macro signatures.
  void Resolve(const NodePtr& n, bool soft);
  void ResolveList(const std::vector<NodePtr>& v, bool soft) {
    for (const auto& n : v) Resolve(n, soft);
  }

  // Bounds nesting so hostile input cannot exhaust the native stack.
  struct DepthGuard {
    DepthGuard(Parser* p, const Token& at) : p_(p) {
      if (++p_->depth_ > kMaxNesting) {
        p_->Fail("maximum nesting depth exceeded while parsing", at,
                 "RecursionError");
      }
    }
    ~DepthGuard() { --p_->depth_; }
    Parser* p_;
  };
  static constexpr int kMaxNesting = 100;

  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  const CalleeLookup& lookup_;
  std::vector<std::string> tag_stack_;
  std::vector<const std::vector<std::string>*> end_stack_;
  ParsedTemplate out_;
};

ParsedTemplate Parser::Run() {
  out_.body = Subparse(nullptr);
  if (cur().type != Tok::kEof) Fail("unexpected token", cur());
  ResolveList(out_.body, false);
  AnalyzeScopes(out_);
  return std::move(out_);
}

std::vector<NodePtr> Parser::Subparse(
    const std::vector<std::string>* end_tokens) {
  std::vector<NodePtr> body;
  NodePtr output;
  auto add = [&](NodePtr n, const Token& t) {
    if (!output) {
      output = Make(NodeKind::kOutput, t);
      body.push_back(output);
    }
    output->items.push_back(std::move(n));
  };
  if (end_tokens) end_stack_.push_back(end_tokens);
  struct Pop {
    Parser* p;
    bool on;
    ~Pop() {
      if (on) p->end_stack_.pop_back();
    }
  } pop{this, end_tokens != nullptr};

  while (cur().type != Tok::kEof) {
    const Token& t = cur();
    if (t.type == Tok::kData) {
      auto n = Make(NodeKind::kConst, t);
      n->value = Value::Str(t.value);
      n->is_data = true;
      add(n, t);
      Next();
    } else if (t.type == Tok::kVarBegin) {
      const Token& begin = Next();
      add(ParseTuple(false, true, nullptr, false), begin);
      ExpectType(Tok::kVarEnd);
    } else if (t.type == Tok::kBlockBegin) {
      output = nullptr;
      Next();
      if (end_tokens && cur().type == Tok::kName) {
        for (const auto& e : *end_tokens) {
          if (cur().value == e) return body;
        }
      }
      NodePtr st = ParseStatement();
      if (st) body.push_back(st);
      ExpectType(Tok::kBlockEnd);
    } else {
      Fail("internal parsing error [this is a bug]", t);
    }
  }
  return body;
}

std::vector<NodePtr> Parser::ParseStatements(
    std::vector<std::string> end_tokens, bool drop_needle) {
  SkipOp(":");
  ExpectType(Tok::kBlockEnd);
  auto body = Subparse(&end_tokens);
  if (cur().type == Tok::kEof) FailUnknownTag(nullptr, cur());
  if (drop_needle) Next();
  return body;
}

void Parser::FailUnknownTag(const std::string* name, const Token& at) {
  std::set<std::string> expected;
  for (const auto* e : end_stack_) expected.insert(e->begin(), e->end());
  std::string looking;
  if (!end_stack_.empty()) {
    for (const auto& e : *end_stack_.back()) {
      if (!looking.empty()) looking += " or ";
      looking += "'" + e + "'";
    }
  }
  std::string msg = name == nullptr
                        ? "Unexpected end of template."
                        : "Encountered unknown tag '" + *name + "'.";
  if (!looking.empty()) {
    if (name != nullptr && expected.count(*name)) {
      msg += " You probably made a nesting mistake. Jinja is expecting this "
             "tag, but currently looking for " +
             looking + ".";
    } else {
      msg += " Jinja was looking for the following tags: " + looking + ".";
    }
  }
  if (!tag_stack_.empty()) {
    msg += " The innermost block that needs to be closed is '" +
           tag_stack_.back() + "'.";
  }
  Fail(msg, at);
}

NodePtr Parser::ParseStatement() {
  const Token& t = cur();
  DepthGuard guard(this, t);
  if (t.type != Tok::kName) Fail("tag name expected", t);
  static const std::set<std::string> kTags = {
      "for",    "if",  "block", "extends",    "print", "macro",  "include",
      "from",   "import", "set", "with", "autoescape", "call", "filter"};
  std::string tag = t.value;
  if (!kTags.count(tag)) FailUnknownTag(&tag, t);
  tag_stack_.push_back(tag);
  struct Pop {
    Parser* p;
    ~Pop() { p->tag_stack_.pop_back(); }
  } pop{this};
  if (tag == "for") return ParseFor();
  if (tag == "if") return ParseIf();
  if (tag == "block") return ParseBlock();
  if (tag == "extends") return ParseExtends();
  if (tag == "print") return ParsePrint();
  if (tag == "macro") return ParseMacro();
  if (tag == "include") return ParseInclude();
  if (tag == "from") return ParseFrom();
  if (tag == "import") return ParseImport();
  if (tag == "set") return ParseSet();
  if (tag == "with") return ParseWith();
  if (tag == "autoescape") return ParseAutoescape();
  if (tag == "call") return ParseCallBlock();
  return ParseFilterBlock();
}

NodePtr Parser::ParseFor() {
  auto n = Make(NodeKind::kFor, Next());
  static const std::vector<std::string> kIn = {"in"};
  static const std::vector<std::string> kRec = {"recursive"};
  n->a = ParseAssignTarget(true, false, &kIn, false);
  ExpectName("in");
  n->b = ParseTuple(false, false, &kRec, false);
  if (SkipName("if")) n->c = ParseExpression();
  n->recursive = SkipName("recursive");
  n->body = ParseStatements({"endfor", "else"}, false);
  if (Next().value != "endfor") n->else_body = ParseStatements({"endfor"}, true);
  return n;
}

NodePtr Parser::ParseIf() {
  auto result = Make(NodeKind::kIf, Next());
  Node* node = result.get();
  while (true) {
    node->a = ParseTuple(false, false, nullptr, false);
    node->body = ParseStatements({"elif", "else", "endif"}, false);
    const Token& t = Next();
    if (t.value == "elif") {
      auto elif = Make(NodeKind::kIf, cur());
      elif->is_elif = true;
      node->else_body.push_back(elif);
      node = elif.get();
      continue;
    }
    if (t.value == "else") node->else_body = ParseStatements({"endif"}, true);
    break;
  }
  return result;
}

NodePtr Parser::ParseBlock() {
  auto n = Make(NodeKind::kBlock, Next());
  n->name = ExpectName().value;
  n->scoped = SkipName("scoped");
  n->required = SkipName("required");
  if (IsOp(cur(), "-")) {
    Fail("Block names in Jinja have to be valid Python identifiers and may "
         "not contain hyphens, use an underscore instead.",
         cur());
  }
  n->body = ParseStatements({"endblock"}, true);
  if (n->required) {
    for (const auto& b : n->body) {
      bool ok = b->kind == NodeKind::kOutput;
      if (ok) {
        for (const auto& item : b->items) {
          if (item->kind != NodeKind::kConst || !item->value.is_str()) {
            ok = false;
            break;
          }
          for (char c : item->value.AsStr()) {
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r' &&
                c != '\f' && c != '\v') {
              ok = false;
            }
          }
        }
      }
      if (!ok) {
        Fail("Required blocks can only contain comments or whitespace",
             toks_[pos_]);
      }
    }
  }
  if (IsName(cur(), n->name)) Next();
  if (out_.blocks.count(n->name)) {
    Fail("block '" + n->name + "' defined twice", toks_[pos_],
         "TemplateAssertionError");
  }
  out_.blocks[n->name] = n;
  return n;
}

NodePtr Parser::ParseExtends() {
  auto n = Make(NodeKind::kExtends, Next());
  n->a = ParseExpression();
  out_.has_extends = true;
  return n;
}

NodePtr Parser::ParsePrint() {
  auto n = Make(NodeKind::kOutput, Next());
  while (cur().type != Tok::kBlockEnd) {
    if (!n->items.empty()) ExpectOp(",");
    n->items.push_back(ParseExpression());
  }
  return n;
}

NodePtr Parser::ParseMacro() {
  auto n = Make(NodeKind::kMacro, Next());
  n->name = ParseAssignTarget(false, true, nullptr, false)->name;
  ParseSignature(n.get());
  n->body = ParseStatements({"endmacro"}, true);
  return n;
}

void Parser::ParseSignature(Node* node) {
  ExpectOp("(");
  bool have_default = false;
  while (!IsOp(cur(), ")")) {
    if (!node->arg_names.empty()) ExpectOp(",");
    auto arg = ParseAssignTarget(false, true, nullptr, false);
    if (SkipOp("=")) {
      node->defaults.push_back(ParseExpression());
      have_default = true;
    } else if (have_default) {
      Fail("non-default argument follows default argument", cur());
    } else {
      node->defaults.push_back(nullptr);
    }
    node->arg_names.push_back(arg->name);
  }
  ExpectOp(")");
}

void Parser::ParseImportContext(Node* node, bool dflt) {
  if ((IsName(cur(), "with") || IsName(cur(), "without")) &&
      IsName(look(), "context")) {
    node->with_context = Next().value == "with";
    Next();
  } else {
    node->with_context = dflt;
  }
}

NodePtr Parser::ParseInclude() {
  auto n = Make(NodeKind::kInclude, Next());
  n->a = ParseExpression();
  if (IsName(cur(), "ignore") && IsName(look(), "missing")) {
    n->ignore_missing = true;
    Next();
    Next();
  }
  ParseImportContext(n.get(), true);
  return n;
}

NodePtr Parser::ParseImport() {
  auto n = Make(NodeKind::kImport, Next());
  n->a = ParseExpression();
  ExpectName("as");
  n->name = ParseAssignTarget(false, true, nullptr, false)->name;
  ParseImportContext(n.get(), false);
  return n;
}

NodePtr Parser::ParseFrom() {
  auto n = Make(NodeKind::kFromImport, Next());
  n->a = ParseExpression();
  ExpectName("import");
  n->with_context = false;
  auto parse_context = [&]() {
    if ((cur().value == "with" || cur().value == "without") &&
        cur().type == Tok::kName && IsName(look(), "context")) {
      n->with_context = Next().value == "with";
      Next();
      return true;
    }
    return false;
  };
  while (true) {
    if (!n->names.empty()) ExpectOp(",");
    if (cur().type == Tok::kName) {
      if (parse_context()) break;
      const Token& tt = cur();
      auto target = ParseAssignTarget(false, true, nullptr, false);
      if (!target->name.empty() && target->name[0] == '_') {
        Fail("names starting with an underline can not be imported", tt,
             "TemplateAssertionError");
      }
      std::string alias = target->name;
      if (SkipName("as")) {
        alias = ParseAssignTarget(false, true, nullptr, false)->name;
      }
      n->names.emplace_back(target->name, alias);
      if (parse_context() || !IsOp(cur(), ",")) break;
    } else {
      ExpectName();
    }
  }
  return n;
}

NodePtr Parser::ParseSet() {
  const Token& t = Next();
  auto target = ParseAssignTarget(true, false, nullptr, true);
  if (SkipOp("=")) {
    auto n = Make(NodeKind::kAssign, t);
    n->a = target;
    n->b = ParseTuple(false, true, nullptr, false);
    return n;
  }
  auto n = Make(NodeKind::kAssignBlock, t);
  n->a = target;
  if (IsOp(cur(), "|")) n->c = ParseFilter(nullptr, false);
  n->body = ParseStatements({"endset"}, true);
  return n;
}

NodePtr Parser::ParseWith() {
  auto n = Make(NodeKind::kWith, Next());
  while (cur().type != Tok::kBlockEnd) {
    if (!n->items.empty()) ExpectOp(",");
    n->items.push_back(ParseAssignTarget(true, false, nullptr, false));
    ExpectOp("=");
    n->values.push_back(ParseExpression());
  }
  n->body = ParseStatements({"endwith"}, true);
  return n;
}

NodePtr Parser::ParseAutoescape() {
  auto n = Make(NodeKind::kAutoescape, Next());
  n->a = ParseExpression();
  n->body = ParseStatements({"endautoescape"}, true);
  return n;
}

NodePtr Parser::ParseCallBlock() {
  auto n = Make(NodeKind::kCallBlock, Next());
  if (IsOp(cur(), "(")) ParseSignature(n.get());
  const Token& at = cur();
  n->a = ParseExpression();
  if (n->a->kind != NodeKind::kCall) Fail("expected call", at);
  n->body = ParseStatements({"endcall"}, true);
  return n;
}

NodePtr Parser::ParseFilterBlock() {
  auto n = Make(NodeKind::kFilterBlock, Next());
  n->c = ParseFilter(nullptr, true);
  n->body = ParseStatements({"endfilter"}, true);
  return n;
}

// ---- expressions ----

static bool CanAssign(const Node& n) {
  if (n.kind == NodeKind::kName || n.kind == NodeKind::kNsRef) return true;
  if (n.kind == NodeKind::kTuple) {
    for (const auto& i : n.items) {
      if (!CanAssign(*i)) return false;
    }
    return true;
  }
  return false;
}

static std::string KindWord(NodeKind k) {
  switch (k) {
    case NodeKind::kConst: return "const";
    case NodeKind::kList: return "list";
    case NodeKind::kDict: return "dict";
    case NodeKind::kGetattr: return "getattr";
    case NodeKind::kGetitem: return "getitem";
    case NodeKind::kCall: return "call";
    default: return "expr";
  }
}

NodePtr Parser::ParseAssignTarget(bool with_tuple, bool name_only,
                                  const std::vector<std::string>* extra_end,
                                  bool with_namespace) {
  NodePtr target;
  if (with_namespace && IsOp(look(), ".")) {
    const Token& t = ExpectName();
    target = Make(NodeKind::kNsRef, t);
    target->name = t.value;
    Next();
    target->value = Value::Str(ExpectName().value);
  } else if (name_only) {
    const Token& t = ExpectName();
    target = Make(NodeKind::kName, t);
    target->name = t.value;
  } else if (with_tuple) {
    target = ParseTuple(true, true, extra_end, false);
  } else {
    target = ParsePrimary();
  }
  if (!CanAssign(*target)) {
    Fail("can't assign to '" + KindWord(target->kind) + "'", toks_[pos_]);
  }
  return target;
}

bool Parser::IsTupleEnd(const std::vector<std::string>* extra_end) {
  const Token& t = cur();
  if (t.type == Tok::kVarEnd || t.type == Tok::kBlockEnd ||
      t.type == Tok::kEof || IsOp(t, ")")) {
    return true;
  }
  // PARITY(jinja): Jinja 3.1 passes its extra end rules to test_any() as
  // one tuple, so they never match: `for x, in y` reads `in` as a target
  // name, and `for x in y, recursive` loops over the tuple (y, recursive).
  (void)extra_end;
  return false;
}

NodePtr Parser::ParseTuple(bool simplified, bool with_condexpr,
                           const std::vector<std::string>* extra_end,
                           bool explicit_parens) {
  const Token start = cur();
  std::vector<NodePtr> args;
  bool is_tuple = false;
  while (true) {
    if (!args.empty()) ExpectOp(",");
    if (IsTupleEnd(extra_end)) break;
    if (simplified) {
      args.push_back(ParsePrimary());
    } else {
      args.push_back(ParseExpression(with_condexpr));
    }
    if (IsOp(cur(), ",")) {
      is_tuple = true;
    } else {
      break;
    }
  }
  if (!is_tuple) {
    if (!args.empty()) return args[0];
    if (!explicit_parens) {
      Fail("Expected an expression, got '" + Describe(cur()) + "'", cur());
    }
  }
  auto n = Make(NodeKind::kTuple, start);
  n->items = std::move(args);
  return n;
}

NodePtr Parser::ParseExpression(bool with_condexpr) {
  return with_condexpr ? ParseCondExpr() : ParseOr();
}

NodePtr Parser::ParseCondExpr() {
  Token start = cur();
  NodePtr expr1 = ParseOr();
  while (SkipName("if")) {
    auto n = Make(NodeKind::kCondExpr, start);
    n->a = ParseOr();
    n->b = expr1;
    if (SkipName("else")) n->c = ParseCondExpr();
    expr1 = n;
    start = cur();
  }
  return expr1;
}

NodePtr Parser::ParseOr() {
  NodePtr left = ParseAnd();
  while (IsName(cur(), "or")) {
    auto n = Make(NodeKind::kOr, Next());
    n->a = left;
    n->b = ParseAnd();
    left = n;
  }
  return left;
}

NodePtr Parser::ParseAnd() {
  NodePtr left = ParseNot();
  while (IsName(cur(), "and")) {
    auto n = Make(NodeKind::kAnd, Next());
    n->a = left;
    n->b = ParseNot();
    left = n;
  }
  return left;
}

NodePtr Parser::ParseNot() {
  if (IsName(cur(), "not")) {
    auto n = Make(NodeKind::kNot, Next());
    n->a = ParseNot();
    return n;
  }
  return ParseCompare();
}

NodePtr Parser::ParseCompare() {
  const Token start = cur();
  NodePtr expr = ParseMath1();
  NodePtr n;
  while (true) {
    const Token& t = cur();
    std::string op;
    if (t.type == Tok::kOp && (t.value == "==" || t.value == "!=" ||
                               t.value == "<" || t.value == "<=" ||
                               t.value == ">" || t.value == ">=")) {
      op = t.value;
      Next();
    } else if (IsName(t, "in")) {
      op = "in";
      Next();
    } else if (IsName(t, "not") && IsName(look(), "in")) {
      op = "notin";
      Next();
      Next();
    } else {
      break;
    }
    if (!n) {
      n = Make(NodeKind::kCompare, start);
      n->a = expr;
    }
    n->ops.push_back(op);
    n->items.push_back(ParseMath1());
  }
  return n ? n : expr;
}

NodePtr Parser::ParseMath1() {
  NodePtr left = ParseConcat();
  while (IsOp(cur(), "+") || IsOp(cur(), "-")) {
    auto n = Make(NodeKind::kBinOp, cur());
    n->name = Next().value;
    n->a = left;
    n->b = ParseConcat();
    left = n;
  }
  return left;
}

NodePtr Parser::ParseConcat() {
  NodePtr first = ParseMath2();
  if (!IsOp(cur(), "~")) return first;
  auto n = Make(NodeKind::kBinOp, cur());
  n->name = "~";
  n->items.push_back(first);
  while (SkipOp("~")) n->items.push_back(ParseMath2());
  return n;
}

NodePtr Parser::ParseMath2() {
  NodePtr left = ParsePow();
  while (IsOp(cur(), "*") || IsOp(cur(), "/") || IsOp(cur(), "//") ||
         IsOp(cur(), "%")) {
    auto n = Make(NodeKind::kBinOp, cur());
    n->name = Next().value;
    n->a = left;
    n->b = ParsePow();
    left = n;
  }
  return left;
}

NodePtr Parser::ParsePow() {
  NodePtr left = ParseUnary(true);
  while (IsOp(cur(), "**")) {
    auto n = Make(NodeKind::kBinOp, cur());
    n->name = Next().value;
    n->a = left;
    n->b = ParseUnary(true);
    left = n;
  }
  return left;
}

NodePtr Parser::ParseUnary(bool with_filter) {
  DepthGuard guard(this, cur());
  NodePtr node;
  if (IsOp(cur(), "-") || IsOp(cur(), "+")) {
    bool neg = cur().value == "-";
    node = Make(neg ? NodeKind::kNeg : NodeKind::kPos, Next());
    node->a = ParseUnary(false);
  } else {
    node = ParsePrimary();
  }
  node = ParsePostfix(node);
  if (with_filter) node = ParseFilterExpr(node);
  return node;
}

// The lexer gives decimal digits or a 0x/0o/0b literal, '_' removed.
// PARITY(jinja): the lexer's int(text, 0), so a decimal literal longer than
// Python's 4300-digit limit is a ValueError.
static Value ParseIntLiteral(const std::string& digits, bool* ok) {
  std::optional<Value> v = ParseIntText(digits, 0);
  *ok = v.has_value();
  return v ? *v : Value::Int(0);
}

NodePtr Parser::ParsePrimary() {
  const Token& t = cur();
  NodePtr node;
  if (t.type == Tok::kName) {
    if (t.value == "true" || t.value == "True" || t.value == "false" ||
        t.value == "False") {
      node = Make(NodeKind::kConst, t);
      node->value = Value::Bool(t.value[0] == 't' || t.value[0] == 'T');
    } else if (t.value == "none" || t.value == "None") {
      node = Make(NodeKind::kConst, t);
    } else {
      node = Make(NodeKind::kName, t);
      node->name = t.value;
    }
    Next();
  } else if (t.type == Tok::kString) {
    node = Make(NodeKind::kConst, t);
    std::string s = Next().value;
    while (cur().type == Tok::kString) s += Next().value;
    node->value = Value::Str(std::move(s));
  } else if (t.type == Tok::kInt) {
    node = Make(NodeKind::kConst, t);
    bool ok;
    try {
      node->value = ParseIntLiteral(t.value, &ok);
    } catch (TemplateException& e) {
      Fail(e.error.message, t, "ValueError");  // too many digits
    }
    if (!ok) {
      Fail("invalid integer literal '" + t.value + "' [this is a bug]", t,
           "TemplateSyntaxError");
    }
    Next();
  } else if (t.type == Tok::kFloat) {
    node = Make(NodeKind::kConst, t);
    node->value = Value::Float(std::strtod(t.value.c_str(), nullptr));
    Next();
  } else if (IsOp(t, "(")) {
    Next();
    node = ParseTuple(false, true, nullptr, true);
    ExpectOp(")");
  } else if (IsOp(t, "[")) {
    node = Make(NodeKind::kList, Next());
    while (!IsOp(cur(), "]")) {
      if (!node->items.empty()) ExpectOp(",");
      if (IsOp(cur(), "]")) break;
      node->items.push_back(ParseExpression());
    }
    ExpectOp("]");
  } else if (IsOp(t, "{")) {
    node = Make(NodeKind::kDict, Next());
    while (!IsOp(cur(), "}")) {
      if (!node->items.empty()) ExpectOp(",");
      if (IsOp(cur(), "}")) break;
      node->items.push_back(ParseExpression());
      ExpectOp(":");
      node->items.push_back(ParseExpression());
    }
    ExpectOp("}");
  } else {
    Fail("unexpected '" + Describe(t) + "'", t);
  }
  return node;
}

NodePtr Parser::ParsePostfix(NodePtr node) {
  while (true) {
    if (IsOp(cur(), ".") || IsOp(cur(), "[")) {
      node = ParseSubscript(node);
    } else if (IsOp(cur(), "(")) {
      node = ParseCall(node);
    } else {
      return node;
    }
  }
}

NodePtr Parser::ParseFilterExpr(NodePtr node) {
  while (true) {
    if (IsOp(cur(), "|")) {
      node = ParseFilter(node, false);
    } else if (IsName(cur(), "is")) {
      node = ParseTest(node);
    } else if (IsOp(cur(), "(")) {
      node = ParseCall(node);
    } else {
      return node;
    }
  }
}

NodePtr Parser::ParseSubscript(NodePtr node) {
  const Token& t = Next();
  if (t.value == ".") {
    const Token& attr = Next();
    if (attr.type == Tok::kName) {
      auto n = Make(NodeKind::kGetattr, t);
      n->a = node;
      n->name = attr.value;
      return n;
    }
    if (attr.type != Tok::kInt) Fail("expected name or number", attr);
    auto n = Make(NodeKind::kGetitem, t);
    n->a = node;
    n->b = Make(NodeKind::kConst, attr);
    bool ok;
    n->b->value = ParseIntLiteral(attr.value, &ok);
    return n;
  }
  std::vector<NodePtr> args;
  while (!IsOp(cur(), "]")) {
    if (!args.empty()) ExpectOp(",");
    args.push_back(ParseSubscribed());
  }
  ExpectOp("]");
  auto n = Make(NodeKind::kGetitem, t);
  n->a = node;
  if (args.size() == 1) {
    n->b = args[0];
  } else {
    n->b = Make(NodeKind::kTuple, t);
    n->b->items = std::move(args);
  }
  return n;
}

NodePtr Parser::ParseSubscribed() {
  const Token start = cur();
  std::vector<NodePtr> args;
  if (IsOp(cur(), ":")) {
    Next();
    args.push_back(nullptr);
  } else {
    NodePtr node = ParseExpression();
    if (!IsOp(cur(), ":")) return node;
    Next();
    args.push_back(node);
  }
  if (IsOp(cur(), ":")) {
    args.push_back(nullptr);
  } else if (!IsOp(cur(), "]") && !IsOp(cur(), ",")) {
    args.push_back(ParseExpression());
  } else {
    args.push_back(nullptr);
  }
  if (IsOp(cur(), ":")) {
    Next();
    if (!IsOp(cur(), "]") && !IsOp(cur(), ",")) {
      args.push_back(ParseExpression());
    } else {
      args.push_back(nullptr);
    }
  } else {
    args.push_back(nullptr);
  }
  auto n = Make(NodeKind::kSlice, start);
  n->items = std::move(args);
  return n;
}

NodePtr Parser::ParseCall(NodePtr node) {
  auto n = Make(NodeKind::kCall, cur());
  n->a = node;
  ParseCallArgs(n.get());
  return n;
}

void Parser::ParseCallArgs(Node* node) {
  const Token open = cur();
  ExpectOp("(");
  bool require_comma = false;
  auto ensure = [&](bool ok) {
    if (!ok) Fail("invalid syntax for function call expression", open);
  };
  while (!IsOp(cur(), ")")) {
    if (require_comma) {
      ExpectOp(",");
      if (IsOp(cur(), ")")) break;
    }
    if (IsOp(cur(), "*")) {
      ensure(!node->dyn_args && !node->dyn_kwargs);
      Next();
      node->dyn_args = ParseExpression();
    } else if (IsOp(cur(), "**")) {
      ensure(!node->dyn_kwargs);
      Next();
      node->dyn_kwargs = ParseExpression();
    } else if (cur().type == Tok::kName && IsOp(look(), "=")) {
      ensure(!node->dyn_kwargs);
      std::string key = Next().value;
      Next();
      node->kwargs.emplace_back(key, ParseExpression());
    } else {
      ensure(!node->dyn_args && !node->dyn_kwargs && node->kwargs.empty());
      node->items.push_back(ParseExpression());
    }
    require_comma = true;
  }
  ExpectOp(")");
}

NodePtr Parser::ParseFilter(NodePtr node, bool start_inline) {
  while (IsOp(cur(), "|") || start_inline) {
    if (!start_inline) Next();
    const Token& t = ExpectName();
    auto n = Make(NodeKind::kFilter, t);
    n->name = t.value;
    while (IsOp(cur(), ".")) {
      Next();
      n->name += "." + ExpectName().value;
    }
    if (IsOp(cur(), "(")) ParseCallArgs(n.get());
    n->a = node;
    node = n;
    start_inline = false;
  }
  return node;
}

NodePtr Parser::ParseTest(NodePtr node) {
  const Token& t = Next();
  bool negated = SkipName("not");
  const Token& nt = ExpectName();
  auto n = Make(NodeKind::kTest, t);
  n->name = nt.value;
  while (IsOp(cur(), ".")) {
    Next();
    n->name += "." + ExpectName().value;
  }
  n->a = node;
  const Token& c = cur();
  if (IsOp(c, "(")) {
    ParseCallArgs(n.get());
  } else if ((c.type == Tok::kName || c.type == Tok::kString ||
              c.type == Tok::kInt || c.type == Tok::kFloat || IsOp(c, "(") ||
              IsOp(c, "[") || IsOp(c, "{")) &&
             !IsName(c, "else") && !IsName(c, "or") && !IsName(c, "and")) {
    if (IsName(c, "is")) Fail("You cannot chain multiple tests with is", c);
    NodePtr arg = ParsePrimary();
    n->items.push_back(ParsePostfix(arg));
  }
  if (!negated) return n;
  auto neg = Make(NodeKind::kNot, t);
  neg->a = n;
  return neg;
}

// Names a macro body mentions without defining them first (Jinja's
// find_undeclared): decides whether it takes caller, varargs and kwargs.
void FindUndeclared(const NodePtr& n, std::set<std::string>& names,
                    std::set<std::string>& found, bool store_ctx) {
  if (!n || names.empty()) return;
  if (n->kind == NodeKind::kBlock) return;
  if (n->kind == NodeKind::kName) {
    if (!store_ctx) {
      if (names.count(n->name)) found.insert(n->name);
    } else {
      names.erase(n->name);
    }
    return;
  }
  auto walk = [&](const NodePtr& c, bool store) {
    FindUndeclared(c, names, found, store);
  };
  bool targets = n->kind == NodeKind::kFor || n->kind == NodeKind::kAssign ||
                 n->kind == NodeKind::kAssignBlock;
  walk(n->a, targets || store_ctx);
  walk(n->b, false);
  walk(n->c, false);
  for (const auto& i : n->items) walk(i, n->kind == NodeKind::kWith);
  for (const auto& [k, v] : n->kwargs) walk(v, false);
  walk(n->dyn_args, false);
  walk(n->dyn_kwargs, false);
  for (const auto& v : n->values) walk(v, false);
  for (const auto& d : n->defaults) walk(d, false);
  if (n->kind == NodeKind::kMacro || n->kind == NodeKind::kCallBlock) {
    for (const auto& a : n->arg_names) names.erase(a);
  }
  for (const auto& b : n->body) walk(b, false);
  for (const auto& b : n->else_body) walk(b, false);
}

// Whether Jinja's compiler computes `n` while compiling (the nodes'
// as_const): literals and the operators, subscripts, filters and tests on
// them. Approximations: both branches of `a if b else c` must be
// constant, and no context filter (map, select, ...) is.
bool IsConstExpr(const Node& n) {
  auto all = [](const std::vector<NodePtr>& v) {
    for (const auto& i : v) {
      if (i && !IsConstExpr(*i)) return false;
    }
    return true;
  };
  switch (n.kind) {
    case NodeKind::kConst:
      return true;
    case NodeKind::kList:
    case NodeKind::kTuple:
    case NodeKind::kDict:
    case NodeKind::kSlice:
      return all(n.items);
    case NodeKind::kNot:
    case NodeKind::kNeg:
    case NodeKind::kPos:
      return IsConstExpr(*n.a);
    case NodeKind::kBinOp:
      if (n.name == "~") return all(n.items);
      [[fallthrough]];
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kGetitem:
      return IsConstExpr(*n.a) && IsConstExpr(*n.b);
    case NodeKind::kCompare:
      return IsConstExpr(*n.a) && all(n.items);
    case NodeKind::kCondExpr:
      return n.c && IsConstExpr(*n.a) && IsConstExpr(*n.b) &&
             IsConstExpr(*n.c);
    case NodeKind::kFilter:
    case NodeKind::kTest: {
      static const std::set<std::string> kContextFilters = {
          "map", "select", "reject", "selectattr", "rejectattr", "random"};
      if (!n.a || n.dyn_args || n.dyn_kwargs) return false;
      if (n.kind == NodeKind::kFilter && kContextFilters.count(n.name)) {
        return false;
      }
      for (const auto& [k, v] : n.kwargs) {
        if (!IsConstExpr(*v)) return false;
      }
      return IsConstExpr(*n.a) && all(n.items);
    }
    default:
      return false;
  }
}

// Marks the slices of a constant output expression (see fold_quirk).
void MarkFoldedSlices(Node& n) {
  if (n.kind == NodeKind::kGetitem && n.b->kind == NodeKind::kSlice) {
    n.fold_quirk = true;
  }
  for (const NodePtr* c : {&n.a, &n.b, &n.c}) {
    if (*c) MarkFoldedSlices(**c);
  }
  for (const auto& i : n.items) {
    if (i) MarkFoldedSlices(*i);
  }
  for (const auto& [k, v] : n.kwargs) MarkFoldedSlices(*v);
}

void Parser::Resolve(const NodePtr& n, bool soft) {
  if (!n) return;
  switch (n->kind) {
    case NodeKind::kFilter:
    case NodeKind::kTest: {
      bool is_test = n->kind == NodeKind::kTest;
      n->callee = lookup_(is_test, n->name);
      if (!n->callee) {
        if (!soft) {
          Token at;
          at.line = n->line;
          at.col = n->col;
          Fail(std::string(is_test ? "No test named '" : "No filter named '") +
                   n->name + "'.",
               at, "TemplateAssertionError");
        }
        n->unknown_callee = true;
      }
      break;
    }
    case NodeKind::kBinOp:
      if (n->name == "**" && IsConstExpr(*n->a) && !IsConstExpr(*n->b)) {
        n->fold_quirk = true;
      }
      break;
    case NodeKind::kOutput:
      for (const auto& i : n->items) {
        if (!i->is_data && IsConstExpr(*i)) MarkFoldedSlices(*i);
      }
      break;
    case NodeKind::kMacro:
    case NodeKind::kCallBlock: {
      std::set<std::string> names = {"caller", "kwargs", "varargs"};
      std::set<std::string> found;
      for (const auto& b : n->body) FindUndeclared(b, names, found, false);
      n->uses_caller = found.count("caller");
      for (size_t i = 0; i < n->arg_names.size() && n->uses_caller; ++i) {
        if (n->arg_names[i] != "caller" || n->defaults[i]) continue;
        // An explicit `caller` the body uses needs a default (Jinja's
        // compiler refuses the old ambiguous form).
        Token at;
        at.line = n->line;
        at.col = n->col;
        Fail("When defining macros or call blocks the special \"caller\" "
             "argument must be omitted or be given a default.",
             at, "TemplateAssertionError");
      }
      n->catch_kwargs = found.count("kwargs");
      n->catch_varargs = found.count("varargs");
      break;
    }
    default:
      break;
  }
  // Jinja 3 defers unknown filters/tests inside if branches and the
  // branches of conditional expressions ("soft" frames), and nowhere else.
  bool branch_soft = false;
  bool nested_soft = false;
  switch (n->kind) {
    case NodeKind::kIf:
      Resolve(n->a, soft);
      ResolveList(n->body, true);
      ResolveList(n->else_body, true);
      return;
    case NodeKind::kCondExpr:
      Resolve(n->a, soft);
      Resolve(n->b, true);
      Resolve(n->c, true);
      return;
    case NodeKind::kOutput:
    case NodeKind::kFilter:
    case NodeKind::kTest:
    case NodeKind::kConst:
    case NodeKind::kName:
    case NodeKind::kList:
    case NodeKind::kTuple:
    case NodeKind::kDict:
    case NodeKind::kGetattr:
    case NodeKind::kGetitem:
    case NodeKind::kSlice:
    case NodeKind::kCall:
    case NodeKind::kNot:
    case NodeKind::kNeg:
    case NodeKind::kPos:
    case NodeKind::kBinOp:
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kCompare:
    case NodeKind::kAssign:
    case NodeKind::kExtends:
    case NodeKind::kInclude:
    case NodeKind::kImport:
    case NodeKind::kFromImport:
      nested_soft = soft;
      break;
    default:
      nested_soft = false;  // new frames (for, macro, block, ...) are hard
  }
  (void)branch_soft;
  bool expr_soft = n->kind == NodeKind::kFor ? soft : nested_soft;
  Resolve(n->a, expr_soft);
  Resolve(n->b, expr_soft);
  Resolve(n->c, nested_soft);
  ResolveList(n->items, nested_soft);
  for (const auto& [k, v] : n->kwargs) Resolve(v, nested_soft);
  Resolve(n->dyn_args, nested_soft);
  Resolve(n->dyn_kwargs, nested_soft);
  ResolveList(n->values, nested_soft);
  for (const auto& d : n->defaults) Resolve(d, false);
  ResolveList(n->body, nested_soft);
  ResolveList(n->else_body, nested_soft);
}

}  // namespace

ParsedTemplate Parse(std::vector<Token> tokens, const CalleeLookup& lookup) {
  return Parser(std::move(tokens), lookup).Run();
}

}  // namespace tmpl
