// Stand-ins for the few third-party modules that repositories import for incidental work
// (comparing library versions, marking profiler ranges) or for tensor reshaping that torch
// itself can do (einops' rearrange, repeat, reduce, einsum), and that the validation
// environment lacks. A closure that imports one gets our definition inlined instead of the
// import, so the entry still runs where only torch, triton and numpy are installed. Each is
// checked against the real module by tests/python/test_*_stand_in.py.
#pragma once

#include <optional>
#include <string>

namespace tritonpile::matcher {

struct Substitute {
  std::string definition;  // Python defining the stand-in's namespace, placed before every item
  std::string binding;     // binds the importing module's local name to the stand-in
};

// The stand-in for `from module import member as local` (member empty: `import module as
// local`); nothing when the import has none.
std::optional<Substitute> substitute_for(const std::string& module, const std::string& member,
                                         const std::string& local);

}  // namespace tritonpile::matcher
