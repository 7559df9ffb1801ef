// Lifts the torch side of a comparison that is not a named function (an inline expression
// such as `x * 2 + 1`, or a call such as `torch.nn.functional.gelu(x)`) into a reference
// function whose parameters are the launcher call's arguments, with the imports it reads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// What a lifted reference may read besides its imports.
struct LiftContext {
  // The identifiers the test passes to the launcher, in the launcher's order: the function's
  // parameters.
  std::vector<std::string> params;
  // A parameter's default as the launcher writes it, so that the reference can be called with
  // the launcher's required arguments alone.
  std::map<std::string, std::string> defaults;
  // Names the caller defines beside the lifted function (a repository reference it calls).
  std::vector<std::string> provided;
  // The test's copies of variables (x_ref = x.clone()); one of a parameter is bound to it.
  std::map<std::string, std::string> copies;
  // Launcher parameters the test passed another variable for (launcher(a_fp8) for a): in the
  // test, such a name is a variable of its own (the unquantized a), so reading it fails.
  std::set<std::string> shadowed;
  // Parameters without a default the test passes a variable for: a reference that ignores a
  // required input computes another function (the expected value for the test's fixed page
  // table, say), so each must be read. Options with defaults (flags, output buffers) may not.
  std::set<std::string> required;
  // Parameters the test passes a literal for (normalize=False): a keyword of that name and
  // value in the lifted call (ref(q, k, normalize=False)) passes the parameter instead, so the
  // reference honours it.
  std::map<std::string, std::string> literals;
};

// Fails when the expression reads a name that is none of these nor an importable import of
// the test file.
StatusOr<std::string> lift_reference(const AnalyzedFile& test_file, const std::string& expression,
                                     const std::string& name, const LiftContext& context);

// The same for statements (a pytest fixture's body, dedented, its yield turned into return):
// what they bind is local, what else they read follows the rules above.
StatusOr<std::string> lift_statements(const AnalyzedFile& test_file, const std::string& statements,
                                      const std::string& name, const LiftContext& context);

}  // namespace tritonpile::matcher
