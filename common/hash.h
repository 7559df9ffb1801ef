// Content hashes used across stages: git blob ids (so plain files and git objects share one
// address space) and short xxHash digests for code identity.
#pragma once

#include <string>
#include <string_view>

namespace tritonpile {

// The id git gives a blob with these bytes: SHA-1 of "blob <size>\0" + content, in hex.
std::string git_blob_id(std::string_view content);

// 64-bit xxHash of text, as 16 lowercase hex digits.
std::string xxh64_hex(std::string_view text);

}  // namespace tritonpile
