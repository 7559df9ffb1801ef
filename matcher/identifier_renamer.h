// Renames a module's global names inside one top-level statement's text: the reads and
// bindings of each name, not an attribute (`x.name`), a keyword of a call (`f(name=...)`), a
// class attribute the class body assigns, nor anything inside a function or lambda that binds
// the name itself (a parameter or a local of that name is not the global).
#pragma once

#include <map>
#include <set>
#include <string>

namespace tritonpile::matcher {

// A key `module.attr` renames that attribute read of a global module object as a whole
// (`kernel.Softmax` -> `Softmax_kernel`): how an inlined module's definitions are read.
std::string rename_identifiers(const std::string& statement, const std::map<std::string, std::string>& renames);

// The attributes the statement reads of the global `name` (`name.attr`, outside scopes that
// bind `name` themselves); *bare is set when it reads `name` otherwise too (passes it, calls it).
std::set<std::string> attributes_read(const std::string& statement, const std::string& name, bool* bare);

// The names the function defined first in `text` reads from outside itself: what its body
// and its nested scopes read that the scope reading it does not bind, its parameters'
// defaults and its decorators; builtins included.
std::set<std::string> free_names(const std::string& text);

// The names the function defined first in `text` binds for itself: its parameters and
// locals, not those of scopes nested in it.
std::set<std::string> bound_names(const std::string& text);

}  // namespace tritonpile::matcher
