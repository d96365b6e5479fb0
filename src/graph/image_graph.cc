#include "graph/image_graph.h"

#include <algorithm>
#include <map>
#include <set>

#include "graph/from_parser.h"
#include "graph/pyregex.h"

namespace kb::graph {

std::string CanonicalName(const NamingSettings& naming,
                          const std::string& name) {
  return naming.namespace_ + "/" + naming.image_prefix + name + ":" +
         naming.tag;
}

Image* ImageGraph::Find(const std::string& name) const {
  for (const auto& img : images_)
    if (img->name == name) return img.get();
  return nullptr;
}

std::string ImageGraph::Link(std::vector<std::unique_ptr<Image>> images,
                             const NamingSettings& naming) {
  images_ = std::move(images);
  std::map<std::string, Image*> by_canonical;
  for (auto& img : images_) {
    img->canonical_name = CanonicalName(naming, img->name);
    auto [it, fresh] = by_canonical.emplace(img->canonical_name, img.get());
    if (!fresh) {
      return "two image folders are both named '" + img->name + "': '" +
             it->second->path + "' and '" + img->path + "'";
    }
    FromInfo from = ParseFrom(img->dockerfile, naming.build_args);
    img->parent_name = from.parent;
    img->from_names = from.images;
  }
  for (auto& img : images_) {
    auto it = by_canonical.find(img->parent_name);
    if (it != by_canonical.end()) {
      img->parent = it->second;
    }
    for (const std::string& n : img->from_names) {
      auto f = by_canonical.find(n);
      if (f == by_canonical.end()) continue;
      if (!img->parent) {
        // The final stage builds on something outside this run, but an
        // earlier stage uses one of ours: that one must be built first.
        img->parent = f->second;
      } else if (f->second != img->parent) {
        img->extra_parents.push_back(f->second);
      }
    }
    if (img->parent) img->parent->children.push_back(img.get());
  }
  return "";
}

std::vector<std::string> ImageGraph::FindCycles() {
  std::vector<std::string> cycles;
  std::set<const Image*> done;
  for (auto& start : images_) {
    std::vector<Image*> path;
    std::set<const Image*> on_path;
    Image* cur = start.get();
    while (cur && !done.count(cur) && !on_path.count(cur)) {
      path.push_back(cur);
      on_path.insert(cur);
      cur = cur->parent;
    }
    if (cur && on_path.count(cur)) {
      // cur is where the loop closes; report it in FROM order.
      auto begin = std::find(path.begin(), path.end(), cur);
      std::vector<Image*> loop(begin, path.end());
      std::string text;
      for (Image* i : loop) text += i->name + " -> ";
      text += cur->name;
      for (Image* i : loop) {
        i->status = ImageStatus::kError;
        i->reason = "dependency cycle: " + text;
      }
      cycles.push_back(text);
    }
    for (Image* i : path) done.insert(i);
  }
  return cycles;
}

namespace {

// PARITY(kolla): an unbuildable table key applies when it is made only of
// the base distro and the base arch joined by '+' (filter_images' tag_re).
bool TagApplies(const std::string& key, const std::string& base,
                const std::string& arch) {
  size_t start = 0;
  while (true) {
    size_t plus = key.find('+', start);
    std::string part = key.substr(start, plus - start);
    if (part != base && part != arch) return false;
    if (plus == std::string::npos) return true;
    start = plus + 1;
  }
}

bool AnyAncestorUnbuildable(const Image* img) {
  for (const Image* a = img->parent; a; a = a->parent)
    if (a->status == ImageStatus::kUnbuildable) return true;
  return false;
}

}  // namespace

std::string ImageGraph::Filter(const FilterSettings& s,
                               std::vector<std::string>* warnings) {
  // Unbuildable images and everything built on them.
  std::set<std::string> unbuildable;
  if (!s.enable_unbuildable) {
    for (const auto& [key, names] : s.unbuildable)
      if (TagApplies(key, s.base, s.base_arch))
        unbuildable.insert(names.begin(), names.end());
  }
  for (auto& img : images_) {
    if (unbuildable.count(img->name)) {
      img->status = ImageStatus::kUnbuildable;
      img->reason = "unbuildable on " + s.base + "/" + s.base_arch;
    }
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto& img : images_) {
      if (img->status != ImageStatus::kUnbuildable &&
          img->status != ImageStatus::kError && AnyAncestorUnbuildable(img.get())) {
        img->status = ImageStatus::kUnbuildable;
        img->reason = "built on an unbuildable image";
        changed = true;
      }
    }
  }

  // PARITY(kolla): positional regexes win over profiles.
  std::vector<std::string> patterns = s.regexes;
  if (patterns.empty()) {
    patterns = s.profile_patterns;
  } else if (!s.profile_patterns.empty() && warnings) {
    warnings->push_back("profiles are ignored because regexes were given");
  }
  std::vector<std::unique_ptr<PyRegex>> compiled;
  for (const std::string& p : patterns) {
    std::string err;
    auto re = PyRegex::Compile(p, &err);
    if (!re) return err;
    compiled.push_back(std::move(re));
  }

  for (auto& img : images_) {
    if (img->status == ImageStatus::kUnbuildable ||
        img->status == ImageStatus::kError)
      continue;
    if (compiled.empty()) {
      img->status = ImageStatus::kMatched;
      continue;
    }
    bool hit = false;
    for (const auto& re : compiled) hit = hit || re->Search(img->name);
    if (!hit) {
      if (img->status != ImageStatus::kMatched) {
        img->status = ImageStatus::kUnmatched;
        img->reason = "not matched by any regex";
      }
      continue;
    }
    img->status = ImageStatus::kMatched;
    // Parents of a buildable image must be built too.
    std::vector<Image*> todo(img->extra_parents);
    for (Image* a = img->parent; a; a = a->parent) {
      todo.insert(todo.end(), a->extra_parents.begin(), a->extra_parents.end());
      if (a->status == ImageStatus::kError) break;
      a->status = ImageStatus::kMatched;
      a->reason.clear();
    }
    while (!todo.empty()) {
      Image* a = todo.back();
      todo.pop_back();
      if (a->status == ImageStatus::kMatched || a->status == ImageStatus::kError)
        continue;
      a->status = ImageStatus::kMatched;
      a->reason.clear();
      if (a->parent) todo.push_back(a->parent);
      todo.insert(todo.end(), a->extra_parents.begin(), a->extra_parents.end());
    }
  }

  for (auto& img : images_) {
    if (img->status != ImageStatus::kMatched) continue;
    if (s.skip_existing && s.exists_in_engine && s.exists_in_engine(*img)) {
      img->status = ImageStatus::kSkipped;
      img->reason = "already exists in the engine (--skip-existing)";
      continue;
    }
    if (!s.skip_parents || img->children.empty()) continue;
    // Upstream skips every matched image that has children, even one named
    // on the command line whose children nobody asked for (then nothing is
    // built). Skip a parent only when one of its children will be built.
    bool child_wanted = false;
    for (const Image* c : img->children)
      child_wanted = child_wanted || c->status == ImageStatus::kMatched ||
                     c->status == ImageStatus::kSkipped;
    if (child_wanted) {
      img->status = ImageStatus::kSkipped;
      img->reason = "parent image (--skip-parents)";
    } else if (warnings) {
      warnings->push_back(img->name +
                          ": not skipped by --skip-parents: none of its "
                          "children is being built");
    }
  }
  return "";
}

}  // namespace kb::graph
