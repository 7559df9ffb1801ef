// FlagGems' tuned configurations, read the way its runtime reads them on an NVIDIA GPU.
//
// flag_gems.runtime loads backend/_nvidia/tune_configs.yaml at import and turns each op's
// entry into triton.Config objects: a list of {META, num_warps, num_stages, num_ctas}, or one
// `gen: true` entry whose param_map names value lists to take the cartesian product of. A
// field an entry leaves out takes the last value set before it, across ops in file order
// (its ConfigLoader updates one shared dict of defaults, starting at num_stages=2,
// num_warps=4, num_ctas=1); the products come out in its depth-first order. This reproduces
// that, as Python source.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace tritonpile::matcher {

// Per op, in file order: the Python list expression of its configurations,
// `[triton.Config({"BLOCK_M": 64}, num_warps=4, num_stages=2, num_ctas=1), ...]`.
StatusOr<std::vector<std::pair<std::string, std::string>>> flag_gems_tuned_configs(const std::string& yaml);

}  // namespace tritonpile::matcher
