// Pairs each launcher of a snapshot (module-level functions that launch kernels,
// autograd.Function wrappers through `.apply`, and module-level functions that call either)
// with its PyTorch reference. Evidence, strongest
// first: test-compare (a repo test compares the launcher with a torch computation: a
// reference function, a torch call or an inline expression, the latter two lifted into a
// function), naive-module (a same-named function in a naive.py beside it), naming
// (add -> add_reference, torch_add, add_ref, naive_add, ...). A reference that is itself
// Triton is refused. Inputs come from a test that calls the launcher, with parametrize cases
// filled in; a pair without them is kept with an empty recipe.
#pragma once

#include <vector>

#include "matcher/pair.h"

namespace tritonpile::matcher {

// Bumped whenever pairing, module building, normalization or classification changes output.
inline constexpr int kMatcherVersion = 29;

MatchResult match_snapshot(const std::vector<AnalyzedFile>& files);

}  // namespace tritonpile::matcher
