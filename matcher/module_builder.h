// Cuts definitions out of a snapshot as one module that runs on its own: the definitions
// asked for plus every top-level import, constant and helper they read, transitively, and
// across the repository's own modules (which are inlined, not imported). Only torch, triton,
// numpy and the standard library may stay imports; packaging.version gets a stand-in
// (substitutes.h).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "matcher/module_index.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// Fails with a reason naming file and line when the closure needs something a fresh
// environment cannot import, or two inlined modules define one name differently.
StatusOr<std::string> build_module(const ModuleIndex& index, const AnalyzedFile& file,
                                   const std::vector<std::string>& roots);

// True for a top-level module the validation environment has.
bool importable_module(const std::string& module);

// Whether a top-level statement of file (an import included) binds name for a module that
// imports the file.
bool binds_at_top_level(const AnalyzedFile& file, const std::string& name);

// True for a name of Python's builtins module (len, range, float, ...).
bool python_builtin(const std::string& name);

}  // namespace tritonpile::matcher
