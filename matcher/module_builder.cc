#include "matcher/module_builder.h"

#include <deque>
#include <set>

namespace tritonpile::matcher {
namespace {

// Top-level modules an entry may import: the validation environment has these and nothing else.
const std::set<std::string> kImportable = {
    "torch", "triton", "numpy", "math", "typing", "functools", "itertools", "operator",
    "dataclasses", "enum", "collections", "os", "sys", "abc", "__future__", "contextlib", "warnings"};

Status check_importable(const AnalyzedFile& file, const extractor::ModuleItem& item) {
  std::string text = file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte);
  std::string module;
  if (text.rfind("from ", 0) == 0) {
    module = text.substr(5, text.find_first_of(" \t.", 5) - 5);
    if (text.size() > 5 && text[5] == '.') module = ".";
  } else if (text.rfind("import ", 0) == 0) {
    module = text.substr(7, text.find_first_of(" \t.,", 7) - 7);
  }
  if (kImportable.count(module)) return Status::ok();
  return Status::error(file.path + ":" + std::to_string(item.span.start_line) + ": needs '" + text +
                       "', which a fresh environment cannot import");
}

}  // namespace

StatusOr<std::string> build_module(const AnalyzedFile& file, const std::vector<std::string>& roots) {
  const auto& items = file.extraction.items;
  std::vector<bool> needed(items.size(), false);
  std::deque<std::string> wanted(roots.begin(), roots.end());
  std::set<std::string> seen;
  while (!wanted.empty()) {
    std::string name = wanted.front();
    wanted.pop_front();
    if (!seen.insert(name).second) continue;
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      if (needed[i] || item.kind == "other") continue;
      bool binds = false;
      for (const auto& b : item.binds) binds = binds || b == name;
      if (!binds) continue;
      needed[i] = true;
      for (const auto& used : item.uses) wanted.push_back(used);
    }
  }
  for (const auto& root : roots) {
    bool found = false;
    for (size_t i = 0; i < items.size(); ++i) {
      for (const auto& b : items[i].binds) found = found || (needed[i] && b == root);
    }
    if (!found) return Status::error(file.path + ": '" + root + "' is not a top-level definition");
  }
  std::string module;
  const extractor::ModuleItem* previous = nullptr;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!needed[i]) continue;
    const auto& item = items[i];
    if (item.kind == "import") {
      if (auto status = check_importable(file, item); !status) return status;
    }
    if (previous) module += (previous->kind == "import" && item.kind == "import") ? "" : "\n\n";
    module += file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte);
    module += "\n";
    previous = &item;
  }
  return module;
}

}  // namespace tritonpile::matcher
