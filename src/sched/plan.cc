#include "sched/plan.h"

#include <algorithm>

namespace kb::sched {

using graph::Image;

Plan::Plan(std::map<std::string, double> durations, double default_duration)
    : durations_(std::move(durations)), default_duration_(default_duration) {}

void Plan::Add(Image* img) {
  nodes_[img].img = img;
  ++remaining_;
}

std::vector<Image*> Plan::Deps(const Image* img) const {
  std::vector<Image*> deps;
  if (img->parent && nodes_.count(img->parent)) deps.push_back(img->parent);
  for (Image* p : img->extra_parents)
    if (nodes_.count(p) && p != img->parent) deps.push_back(p);
  return deps;
}

std::vector<Image*> Plan::Dependents(const Image* img) const {
  // Children, plus images that build FROM this one in another stage.
  std::vector<Image*> out;
  for (Image* c : img->children)
    if (nodes_.count(c)) out.push_back(c);
  for (const auto& [key, node] : nodes_) {
    const auto& ep = node.img->extra_parents;
    if (std::find(ep.begin(), ep.end(), img) != ep.end() &&
        std::find(out.begin(), out.end(), node.img) == out.end())
      out.push_back(node.img);
  }
  return out;
}

double Plan::ComputeCritical(Node& n) {
  if (n.critical > 0) return n.critical;
  auto d = durations_.find(n.img->name);
  double own = d != durations_.end() ? d->second : default_duration_;
  double longest = 0;
  int subtree = 1;
  for (Image* c : Dependents(n.img)) {
    Node& cn = nodes_[c];
    longest = std::max(longest, ComputeCritical(cn));
    subtree += cn.subtree;
  }
  n.subtree = subtree;
  n.critical = own + longest;
  return n.critical;
}

void Plan::Prepare() {
  for (auto& [img, node] : nodes_) {
    node.waiting_on = static_cast<int>(Deps(img).size());
    ComputeCritical(node);
  }
  for (auto& [img, node] : nodes_)
    if (node.waiting_on == 0) ready_.push_back(node.img);
}

double Plan::CriticalPath(const Image* img) const {
  auto it = nodes_.find(img);
  return it == nodes_.end() ? 0 : it->second.critical;
}

Image* Plan::PopReady() {
  if (ready_.empty()) return nullptr;
  auto best = std::max_element(
      ready_.begin(), ready_.end(), [&](const Image* a, const Image* b) {
        const Node& na = nodes_.at(a);
        const Node& nb = nodes_.at(b);
        if (na.critical != nb.critical) return na.critical < nb.critical;
        if (na.subtree != nb.subtree) return na.subtree < nb.subtree;
        return a->name > b->name;
      });
  Image* img = *best;
  ready_.erase(best);
  return img;
}

std::vector<Image*> Plan::Finish(Image* img, bool ok) {
  std::vector<Image*> failed;
  Node& n = nodes_.at(img);
  if (n.finished) return failed;
  n.finished = true;
  --remaining_;
  if (ok) {
    for (Image* c : Dependents(img)) {
      Node& cn = nodes_.at(c);
      if (!cn.finished && --cn.waiting_on == 0) ready_.push_back(c);
    }
    return failed;
  }
  std::vector<Image*> todo = Dependents(img);
  while (!todo.empty()) {
    Image* c = todo.back();
    todo.pop_back();
    Node& cn = nodes_.at(c);
    if (cn.finished) continue;
    cn.finished = true;
    --remaining_;
    c->status = graph::ImageStatus::kParentError;
    c->reason = "parent image '" + img->name + "' failed";
    failed.push_back(c);
    for (Image* g : Dependents(c)) todo.push_back(g);
  }
  return failed;
}

}  // namespace kb::sched
