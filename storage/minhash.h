// MinHash signatures of code and the LSH banding that turns them into candidate pairs, the
// near-duplicate machinery under storage/dedup.h.
//
// Code is read as Python-ish tokens, normalised so that renaming variables and reformatting do
// not change it while what a kernel computes still does:
//   - whitespace, line breaks, backslash continuations and '#' comments are dropped, and so is a
//     trailing comma before a closing bracket (formatters add and remove it);
//   - a string literal, whatever its prefix and quotes, is the one token "<str>": docstrings and
//     messages vary between copies and say nothing about the computation;
//   - an identifier stays itself when it is a Python keyword or builtin, an attribute name (after
//     '.': `tl.load` keeps `load`, so `tl.sum` and `tl.max` differ) or a keyword-argument or
//     defaulted-parameter name (`mask=`, `axis=`, `eps=`): those name the API being called;
//   - any other identifier (locals, parameters, kernel and module names) is a placeholder that
//     says where the same name was last used within the enclosing function: "<id>" at its first
//     use, then "<id:N>" for a name last seen N such uses before ("<id:far>" beyond 32). A
//     consistent renaming keeps every N, while the Ns keep the data flow that tells `a * b` from
//     `a * a`; with one plain "<id>" for every name, unrelated kernels built from the same
//     boilerplate and the same few tl calls reach Jaccard 0.7 and chain whole families together;
//   - numbers and operators stay verbatim.
// A text's shingles are its runs of kMinHashShingleSize consecutive tokens; a text with fewer
// tokens is one shingle. A signature is, for each of kMinHashPermutations hash functions
// h_i(x) = (a_i * x + b_i) >> 32 over the 32-bit shingle hashes (a 2-independent family; a_i, b_i
// come from a fixed seed, so signatures compare across runs), the least h_i over the shingles.
// LSH cuts the signature into kLshBands bands of kLshRowsPerBand rows; two signatures that agree
// on a whole band are a candidate pair. 25 x 10 makes the S-curve rise at Jaccard ~0.72, as in
// The Stack's deduplication: a pair at 0.7 is a candidate about half the time, one at 0.8 in 94%.
//
// Thread-safe: everything here is a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tritonpile::storage {

inline constexpr int kMinHashPermutations = 256;
inline constexpr int kMinHashShingleSize = 5;
inline constexpr int kLshBands = 25;
inline constexpr int kLshRowsPerBand = 10;
static_assert(kLshBands * kLshRowsPerBand <= kMinHashPermutations);

using MinHashSignature = std::array<uint32_t, kMinHashPermutations>;

// The normalised tokens of code, as the signature sees them.
std::vector<std::string> normalized_tokens(std::string_view code);

// The MinHash of the union of the texts' shingle sets (shingles never span two texts). Returns
// false when the texts have no tokens at all; the signature is then all UINT32_MAX and means
// nothing.
bool minhash_signature(std::span<const std::string_view> texts, MinHashSignature& signature);

// The fraction of the kMinHashPermutations minima two signatures share: an unbiased estimate of
// the Jaccard similarity of their shingle sets.
double estimated_jaccard(const MinHashSignature& a, const MinHashSignature& b);

// The key of one LSH band (0 <= band < kLshBands) of a signature: two signatures agree on the
// band's rows when their keys are equal (up to 64-bit collisions).
uint64_t lsh_band_key(const MinHashSignature& signature, int band);

// Calls visit once per LSH bucket holding two or more of the members (indices into signatures):
// the members whose signatures agree on every row of one band, in ascending order. Buckets come
// band by band; a pair that shares several bands is visited in each.
void for_each_lsh_bucket(const std::vector<MinHashSignature>& signatures, const std::vector<uint32_t>& members,
                         const std::function<void(std::span<const uint32_t> bucket)>& visit);

}  // namespace tritonpile::storage
