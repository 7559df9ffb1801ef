// Registration evidence: a project's op table (extractor/registration_finder.h) says which
// ATen op each of its functions implements, so the reference is that op, called through
// torch.ops.aten with the overload the table names.
#pragma once

#include <string>

namespace tritonpile::matcher {

// "add.Tensor" -> "torch.ops.aten.add.Tensor"; "abs" -> "torch.ops.aten.abs.default".
std::string aten_callable(const std::string& op);

// A module defining `function_name` that calls the op with whatever it is given.
std::string aten_reference_module(const std::string& op, const std::string& function_name);

}  // namespace tritonpile::matcher
