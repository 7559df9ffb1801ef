// Registration evidence: a project's op table (extractor/registration_finder.h) says which
// ATen op each of its functions implements, so the reference is that op, called through
// torch.ops.aten with the overload the table names.
#pragma once

#include <string>
#include <vector>

namespace tritonpile::matcher {

// "add.Tensor" -> "torch.ops.aten.add.Tensor"; "abs" -> "torch.ops.aten.abs.default".
std::string aten_callable(const std::string& op);

// The callable for a function the table registers as each of ops, in table order: the first
// op's overload, or, where the function is that op's implementation for several of its
// overloads (div.Scalar_mode and div.Tensor_mode), the op's overload packet, which picks
// the overload by the arguments it is called with, as the dispatcher would.
std::string aten_callable(const std::vector<std::string>& ops);

// A module defining `function_name` that calls `callable` with whatever it is given.
std::string aten_reference_module(const std::string& callable, const std::string& function_name);

}  // namespace tritonpile::matcher
