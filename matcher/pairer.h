// Pairs each launcher in a snapshot with its PyTorch reference. Evidence, strongest first:
// a repo test that compares the launcher with a reference (test-compare), then a reference
// named after the launcher (naming: add -> add_reference, torch_add, add_ref, naive_add, ...).
// A pair also needs inputs, read from a test that calls the launcher.
#pragma once

#include <vector>

#include "matcher/pair.h"

namespace tritonpile::matcher {

// Bumped whenever pairing, module building, normalization or classification changes output.
inline constexpr int kMatcherVersion = 1;

MatchResult match_snapshot(const std::vector<AnalyzedFile>& files);

}  // namespace tritonpile::matcher
