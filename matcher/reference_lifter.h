// Lifts the torch side of a comparison that is not a named function (an inline expression
// such as `x * 2 + 1`, or a call such as `torch.nn.functional.gelu(x)`) into a reference
// function whose parameters are the launcher call's arguments, with the imports it reads.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// params: the identifiers the test passes to the launcher, in order. Fails when the expression
// reads a name that is neither a parameter nor an importable import of the test file.
StatusOr<std::string> lift_reference(const AnalyzedFile& test_file, const std::string& expression,
                                     const std::vector<std::string>& params, const std::string& name);

}  // namespace tritonpile::matcher
