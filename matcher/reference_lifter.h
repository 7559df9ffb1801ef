// Lifts the torch side of a comparison that is not a named function (an inline expression
// such as `x * 2 + 1`, or a call such as `torch.nn.functional.gelu(x)`) into a reference
// function whose parameters are the launcher call's arguments, with the imports it reads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// params: the identifiers the test passes to the launcher, in order. provided: names the caller
// defines beside the lifted function (a repository reference it calls). copies: the test's
// copies of variables (x_ref = x.clone()); one of a parameter is bound to it in the function.
// Fails when the expression reads a name that is none of these nor an importable import of
// the test file.
StatusOr<std::string> lift_reference(const AnalyzedFile& test_file, const std::string& expression,
                                     const std::vector<std::string>& params, const std::string& name,
                                     const std::vector<std::string>& provided = {},
                                     const std::map<std::string, std::string>& copies = {});

// The same for statements (a pytest fixture's body, dedented, its yield turned into return):
// what they bind is local, what else they read follows the rules above.
StatusOr<std::string> lift_statements(const AnalyzedFile& test_file, const std::string& statements,
                                      const std::vector<std::string>& params, const std::string& name,
                                      const std::vector<std::string>& provided = {},
                                      const std::map<std::string, std::string>& copies = {});

}  // namespace tritonpile::matcher
