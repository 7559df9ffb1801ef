// Decides what the exported dataset holds: for every stored entry, its split, its duplicate
// cluster and whether it is exported or why not. Export (storage/exporter.h) writes the plan;
// nothing here touches SQLite or files.
//
// In order:
//   1. every entry is clustered (storage/dedup.h) and given a split (storage/splitter.h,
//      plan_splits), whatever the filters, so that neither depends on what one export asks for;
//   2. an entry is left out when the filters refuse it (phase, status, licence), or when it or a
//      member of its cluster copies a benchmark item (storage/decontaminate.h): a near
//      duplicate of a contaminated entry is contaminated too;
//   3. each cluster exports at most one entry, its representative: the member of least
//      representative_rank among those not left out and in the cluster's split (SplitPlan::
//      cluster_splits); every other member is dropped and names it. A member outside its
//      cluster's split (a newcomer joined clusters split apart before, or --split-by source put
//      its source elsewhere) is never exported, so what a cluster exports never changes split.
//      Exception: a curated or template entry (phase 1 or 2) is not dropped as a near duplicate
//      unless near_dedup_all_phases is set: those are written to differ (add and sub; one
//      template rendered with other names and sizes). It still stays in its cluster's split.
//
// Thread-safe: plan_dataset is a pure function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/decontaminate.h"
#include "storage/dedup.h"
#include "storage/entry.h"
#include "storage/splitter.h"
#include "storage/store.h"

namespace tritonpile::storage {

struct DatasetOptions {
  EntryFilter filter;  // phase, status, min_status, licences (split is ignored)
  SplitRatios ratios;
  SplitGrouping grouping = SplitGrouping::kCluster;
  DedupOptions dedup;
  const ContaminationIndex* benchmarks = nullptr;  // null: no decontamination
  bool near_dedup_all_phases = false;  // also drop curated and template near duplicates
};

// Why an entry is not in the dataset, or that it is; checked in this order.
enum class Fate {
  kExported,
  kFiltered,      // phase or status
  kLicense,       // licence not in the filter's list
  kContaminated,  // it or a member of its cluster copies a benchmark item
  kDuplicate,     // its cluster exports another member (dedup.representative_id)
  kClusterSplit,  // its split is not its cluster's, and no member in the cluster's split is exported
};

struct PlannedEntry {
  const Entry* entry = nullptr;
  const Validation* validation = nullptr;  // latest; null when never validated
  std::string split;
  DedupResult dedup;
  int cluster_size = 1;
  Fate fate = Fate::kExported;
  // kContaminated: the match, found on this entry or on contaminated_via, a member of its
  // cluster (then that member's id).
  std::optional<Contamination> contamination;
  std::string contaminated_via;
};

struct DatasetPlan {
  std::vector<PlannedEntry> entries;  // in the order of the entries given
  SplitPlan splits;
  int clusters = 0;
};

// What a plan leaves out and keeps, in numbers.
struct DatasetCounts {
  int stored = 0;    // entries planned (the database's current entries)
  int exported = 0;  // one per exporting cluster
  std::map<std::string, int> per_split;  // exported
  int filtered = 0;                      // by phase or status
  std::map<std::string, int> excluded_by_license;  // licence ("" for none) -> entries
  std::map<std::string, int> contaminated;         // benchmark file -> entries
  int exact_dropped = 0, near_dropped = 0;         // duplicates of an exported entry, by kind
  int cluster_split = 0;                           // Fate::kClusterSplit
  int bridged_clusters = 0;
  int new_assignments = 0;  // entries whose split this plan fixes
};

DatasetCounts count_plan(const DatasetPlan& plan);

// The latest validation's status, "" when none.
std::string latest_status(const Validation* validation);

// Plans the dataset from the stored entries (ids unique), their latest validations, the source
// order (Store::source_order) and the splits fixed before (Store::split_assignments). The plan
// points into entries, validations and options.benchmarks: they must outlive it.
StatusOr<DatasetPlan> plan_dataset(const std::vector<Entry>& entries,
                                   const std::unordered_map<std::string, Validation>& validations,
                                   const std::map<std::string, int64_t>& source_order,
                                   const std::unordered_map<std::string, AssignedSplit>& held,
                                   const DatasetOptions& options);

}  // namespace tritonpile::storage
