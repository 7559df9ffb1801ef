// Extracts from one Python file its Triton kernels (functions jit-compiled by Triton), the
// launchers that run them and the autograd.Function / nn.Module classes around those,
// torch-only reference candidates, and repo tests that compare two computations. Never
// fails: a definition that does not parse is skipped and counted, the rest stands.
// Thread-safe: each call parses its own tree.
#pragma once

#include <string>

#include "extractor/extraction.h"

namespace tritonpile::extractor {

// Bumped whenever extraction changes what it reports, so cached findings are redone.
inline constexpr int kExtractorVersion = 18;

// Files larger than this are not parsed (counted through FileExtraction::too_large).
inline constexpr size_t kMaxFileBytes = 4 << 20;

// path (optional) lets the file's name count as evidence: naive.py holds references.
FileExtraction extract_file(std::string source, const std::string& path = "");

}  // namespace tritonpile::extractor
