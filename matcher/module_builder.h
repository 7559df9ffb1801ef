// Cuts definitions out of a file as a module that runs on its own: the definitions asked for
// plus every top-level import, constant and helper they read, transitively, in source order.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "matcher/pair.h"

namespace tritonpile::matcher {

// Fails when the closure needs something outside the file that a fresh interpreter with only
// torch, triton, numpy and the standard library cannot import (e.g. the repo's own modules).
StatusOr<std::string> build_module(const AnalyzedFile& file, const std::vector<std::string>& roots);

}  // namespace tritonpile::matcher
