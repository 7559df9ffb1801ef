// Reads a test function for comparisons of two computations (assert_close, allclose and repo
// wrappers around them) and the inputs each side is called with.
#pragma once

#include <vector>

#include "extractor/extraction.h"
#include "extractor/import_aliases.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

struct CallNode {
  TSNode call;
  TSNode callee;
  TSNode args;
};

// calls: the calls inside test_function, in document order.
std::vector<Comparison> find_comparisons(const SyntaxTree& tree, const ImportAliases& aliases,
                                         TSNode test_function, const std::vector<CallNode>& calls);

// Reads one @pytest.mark.parametrize(names, cases) decorator's arguments.
Parametrize read_parametrize(const SyntaxTree& tree, TSNode names, TSNode cases);

}  // namespace tritonpile::extractor
