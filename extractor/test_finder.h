// Reads a test function for comparisons of two computations (assert_close, allclose and repo
// wrappers around them) and the inputs each side is called with.
#pragma once

#include "extractor/extraction.h"
#include "extractor/import_aliases.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

std::vector<Comparison> find_comparisons(const SyntaxTree& tree, const ImportAliases& aliases,
                                         TSNode test_function);

}  // namespace tritonpile::extractor
