#include "matcher/module_index.h"

#include <set>

#include "matcher/module_builder.h"

namespace tritonpile::matcher {
namespace {

// "src/pkg/ops/__init__.py" -> "src.pkg.ops"; "src/pkg/ops.py" -> "src.pkg.ops".
std::string dotted_module(std::string path) {
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0) path.resize(path.size() - 3);
  const std::string init = "/__init__";
  if (path.size() > init.size() && path.compare(path.size() - init.size(), init.size(), init) == 0) {
    path.resize(path.size() - init.size());
  }
  for (char& c : path) c = c == '/' ? '.' : c;
  return path;
}

}  // namespace

ModuleIndex::ModuleIndex(const std::vector<AnalyzedFile>& files) {
  std::set<std::string> packages;  // directories with an __init__.py
  for (const auto& file : files) {
    const std::string init = "__init__.py";
    if (file.path == init) packages.insert("");
    if (file.path.size() > init.size() && file.path.compare(file.path.size() - init.size() - 1, std::string::npos,
                                                            "/" + init) == 0) {
      packages.insert(file.path.substr(0, file.path.size() - init.size() - 1));
    }
  }
  for (const auto& file : files) {
    by_path_[file.path] = &file;
    if (file.path.size() < 3 || file.path.compare(file.path.size() - 3, 3, ".py") != 0) continue;  // data
    std::string module = dotted_module(file.path);
    // Every dotted suffix names the module under some root (src/, python/, the repo's own, a
    // test directory pytest puts on sys.path), but a root is never inside a package:
    // aiter/ops/triton/__init__.py is aiter.ops.triton, never a module called triton.
    for (size_t dot = 0; dot != std::string::npos; dot = module.find('.', dot + 1)) {
      std::string suffix = dot == 0 ? module : module.substr(dot + 1);
      std::string root = dot == 0 ? "" : file.path.substr(0, dot);
      if (dot != 0 && packages.count(root)) continue;
      auto it = by_suffix_.find(suffix);
      if (it == by_suffix_.end() || it->second->path.size() > file.path.size()) by_suffix_[suffix] = &file;
      if (dot == 0 && module.find('.') == std::string::npos) break;
    }
  }
}

const AnalyzedFile* ModuleIndex::resolve(const AnalyzedFile& from, const std::string& module) const {
  if (module.empty()) return nullptr;
  if (module[0] != '.') {
    // torch, triton, numpy and the standard library come from the environment, whatever
    // directories of the same name a repository has.
    if (importable_module(module)) return nullptr;
    auto it = by_suffix_.find(module);
    return it == by_suffix_.end() ? nullptr : it->second;
  }
  auto parent = [](const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
  };
  size_t dots = module.find_first_not_of('.');
  if (dots == std::string::npos) dots = module.size();
  std::string base = parent(from.path);  // "from . import" is the importing file's package
  for (size_t up = 1; up < dots; ++up) base = parent(base);
  std::string rest = module.substr(dots);
  for (char& c : rest) c = c == '.' ? '/' : c;
  if (!rest.empty()) base = base.empty() ? rest : base + "/" + rest;
  for (const std::string& candidate : {base + ".py", base.empty() ? "__init__.py" : base + "/__init__.py"}) {
    auto it = by_path_.find(candidate);
    if (it != by_path_.end()) return it->second;
  }
  return nullptr;
}

const AnalyzedFile* ModuleIndex::data_file(const AnalyzedFile& from, const std::string& package,
                                           const std::string& name) const {
  const AnalyzedFile* init = resolve(from, package);
  const std::string suffix = "/__init__.py";
  if (!init || init->path.size() <= suffix.size() ||
      init->path.compare(init->path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return nullptr;
  }
  auto it = by_path_.find(init->path.substr(0, init->path.size() - suffix.size() + 1) + name);
  return it == by_path_.end() ? nullptr : it->second;
}

}  // namespace tritonpile::matcher
