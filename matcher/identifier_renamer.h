// Renames a module's global names inside one top-level statement's text: the reads and
// bindings of each name, not an attribute (`x.name`), a keyword of a call (`f(name=...)`), a
// class attribute the class body assigns, nor anything inside a function or lambda that binds
// the name itself (a parameter or a local of that name is not the global).
#pragma once

#include <map>
#include <string>

namespace tritonpile::matcher {

std::string rename_identifiers(const std::string& statement, const std::map<std::string, std::string>& renames);

}  // namespace tritonpile::matcher
