// Inputs for a launcher that no test calls with rebuildable arguments, inferred from its
// signature: every parameter without a default gets a value from its annotation and name.
// The guesses (documented in docs/classification.md) are deliberately plain: tensors are
// float32 and square, so element-wise, reduction and matmul shapes all agree; weights and
// biases of a normalization are one row. A wrong guess shows up as a validation error, never
// as a pass, so it costs an entry, not the dataset's honesty.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extractor/extraction.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// The side length of inferred tensors.
inline constexpr int64_t kInferredSide = 128;

// Nothing when a parameter cannot be given a value (*args, an unknown annotation).
// origin says where the signature is (path:line); the recipe's origin marks it inferred.
//
// registered_op, for a function an op table registers ("eq.Scalar"), says more: ATen names an
// overload after the number it takes where another overload takes a tensor, so that argument
// gets a number (the last of eq.Scalar, pow.Tensor_Scalar, where.ScalarOther, div.Scalar_mode;
// the first of bitwise_and.Scalar_Tensor and of pow.Scalar, ATen's exception; the second of
// where.ScalarSelf). Outside a Tensor overload, the parameters ATen's schemas name for numbers
// (threshold, value, min, max) and FlagGems' mini/maxi get one too. The caller gives no op for
// a function registered for several overloads of one op, which takes either kind, only the
// op ("div"). A registered function's `self` is a parameter, ATen's name for the input, not a
// method's receiver.
std::optional<InputRecipe> infer_recipe(const std::vector<extractor::Parameter>& params, const std::string& origin,
                                        const std::string& registered_op = "");

}  // namespace tritonpile::matcher
