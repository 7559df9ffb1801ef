#include "matcher/module_builder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "extractor/file_extractor.h"
#include "matcher/flag_gems_tune_configs.h"
#include "matcher/identifier_renamer.h"
#include "matcher/lookup_tables.h"
#include "matcher/substitutes.h"

namespace tritonpile::matcher {

namespace data {
extern const std::string_view kStdlibModules;
extern const std::string_view kPythonBuiltins;
}

namespace {

// The lines of an embedded list, less comments.
std::set<std::string> listed(std::string_view text) {
  std::set<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line[0] != '#') out.emplace(line);
    start = end + 1;
  }
  return out;
}

// torch, triton, numpy, pytest and the standard library: what every validation environment has.
const std::set<std::string>& importable() {
  static const std::set<std::string> modules = [] {
    std::set<std::string> out = listed(data::kStdlibModules);
    out.insert({"torch", "triton", "numpy", "pytest", "typing_extensions"});
    return out;
  }();
  return modules;
}

// `if __name__ == "__main__":` runs only as a script: what it binds a module never has.
bool main_only(const AnalyzedFile& file, const extractor::ModuleItem& item) {
  return item.kind == "compound" && file.source.compare(item.span.start_byte, 12, "if __name__ ") == 0;
}

bool binds(const extractor::ModuleItem& item, const std::string& name) {
  return std::find(item.binds.begin(), item.binds.end(), name) != item.binds.end();
}

}  // namespace

bool binds_at_top_level(const AnalyzedFile& file, const std::string& name) {
  for (const auto& item : file.extraction.items) {
    if (item.kind != "other" && binds(item, name) && !main_only(file, item)) return true;
  }
  return false;
}

bool python_builtin(const std::string& name) {
  static const std::set<std::string> names = listed(data::kPythonBuiltins);
  return names.count(name) > 0;
}

namespace {

// What a file's renamed definitions are suffixed with: its module's last name (chunk for
// fla/ops/gla/chunk.py, gla for fla/ops/gla/__init__.py), made an identifier.
std::string module_stem(const std::string& path) {
  std::string stem = path.substr(0, path.rfind('.'));
  const std::string init = "/__init__";
  if (stem.size() > init.size() && stem.compare(stem.size() - init.size(), init.size(), init) == 0) {
    stem.resize(stem.size() - init.size());
  }
  stem = stem.substr(stem.rfind('/') + 1);
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';  // 03-matmul.py: 03_matmul
  }
  return stem;
}

struct Placed {
  const AnalyzedFile* file;
  size_t item;
  bool operator<(const Placed& other) const {
    return file != other.file ? std::less<const AnalyzedFile*>()(file, other.file) : item < other.item;
  }
};

class ClosureBuilder {
 public:
  explicit ClosureBuilder(const ModuleIndex& index) : index_(index) {}

  // Keeps a root's own name: a helper of the same name elsewhere is the one renamed.
  void reserve(const AnalyzedFile& file, const std::string& name) {
    for (const auto& item : file.extraction.items) {
      if (item.kind != "other" && item.kind != "import" && binds(item, name) && !main_only(file, item)) {
        definitions_.emplace(name, file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte));
        return;
      }
    }
  }

  // must_exist: the name was imported from this file, so the file has to define it.
  Status need(const AnalyzedFile& file, const std::string& name, int depth = 0, bool must_exist = false) {
    if (depth > 64) return Status::error(file.path + ": import chain too deep resolving '" + name + "'");
    const Visit visit{&file, name};
    if (!visited_.insert(visit).second) {
      depend_on(resolved_[visit]);
      return Status::ok();
    }
    const auto& items = file.extraction.items;
    bool bound = binds_at_top_level(file, name);
    if (!bound) {
      if (auto status = need_through_star_imports(file, name, depth, &bound); !status) return status;
    }
    if (must_exist && !bound) {
      return Status::error(file.path + ": '" + name + "' is imported from here but not defined at the top level");
    }
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      if (item.kind == "other" || !binds(item, name) || main_only(file, item)) continue;
      if (item.kind == "import") {
        if (auto status = need_import(file, item, name, depth); !status) return status;
        continue;
      }
      const Placed placed{&file, i};
      resolved_[visit].insert(placed);
      depend_on({placed});
      if (!placed_.insert(placed).second) continue;
      placing_.push_back(placed);
      for (const auto& used : item.uses) {
        if (used == name && item.kind != "assignment") continue;
        if (auto status = need(file, used, depth); !status) return status;
        if (auto status = need_attributes(file, item, used, depth); !status) return status;
        if (auto status = check_stand_in_attributes(file, item, used, depth); !status) return status;
      }
      placing_.pop_back();
      if (item.kind == "compound") {
        for (const auto& binding : item.imports) {
          if (auto status = check_importable(file, item, binding.module); !status) return status;
        }
      }
      if (auto status = claim(file, item, name); !status) return status;
      order_.push_back(placed);
    }
    return Status::ok();
  }

  std::string text() const {
    std::vector<Placed> order = ordered();
    std::string module;
    // A file written under postponed annotations may annotate with names defined after it
    // (a class naming itself); the inlined copy needs the same rule, and it must come first.
    for (const auto& placed : order) {
      if (postpones_annotations(*placed.file)) {
        module += "from __future__ import annotations\n";
        break;
      }
    }
    std::set<std::string> seen_imports;
    for (const auto& line : import_lines_) {
      if (seen_imports.insert(line).second) module += line + "\n";
    }
    // Stand-ins come before every item: a module-level version check runs at import.
    std::set<std::string> seen_substitutes;
    for (const auto& substitute : substitutes_) {
      if (seen_substitutes.insert(substitute.definition).second) module += "\n\n" + substitute.definition;
    }
    for (const auto& substitute : substitutes_) {
      if (seen_substitutes.insert(substitute.binding).second) module += "\n" + substitute.binding + "\n";
    }
    std::map<const AnalyzedFile*, std::map<std::string, std::string>> renames;  // per file
    for (const auto& [visit, name] : names_) renames[visit.first][visit.second] = name;
    for (const auto& [file, item] : order) {
      const auto& span = file->extraction.items[item].span;
      if (!module.empty()) module += "\n\n";
      std::string text = file->source.substr(span.start_byte, span.end_byte - span.start_byte);
      auto found = renames.find(file);
      module += (found == renames.end() ? text : rename_identifiers(text, found->second)) + "\n";
    }
    return module;
  }

 private:
  // The placed items in an order Python can run them in. Within one file, the file's own
  // order: Python ran it top-down there, while the dependency walk can see false edges (a
  // class body's own assignments read as uses). Across files, what an item reads comes
  // before it. Ties keep the walk's order.
  std::vector<Placed> ordered() const {
    size_t n = order_.size();
    std::vector<std::vector<size_t>> after(n);
    std::vector<int> blockers(n, 0);
    auto edge = [&](size_t before, size_t later) {
      after[before].push_back(later);
      ++blockers[later];
    };
    std::map<const AnalyzedFile*, std::vector<size_t>> by_file;
    for (size_t i = 0; i < n; ++i) by_file[order_[i].file].push_back(i);
    for (auto& [file, positions] : by_file) {
      std::sort(positions.begin(), positions.end(),
                [&](size_t a, size_t b) { return order_[a].item < order_[b].item; });
      for (size_t k = 1; k < positions.size(); ++k) edge(positions[k - 1], positions[k]);
    }
    std::map<Placed, size_t> position;
    for (size_t i = 0; i < n; ++i) position[order_[i]] = i;
    for (const auto& [user, reads] : depends_) {
      for (const auto& read : reads) {
        if (read.file != user.file && position.count(read) && position.count(user)) edge(position[read], position[user]);
      }
    }
    std::set<size_t> ready;
    for (size_t i = 0; i < n; ++i) {
      if (blockers[i] == 0) ready.insert(i);
    }
    std::vector<Placed> out;
    while (!ready.empty()) {
      size_t next = *ready.begin();
      ready.erase(ready.begin());
      out.push_back(order_[next]);
      for (size_t later : after[next]) {
        if (--blockers[later] == 0) ready.insert(later);
      }
    }
    if (out.size() != n) return order_;  // a cycle across files: the walk's order is the best guess
    return out;
  }

  static bool postpones_annotations(const AnalyzedFile& file) {
    // tree-sitter parses a future import as its own statement, which binds nothing: read its text.
    for (const auto& item : file.extraction.items) {
      std::string_view text(file.source.data() + item.span.start_byte, item.span.end_byte - item.span.start_byte);
      if (text.rfind("from __future__ import", 0) == 0 && text.find("annotations") != std::string_view::npos) {
        return true;
      }
    }
    return false;
  }

  Status need_import(const AnalyzedFile& file, const extractor::ModuleItem& item, const std::string& name, int depth) {
    for (const auto& binding : item.imports) {
      if (binding.local != name) continue;
      // `from flag_gems.runtime.backend import x` and `from flag_gems.runtime import backend`.
      const std::string imported = binding.module + (binding.member.empty() ? "" : "." + binding.member);
      if (auto why = refused_repository_module(imported)) {
        return Status::error(file.path + ":" + std::to_string(item.span.start_line) + ": imports '" + imported + "', " +
                             *why);
      }
      if (auto substitute = repository_substitute_for(binding.module, binding.member, binding.local)) {
        if (!substitute->attributes.empty()) stand_in_objects_[{&file, name}] = *substitute;
        substitutes_.push_back(std::move(*substitute));
        return Status::ok();
      }
      if (const AnalyzedFile* target = index_.resolve(file, binding.module)) {
        // A relative import reaches it by path only.
        const AnalyzedFile* submodule = binding.member.empty() ? target : module_object(file, binding, target);
        for (const AnalyzedFile* f : {target, submodule}) {
          if (!f) continue;
          if (auto why = refused_repository_path(f->path)) {
            return Status::error(file.path + ":" + std::to_string(item.span.start_line) + ": imports " + f->path +
                                 ", " + *why);
          }
        }
        // `import pkg.mod as mod`, `from pkg import mod`: a module object, whose attributes
        // each statement that reads it needs (need_attributes).
        if (const AnalyzedFile* object = module_object(file, binding, target)) {
          module_objects_[{&file, name}] = {object, item.span.start_line};
          return Status::ok();
        }
        if (binding.member.empty() || target == &file) {
          return Status::error(file.path + ":" + std::to_string(item.span.start_line) + ": imports the module '" +
                               binding.module + (binding.member.empty() ? "" : "." + binding.member) +
                               "', which is not among the files crawled, as a whole");
        }
        if (auto status = need(*target, binding.member, depth + 1, /*must_exist=*/true); !status) return status;
        std::set<Placed> reached = resolved_[{target, binding.member}];
        resolved_[{&file, name}].insert(reached.begin(), reached.end());
        // A module object re-exported (`from pkg import runtime` where pkg/__init__.py has
        // `from . import runtime`) is one here too.
        auto object = module_objects_.find({target, binding.member});
        if (object != module_objects_.end()) module_objects_[{&file, name}] = {object->second.first, item.span.start_line};
        auto stand_in = stand_in_objects_.find({target, binding.member});
        if (stand_in != stand_in_objects_.end()) stand_in_objects_[{&file, name}] = stand_in->second;
        // The importing file reads the definition by the name it has in the module.
        auto renamed = names_.find({target, binding.member});
        std::string defined = renamed == names_.end() ? binding.member : renamed->second;
        if (defined != binding.local) names_[{&file, binding.local}] = defined;
        return Status::ok();
      }
      if (auto substitute = substitute_for(binding.module, binding.member, binding.local)) {
        substitutes_.push_back(std::move(*substitute));
        return Status::ok();
      }
      if (auto status = check_importable(file, item, binding.module); !status) return status;
      import_lines_.push_back(
          binding.member.empty()
              ? "import " + binding.module + (binding.local != binding.module ? " as " + binding.local : "")
              : "from " + binding.module + " import " + binding.member +
                    (binding.local != binding.member ? " as " + binding.local : ""));
      return Status::ok();
    }
    return Status::ok();
  }

  // `from .softmax import *` in a package's __init__.py: a name the file does not bind may
  // come from a module it star-imports. *found says whether one defined it.
  Status need_through_star_imports(const AnalyzedFile& file, const std::string& name, int depth, bool* found) {
    for (const auto& item : file.extraction.items) {
      for (const auto& binding : item.imports) {
        if (binding.member != "*") continue;
        const AnalyzedFile* module = index_.resolve(file, binding.module);
        if (!module || module == &file || !binds_at_top_level(*module, name)) continue;
        if (auto status = need(*module, name, depth + 1, /*must_exist=*/true); !status) return status;
        const Visit visit{&file, name};
        std::set<Placed> reached = resolved_[{module, name}];
        resolved_[visit].insert(reached.begin(), reached.end());
        auto renamed = names_.find({module, name});
        if (renamed != names_.end()) names_[visit] = renamed->second;
        auto object = module_objects_.find({module, name});
        if (object != module_objects_.end()) module_objects_[visit] = object->second;
        auto stand_in = stand_in_objects_.find({module, name});
        if (stand_in != stand_in_objects_.end()) stand_in_objects_[visit] = stand_in->second;
        *found = true;
        return Status::ok();
      }
    }
    return Status::ok();
  }

  // The repository module a binding imports as an object, if it does: `import pkg.mod as m`,
  // or `from pkg import mod` where mod is a submodule rather than a name pkg defines.
  const AnalyzedFile* module_object(const AnalyzedFile& file, const extractor::ImportBinding& binding,
                                    const AnalyzedFile* target) const {
    if (binding.member.empty()) return target;
    if (target != &file && binds_at_top_level(*target, binding.member)) return nullptr;
    const std::string& module = binding.module;
    std::string submodule = module.back() == '.' ? module + binding.member : module + "." + binding.member;
    return index_.resolve(file, submodule);
  }

  // A statement reading a module object's attributes (operation.Softmax.apply) needs each of
  // them from the module, read by its name in the closure. One that uses the object
  // otherwise (passes it along) cannot be inlined.
  Status need_attributes(const AnalyzedFile& file, const extractor::ModuleItem& item, const std::string& used,
                         int depth) {
    auto object = module_objects_.find({&file, used});
    if (object == module_objects_.end()) return Status::ok();
    const auto& [module, line] = object->second;
    bool bare = false;
    auto attributes =
        attributes_read(file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte), used, &bare);
    if (bare) {
      return Status::error(file.path + ":" + std::to_string(line) + ": imports the module '" + used +
                           "' of the repository as a whole, and uses it so");
    }
    for (const auto& attribute : attributes) {
      if (auto status = need(*module, attribute, depth + 1, /*must_exist=*/true); !status) return status;
      if (module_objects_.count({module, attribute})) {  // language.math.LeakyReLU: a module's module
        return Status::error(file.path + ":" + std::to_string(line) + ": reads the module '" + used + "." + attribute +
                             "' of the repository as a whole");
      }
      auto renamed = names_.find({module, attribute});
      names_[{&file, used + "." + attribute}] = renamed == names_.end() ? attribute : renamed->second;
    }
    return Status::ok();
  }

  // A statement reading a stand-in module object (runtime.get_tuned_config) may read only what
  // the stand-in has. What it looks up in the repository's tables by name
  // (runtime.get_heuristic_config("argmax")) comes along as the entries' own assignments.
  Status check_stand_in_attributes(const AnalyzedFile& file, const extractor::ModuleItem& item,
                                   const std::string& used, int depth) {
    auto object = stand_in_objects_.find({&file, used});
    if (object == stand_in_objects_.end()) return Status::ok();
    const Substitute& stand_in = object->second;
    const std::string where = file.path + ":" + std::to_string(item.span.start_line);
    bool bare = false;
    std::string text = file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte);
    auto attributes = attributes_read(text, used, &bare);
    if (bare) {
      return Status::error(where + ": uses tritonpile's stand-in for " + stand_in.module +
                           " otherwise than by its attributes");
    }
    for (const auto& attribute : attributes) {
      if (!stand_in.attributes.count(attribute)) {
        return Status::error(where + ": reads '" + used + "." + attribute + "', which tritonpile's stand-in for " +
                             stand_in.module + " does not provide");
      }
      for (const auto& table : stand_in.tables) {
        if (table.attribute != attribute) continue;
        bool other = false;
        for (const auto& key : literal_lookups(text, used, attribute, &other)) {
          if (auto status = need_table_entry(file, where, table, key, depth); !status) return status;
        }
        if (other) {
          return Status::error(where + ": calls '" + used + "." + attribute + "' with other than a string literal");
        }
      }
    }
    return Status::ok();
  }

  // The entry `key` of a lookup table, as the top-level assignment `<prefix><key> = <value>`
  // of a file made for the table: a copy of the Python module holding it, or the Python a
  // tuning file reads as. The entry brings what its value reads from that file.
  Status need_table_entry(const AnalyzedFile& file, const std::string& where, const LookupTable& table,
                          const std::string& key, int depth) {
    const std::string name = table.module + "." + table.table;
    const AnalyzedFile* data = table.format == LookupTable::kPythonDict
                                   ? index_.resolve(file, table.module)
                                   : index_.data_file(file, table.module, table.table);
    if (!data) return Status::error(where + ": looks '" + key + "' up in " + name + ", which is not among the files crawled");
    auto& entries = table_files_[{data, table.table}];
    if (!entries) {
      auto made = table_file(*data, table);
      if (!made) return made.status();
      entries = std::make_unique<AnalyzedFile>(AnalyzedFile{data->path, data->blob_id, std::move(*made), {}});
      entries->extraction = extractor::extract_file(entries->source, entries->path);
    }
    if (!is_identifier(key) || !binds_at_top_level(*entries, table.prefix + key)) {
      return Status::error(where + ": looks '" + key + "' up in " + name + ", which has no such entry");
    }
    return need(*entries, table.prefix + key, depth + 1, /*must_exist=*/true);
  }

  static StatusOr<std::string> table_file(const AnalyzedFile& data, const LookupTable& table) {
    std::vector<std::pair<std::string, std::string>> entries;
    std::string source;
    if (table.format == LookupTable::kPythonDict) {
      auto found = dict_entries(data.source, table.table);
      if (!found) return Status::error(data.path + ": assigns no dict literal to '" + table.table + "' at the top level");
      entries = std::move(*found);
      source = data.source;
    } else {
      auto read = flag_gems_tuned_configs(data.source);
      if (!read) return read.status().with_context(data.path);
      entries = std::move(*read);
      source = "import triton\n";
    }
    for (const auto& [key, value] : entries) {
      if (is_identifier(key)) source += "\n\n" + table.prefix + key + " = " + value + "\n";
    }
    return source;
  }

  static bool is_identifier(const std::string& text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  }

  static Status check_importable(const AnalyzedFile& file, const extractor::ModuleItem& item,
                                 const std::string& module) {
    if (importable_module(module)) return Status::ok();
    return Status::error(file.path + ":" + std::to_string(item.span.start_line) + ": needs '" + module +
                         "', which a fresh environment cannot import");
  }

  // One name, one definition. Two inlined modules that define a name differently (each its
  // own `device`, two `_fwd_kernel`s) keep both: the later one, and what reads it, take a name
  // of their own, `device_chunk` for chunk.py's.
  Status claim(const AnalyzedFile& file, const extractor::ModuleItem& item, const std::string& name) {
    std::string text = file.source.substr(item.span.start_byte, item.span.end_byte - item.span.start_byte);
    auto [it, fresh] = definitions_.emplace(name, text);
    if (fresh || it->second == text) return Status::ok();
    std::string stem = module_stem(file.path);
    std::string own = name + "_" + stem;
    for (int n = 2; definitions_.count(own) && definitions_[own] != text; ++n) own = name + "_" + stem + std::to_string(n);
    definitions_[own] = text;
    names_[{&file, name}] = own;
    return Status::ok();
  }

  // The item being placed (the innermost) reads what it resolves.
  void depend_on(const std::set<Placed>& reads) {
    if (placing_.empty()) return;
    depends_[placing_.back()].insert(reads.begin(), reads.end());
  }

  using Visit = std::pair<const AnalyzedFile*, std::string>;  // a name asked of a file
  const ModuleIndex& index_;
  std::set<Visit> visited_;
  std::map<Visit, std::set<Placed>> resolved_;  // the items a name of a file resolved to
  std::set<Placed> placed_;
  std::vector<Placed> placing_;                  // items whose reads are being resolved
  std::map<Placed, std::set<Placed>> depends_;   // item -> the items it reads
  std::vector<Placed> order_;  // dependencies before their users
  std::vector<std::string> import_lines_;
  std::vector<Substitute> substitutes_;
  std::map<std::string, std::string> definitions_;  // the module's names and their definitions
  std::map<Visit, std::string> names_;  // a file's name where the module calls it otherwise
  std::map<Visit, std::pair<const AnalyzedFile*, int>> module_objects_;  // a file's name for a module, and where
  std::map<Visit, Substitute> stand_in_objects_;  // a file's name for a stand-in module object
  // Per file and table it holds: a copy with each of the table's entries assigned at the top
  // level.
  std::map<std::pair<const AnalyzedFile*, std::string>, std::unique_ptr<AnalyzedFile>> table_files_;
};

}  // namespace

bool importable_module(const std::string& module) {
  return !module.empty() && module[0] != '.' && importable().count(module.substr(0, module.find('.')));
}

StatusOr<std::string> build_module(const ModuleIndex& index, const AnalyzedFile& file,
                                   const std::vector<std::string>& roots) {
  ClosureBuilder builder(index);
  for (const auto& root : roots) {
    if (!binds_at_top_level(file, root)) return Status::error(file.path + ": '" + root + "' is not a top-level definition");
    builder.reserve(file, root);
    if (auto status = builder.need(file, root); !status) return status;
  }
  return builder.text();
}

}  // namespace tritonpile::matcher
