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
std::optional<InputRecipe> infer_recipe(const std::vector<extractor::Parameter>& params, const std::string& origin);

}  // namespace tritonpile::matcher
