// Stand-ins for the few third-party modules that repositories import for incidental work
// (comparing library versions, marking profiler ranges) or for tensor reshaping that torch
// itself can do (einops' rearrange, repeat, reduce, einsum), and that the validation
// environment lacks. A closure that imports one gets our definition inlined instead of the
// import, so the entry still runs where only torch, triton and numpy are installed. Each is
// checked against the real module by tests/python/test_*_stand_in.py.
//
// A few repositories' own modules need stand-ins too: FlagGems' runtime detects the GPU
// vendor at import and reads configuration files the crawl does not keep, where its operators
// only need NVIDIA's answers (torch.cuda, libdevice) and a kernel cache they can do without;
// its element-wise operators are generated at run time, and one fixed kernel stands in.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tritonpile::matcher {

// An attribute of a stand-in module object that looks configuration up by name in the
// repository's own files (`runtime.get_heuristic_config("argmax")`), and the prefix of the
// top-level names the closure carries its entries by (`_flag_gems_heuristics_argmax`), which
// the stand-in's attribute returns. The table is a dict literal assigned to `table` in the
// Python module `module`, or (kFlagGemsTuneYaml) FlagGems' tuning file `table` in the
// directory of the package `module`.
struct LookupTable {
  enum Format { kPythonDict, kFlagGemsTuneYaml };
  std::string attribute;
  Format format;
  std::string module;
  std::string table;
  std::string prefix;
};

struct Substitute {
  std::string definition;  // Python defining the stand-in's namespace, placed before every item
  std::string binding;     // binds the importing module's local name to the stand-in
  // A stand-in imported as a module object (`from flag_gems import runtime`): the module's
  // name and the attributes the stand-in has; a statement reading another is refused.
  std::string module;
  std::set<std::string> attributes;
  std::vector<LookupTable> tables;  // those of the attributes that read the repository's tables
};

// The stand-in for `from module import member as local` (member empty: `import module as
// local`); nothing when the import has none.
std::optional<Substitute> substitute_for(const std::string& module, const std::string& member,
                                         const std::string& local);

// Why an import of a repository's own module cannot come along, when it cannot: FlagGems'
// vendor backend (flag_gems.runtime.backend) is set up only when its runtime detects a device
// at import, and is None until then.
std::optional<std::string> refused_repository_module(const std::string& module);

// The same for a repository file an import resolves to (a relative import names no package):
// src/flag_gems/runtime/backend/__init__.py.
std::optional<std::string> refused_repository_path(const std::string& path);

// The stand-in for an import of a repository's own module that only runs in its home
// environment (FlagGems' vendor runtime), taken instead of the repository's file.
std::optional<Substitute> repository_substitute_for(const std::string& module, const std::string& member,
                                                    const std::string& local);

}  // namespace tritonpile::matcher
