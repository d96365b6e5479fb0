#include "graph/outputs.h"

#include <regex>
#include <set>

#include "util/strings.h"

namespace kb::graph {

namespace {

bool Matched(const Image* i) { return i->status == ImageStatus::kMatched; }

void Indent(std::string& out, int level) { out.append(level * 2, ' '); }

// Writes the children list of `img` as Python's json.dump(indent=2) would:
// a leaf is a string, a parent is a one-key object.
void WriteChildren(const Image* img, int level, std::string& out) {
  std::vector<const Image*> kids;
  for (const Image* c : img->children)
    if (Matched(c)) kids.push_back(c);
  if (kids.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  for (size_t k = 0; k < kids.size(); ++k) {
    const Image* c = kids[k];
    Indent(out, level + 1);
    if (c->children.empty()) {
      out += util::PyJsonQuote(c->name);
    } else {
      out += "{\n";
      Indent(out, level + 2);
      out += util::PyJsonQuote(c->name) + ": ";
      WriteChildren(c, level + 2, out);
      out += "\n";
      Indent(out, level + 1);
      out += "}";
    }
    out += k + 1 < kids.size() ? ",\n" : "\n";
  }
  Indent(out, level);
  out += "]";
}

bool SubtreeMatched(const Image* img) {
  if (Matched(img)) return true;
  for (const Image* c : img->children)
    if (SubtreeMatched(c)) return true;
  return false;
}

std::string DotId(const std::string& s) {
  static const std::regex plain("^[a-zA-Z_][a-zA-Z0-9_]*$|^-?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)$");
  static const std::set<std::string>* keywords = new std::set<std::string>{
      "node", "edge", "graph", "digraph", "subgraph", "strict"};
  if (std::regex_match(s, plain) && !keywords->count(s)) return s;
  return "\"" + util::ReplaceAll(s, "\"", "\\\"") + "\"";
}

}  // namespace

std::string ListImages(const ImageGraph& g) {
  std::string out;
  int n = 0;
  for (const auto& img : g.images())
    if (Matched(img.get()))
      out += std::to_string(++n) + " : " + img->name + "\n";
  return out;
}

std::string ListDependencies(const ImageGraph& g) {
  std::vector<const Image*> roots;
  for (const auto& img : g.images())
    if (!img->parent && SubtreeMatched(img.get())) roots.push_back(img.get());
  if (roots.empty()) return "Nothing matched!\n";
  std::string out = "{\n";
  for (size_t r = 0; r < roots.size(); ++r) {
    Indent(out, 1);
    out += util::PyJsonQuote(roots[r]->name) + ": ";
    WriteChildren(roots[r], 1, out);
    out += r + 1 < roots.size() ? ",\n" : "\n";
  }
  out += "}";
  return out;
}

std::string DependencyDot(const ImageGraph& g) {
  std::string out = "// Container Images Dependency\ndigraph {\n\trankdir=LR\n";
  for (const auto& img : g.images()) {
    if (!Matched(img.get())) continue;
    out += "\t" + DotId(img->name) + "\n";
    if (img->parent)
      out += "\t" + DotId(img->parent->name) + " -> " + DotId(img->name) + "\n";
  }
  out += "}\n";
  return out;
}

}  // namespace kb::graph
