// Registration evidence: a project's op table (extractor/registration_finder.h) says which
// ATen op each of its functions implements, so the reference is that op, called through
// torch.ops.aten with the overload the table names.
#pragma once

#include <string>
#include <vector>

#include "extractor/extraction.h"

namespace tritonpile::matcher {

// The callable for a function an op table registers as each of ops (not empty), in table
// order: "add.Tensor" -> torch.ops.aten.add.Tensor, the overload the first row names. Otherwise
// the op's overload packet, which picks the overload by the arguments it is called with, as the
// dispatcher does:
// - a row naming no overload ("abs"): most ops have a default overload, which the packet
//   picks for its arguments, but some have none (bitwise_left_shift has Tensor, Tensor_Scalar
//   and Scalar_Tensor), and which the table cannot say;
// - a function registered for several overloads of the first row's op (div.Scalar_mode and
//   div.Tensor_mode);
// - an overload that writes into out= arguments, known by ATen's names for those (addmm.out,
//   sum.IntList_out, xlogy.OutTensor, median.dim_values): the function takes `out` as an
//   option, where the overload requires it, and the packet computes into a new tensor without.
std::string aten_callable(const std::vector<std::string>& ops);

// What a function an op table registers as each of ops (not empty) implements: the first
// row's op ("eq.Scalar"), or only its name ("div") where the function serves several of that
// op's overloads and so takes the arguments of either.
std::string registered_op(const std::vector<std::string>& ops);

// A module defining `function_name` that calls `callable` with whatever it is given. Where the
// registered function gives a parameter a literal default (group_norm's eps=1e-05, which
// ATen's native_group_norm requires; rms_norm's eps=1e-5, where ATen's default is None), a
// call that leaves that argument out gets the function's default, by the parameter's name,
// when the op has an argument of that name and of a type the default fits: the function
// called without it computes with its own default, and the op's schema decides whether the
// name means anything to it (softmax's `approx` does not, nor a loss's reduction="mean"
// where ATen's `reduction` is an int). None defaults are left to the op.
std::string aten_reference_module(const std::string& callable, const std::string& function_name,
                                  const std::vector<extractor::Parameter>& params);

}  // namespace tritonpile::matcher
