#include "storage/splitter.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>

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

// The earliest assignment seen so far per key (cluster or source).
class EarliestSplits {
 public:
  void offer(const std::string& key, const AssignedSplit& assigned) {
    auto [it, inserted] = earliest_.try_emplace(key, assigned);
    if (!inserted && assigned.seq < it->second.seq) it->second = assigned;
  }
  const AssignedSplit* find(const std::string& key) const {
    auto it = earliest_.find(key);
    return it == earliest_.end() ? nullptr : &it->second;
  }
  const std::unordered_map<std::string, AssignedSplit>& all() const { return earliest_; }

 private:
  std::unordered_map<std::string, AssignedSplit> earliest_;
};

}  // namespace

StatusOr<SplitRatios> parse_split_ratios(const std::string& text) {
  std::istringstream in(text);
  double parts[3];
  char slash1 = 0, slash2 = 0;
  in >> parts[0] >> slash1 >> parts[1] >> slash2 >> parts[2];
  bool valid = in && (in >> std::ws).eof() && slash1 == '/' && slash2 == '/';
  for (double part : parts) valid = valid && std::isfinite(part) && part >= 0;
  double total = valid ? parts[0] + parts[1] + parts[2] : 0;
  if (!valid || total <= 0 || parts[0] <= 0) {
    return Status::error("split '" + text + "' is not TRAIN/TEST/VALIDATION, e.g. 80/10/10");
  }
  return SplitRatios{parts[0] / total, parts[1] / total};
}

const char* grouping_name(SplitGrouping grouping) {
  return grouping == SplitGrouping::kSource ? "source" : "cluster";
}

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

SplitPlan plan_splits(const std::vector<SplitMember>& members,
                      const std::unordered_map<std::string, AssignedSplit>& held, SplitGrouping grouping,
                      const SplitRatios& ratios) {
  SplitPlan plan;
  plan.splits.resize(members.size());
  EarliestSplits by_cluster, by_source;
  std::unordered_map<std::string, std::set<std::string>> held_splits_of_cluster;
  int64_t last_seq = 0;
  std::vector<size_t> newcomers;
  for (size_t i = 0; i < members.size(); ++i) {
    auto it = held.find(members[i].id);
    if (it == held.end()) {
      newcomers.push_back(i);
      continue;
    }
    plan.splits[i] = it->second.split;
    by_cluster.offer(members[i].cluster_id, it->second);
    by_source.offer(members[i].source, it->second);
    held_splits_of_cluster[members[i].cluster_id].insert(it->second.split);
    last_seq = std::max(last_seq, it->second.seq);
  }
  for (const auto& [cluster, splits] : held_splits_of_cluster) {
    if (splits.size() > 1) plan.bridged_clusters.push_back(cluster);
  }
  std::sort(plan.bridged_clusters.begin(), plan.bridged_clusters.end());

  // Newcomers in id order, so that the same database always gets the same plan.
  std::sort(newcomers.begin(), newcomers.end(), [&](size_t a, size_t b) { return members[a].id < members[b].id; });
  for (size_t i : newcomers) {
    const SplitMember& member = members[i];
    const AssignedSplit* earlier =
        grouping == SplitGrouping::kSource ? by_source.find(member.source) : by_cluster.find(member.cluster_id);
    AssignedSplit assigned{earlier ? earlier->split : assign_grouped_split(grouping, member.cluster_id, member.source, ratios),
                           ++last_seq};
    plan.splits[i] = assigned.split;
    plan.new_assignments.emplace_back(member.id, assigned.split);
    by_cluster.offer(member.cluster_id, assigned);
    by_source.offer(member.source, assigned);
  }
  for (const auto& [cluster, assigned] : by_cluster.all()) plan.cluster_splits.emplace(cluster, assigned.split);
  return plan;
}

}  // namespace tritonpile::storage
