// The names a file's imports bind, so `tl.load`, `tr.jit` and a bare `jit` can be read as the
// qualified names they stand for (triton.language.load, triton.jit, triton.jit).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "extractor/query.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

class ImportAliases {
 public:
  // Collects every import in the file, nested ones included, from the imports.scm matches.
  static ImportAliases collect(const SyntaxTree& tree, const MatchList& imports);

  // "tl.load" -> "triton.language.load"; names not bound by an import stay as they are.
  std::string resolve(std::string_view dotted) const;
  bool is_imported(const std::string& local_name) const { return names_.count(local_name) > 0; }
  // True when some import binds module or one of its submodules.
  bool imports_module(const std::string& module) const;

 private:
  std::map<std::string, std::string> names_;  // local name -> qualified name
};

// "a.b.c" for identifier/attribute chains; empty for anything else (calls, subscripts).
std::string dotted_name(const SyntaxTree& tree, TSNode node);

}  // namespace tritonpile::extractor
