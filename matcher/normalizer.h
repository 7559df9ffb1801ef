// The canonical form of code: its tokens with comments, docstrings and layout dropped. Two
// modules with the same canonical hash are exact duplicates whatever their formatting.
#pragma once

#include <string>

namespace tritonpile::matcher {

std::string canonical_tokens(const std::string& code);

// Hash of the canonical tokens of both sides of a pair.
std::string canonical_hash(const std::string& python_code, const std::string& triton_code);

// Layout every module gets before it is stored: no trailing spaces, '\n' line ends, exactly
// one final newline.
std::string normalize_layout(const std::string& code);

}  // namespace tritonpile::matcher
