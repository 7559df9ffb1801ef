// Assigns train/test/validation. A split is a pure function of a group key, so whatever shares
// the key shares the split, and an entry's split never depends on what else is in the database:
//   - assign_split keys by canonical hash: exact duplicates always share a split;
//   - assign_split_for_cluster keys by near-duplicate cluster (storage/dedup.h), so no cluster
//     straddles two splits. A cluster's id is its least canonical hash, so a cluster of one
//     entry, or of exact duplicates only, gets the split assign_split already gave it;
//   - assign_split_for_source keys by source repository, for a test split of repositories never
//     seen in training. Clusters that span two sources may then straddle splits; deduplicate
//     first, so that only their representatives remain.
#pragma once

#include <string>

namespace tritonpile::storage {

struct SplitRatios {
  double train = 0.8;
  double test = 0.1;  // validation gets the rest
};

// What entries are grouped by, so that a group never straddles two splits.
enum class SplitGrouping { kCluster, kSource };

std::string assign_split(const std::string& canonical_hash, const SplitRatios& ratios = {});

// The split of every member of the cluster with this DedupResult::cluster_id.
std::string assign_split_for_cluster(const std::string& cluster_id, const SplitRatios& ratios = {});

// The split of every entry crawled from the source of this name (sources.json's "name").
std::string assign_split_for_source(const std::string& source_name, const SplitRatios& ratios = {});

// assign_split_for_cluster or assign_split_for_source, as grouping says.
std::string assign_grouped_split(SplitGrouping grouping, const std::string& cluster_id, const std::string& source_name,
                                 const SplitRatios& ratios = {});

}  // namespace tritonpile::storage
