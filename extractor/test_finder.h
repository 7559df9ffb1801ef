// Reads a test function for comparisons of two computations (assert_close, allclose and repo
// wrappers around them) and the inputs each side is called with.
#pragma once

#include <span>
#include <vector>

#include "extractor/extraction.h"
#include "extractor/import_aliases.h"
#include "extractor/node_index.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

// calls and assignments: those inside the test function, in document order.
std::vector<Comparison> find_comparisons(const SyntaxTree& tree, const ImportAliases& aliases,
                                         std::span<const CallNode> calls, std::span<const TSNode> assignments);

// Reads one @pytest.mark.parametrize(names, cases) decorator's arguments.
Parametrize read_parametrize(const SyntaxTree& tree, TSNode names, TSNode cases);

}  // namespace tritonpile::extractor
