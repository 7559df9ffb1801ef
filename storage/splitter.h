// Assigns train/test/validation. A new group's split is a pure function of its key, so
// whatever shares the key shares the split:
//   - assign_split keys by canonical hash: exact duplicates always share a split;
//   - assign_split_for_cluster keys by near-duplicate cluster (storage/dedup.h), so no cluster
//     straddles two splits. A cluster's id is its least canonical hash, so a cluster of one
//     entry, or of exact duplicates only, gets the split assign_split already gave it;
//   - assign_split_for_source keys by source repository, for a test split of repositories never
//     seen in training.
// A cluster's id changes when a member with a lesser hash joins it, so plan_splits fixes each
// entry's split once and for all: the export stores the plan (Store::add_split_assignments)
// and an entry never changes split afterwards.
//
// Thread-safe: everything here is a pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"

namespace tritonpile::storage {

struct SplitRatios {
  double train = 0.8;
  double test = 0.1;  // validation gets the rest
};

// "80/10/10" (any three non-negative numbers, scaled to their sum; train must get some).
StatusOr<SplitRatios> parse_split_ratios(const std::string& text);

// What entries are grouped by, so that a group never straddles two splits.
enum class SplitGrouping { kCluster, kSource };

// "cluster" | "source": the key of a grouping's stored assignments.
const char* grouping_name(SplitGrouping grouping);

std::string assign_split(const std::string& canonical_hash, const SplitRatios& ratios = {});

// The split of a new cluster with this DedupResult::cluster_id.
std::string assign_split_for_cluster(const std::string& cluster_id, const SplitRatios& ratios = {});

// The split of a new source of this name (sources.json's "name").
std::string assign_split_for_source(const std::string& source_name, const SplitRatios& ratios = {});

// assign_split_for_cluster or assign_split_for_source, as grouping says.
std::string assign_grouped_split(SplitGrouping grouping, const std::string& cluster_id, const std::string& source_name,
                                 const SplitRatios& ratios = {});

// A split an export fixed earlier; seq orders the assignments (earlier is less).
struct AssignedSplit {
  std::string split;
  int64_t seq = 0;
};

struct SplitMember {
  std::string id;
  std::string cluster_id;  // DedupResult::cluster_id
  std::string source;      // metadata.source.name
};

struct SplitPlan {
  std::vector<std::string> splits;  // splits[i]: the split of members[i]
  // The members without an earlier assignment and the split they now get, in the order they
  // are to be stored (by id): the assignments to persist.
  std::vector<std::pair<std::string, std::string>> new_assignments;
  // Each cluster's split: the one its earliest-assigned member holds. Only a cluster member in
  // this split may represent the cluster, so what a cluster exports never changes split.
  std::unordered_map<std::string, std::string> cluster_splits;
  // Clusters whose members held different splits before this plan: a newcomer joined clusters
  // that were apart. Their members keep their splits; those outside the cluster's split are
  // dropped as duplicates.
  std::vector<std::string> bridged_clusters;
};

// Splits members, keeping every earlier assignment (held: entry id -> its assignment). A new
// member takes, by grouping:
//   - kCluster: its cluster's split, or a new split for the cluster (assign_split_for_cluster);
//   - kSource: its source's split (held by the source's earliest-assigned entry), or a new one
//     (assign_split_for_source). Clusters may then span sources and splits: only the members
//     in the cluster's split may represent it.
SplitPlan plan_splits(const std::vector<SplitMember>& members,
                      const std::unordered_map<std::string, AssignedSplit>& held, SplitGrouping grouping,
                      const SplitRatios& ratios);

}  // namespace tritonpile::storage
