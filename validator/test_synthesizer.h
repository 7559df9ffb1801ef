// Writes the pytest module (test_code) that checks a pair: seeded inputs from its recipe, both
// sides run, outputs compared at per-dtype tolerances, and the cheats a weak check misses
// (NaN, constant output, input-insensitive output, inputs mutated in place) rejected.
#pragma once

#include <string>

#include "matcher/pair.h"

namespace tritonpile::validator {

// File names test_code expects its two modules under, beside it.
inline constexpr const char* kReferenceFile = "reference.py";
inline constexpr const char* kTritonFile = "triton_impl.py";
inline constexpr const char* kTestFile = "test_entry.py";

// Identifies the test template, so entries are re-synthesized when it changes.
std::string test_template_hash();

// A recipe without an origin (no inputs were found) gives a test that skips with the reason.
std::string synthesize_test(const std::string& launcher, const std::string& reference,
                            const matcher::InputRecipe& recipe);

}  // namespace tritonpile::validator
