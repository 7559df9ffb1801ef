// Extracts from one Python file its Triton kernels (functions jit-compiled by Triton), the
// launchers that run them, torch-only reference candidates, and repo tests that compare two
// computations. Never fails: unparsable parts are counted in syntax_errors and skipped.
// Thread-safe: each call parses its own tree.
#pragma once

#include <string>

#include "extractor/extraction.h"

namespace tritonpile::extractor {

// Bumped whenever extraction changes what it reports, so cached findings are redone.
inline constexpr int kExtractorVersion = 1;

FileExtraction extract_file(std::string source);

}  // namespace tritonpile::extractor
