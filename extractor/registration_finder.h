// Op tables: literal lists of ("aten_op", python_function) pairs that a project registers
// its Triton implementations with, e.g. FlagGems' ("add.Tensor", add), ("abs", abs), ...
// Such a table names, for each function, the ATen op it must compute: registration
// evidence for the matcher.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extractor/extraction.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

// A table is a tuple or list of at least kMinTableRows two-element tuples, each a string
// literal then a name; fewer rows are more likely data than a registry.
inline constexpr int kMinTableRows = 3;

// sequences: the file's tuple and list literals, in document order.
std::vector<Registration> find_registrations(const SyntaxTree& tree, std::span<const TSNode> sequences);

}  // namespace tritonpile::extractor
