#include "storage/splitter.h"

#include "common/hash.h"

namespace tritonpile::storage {

std::string assign_split(const std::string& canonical_hash, const SplitRatios& ratios) {
  // Re-hash so the bucket does not depend on how the canonical hash was formed.
  uint64_t value = std::stoull(xxh64_hex("split:" + canonical_hash), nullptr, 16);
  double unit = static_cast<double>(value >> 11) / static_cast<double>(1ULL << 53);
  if (unit < ratios.train) return "train";
  if (unit < ratios.train + ratios.test) return "test";
  return "validation";
}

}  // namespace tritonpile::storage
