// Inputs for a pair read from the repository's own test: the arguments its call of the launcher
// passes, bound to the launcher's parameters, with names filled in from the test's first
// parametrize case (shapes, dtypes, scalars).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extractor/extraction.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// Nothing unless every parameter without a default receives a tensor whose shape and dtype
// can be rebuilt, or a scalar literal. test_path and the call's line make the recipe's origin.
std::optional<InputRecipe> read_test_recipe(const std::vector<extractor::Parameter>& launcher_params,
                                            const extractor::RepoTest& test, const extractor::CallSite& call,
                                            const std::string& test_path);

}  // namespace tritonpile::matcher
