#include "storage/splitter.h"

#include "common/hash.h"

namespace tritonpile::storage {
namespace {

// Re-hashes the key so the bucket does not depend on how the key was formed; the namespace
// keeps a source and a hash that happen to be spelled alike independent.
std::string split_of_key(const std::string& key_namespace, const std::string& key, const SplitRatios& ratios) {
  uint64_t value = std::stoull(xxh64_hex(key_namespace + ":" + key), nullptr, 16);
  double unit = static_cast<double>(value >> 11) / static_cast<double>(1ULL << 53);
  if (unit < ratios.train) return "train";
  if (unit < ratios.train + ratios.test) return "test";
  return "validation";
}

}  // namespace

std::string assign_split(const std::string& canonical_hash, const SplitRatios& ratios) {
  return split_of_key("split", canonical_hash, ratios);
}

std::string assign_split_for_cluster(const std::string& cluster_id, const SplitRatios& ratios) {
  // Same namespace as assign_split: a cluster id is a canonical hash (see the header).
  return split_of_key("split", cluster_id, ratios);
}

std::string assign_split_for_source(const std::string& source_name, const SplitRatios& ratios) {
  return split_of_key("source", source_name, ratios);
}

std::string assign_grouped_split(SplitGrouping grouping, const std::string& cluster_id, const std::string& source_name,
                                 const SplitRatios& ratios) {
  return grouping == SplitGrouping::kSource ? assign_split_for_source(source_name, ratios)
                                            : assign_split_for_cluster(cluster_id, ratios);
}

}  // namespace tritonpile::storage
