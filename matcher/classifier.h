// Operation type, difficulty and tags of a pair, from features measured on its Triton module
// (the rules are documented in docs/classification.md).
#pragma once

#include <string>

#include "matcher/pair.h"

namespace tritonpile::matcher {

Classification classify(const std::string& triton_code);

}  // namespace tritonpile::matcher
