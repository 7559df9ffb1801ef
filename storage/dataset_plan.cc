#include "storage/dataset_plan.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

#include "storage/representative_rank.h"

namespace tritonpile::storage {
namespace {

// Added to the rank of a member that may not represent its cluster: left out, or outside the
// cluster's split. representative_rank stays far below it.
constexpr int64_t kMayNotRepresent = int64_t{1} << 61;

std::string source_field(const Entry& entry, const char* key) {
  if (!entry.metadata.contains("source") || !entry.metadata["source"].is_object()) return "";
  const auto& source = entry.metadata["source"];
  return source.contains(key) && source[key].is_string() ? source[key].get<std::string>() : "";
}

bool passes_filter(const Entry& entry, const std::string& status, const EntryFilter& filter) {
  if (filter.phase && entry.phase != filter.phase) return false;
  if (!filter.status.empty() && status != filter.status) return false;
  return filter.min_status.empty() || validation_status_rank(status) <= validation_status_rank(filter.min_status);
}

bool passes_license(const Entry& entry, const EntryFilter& filter) {
  if (filter.licenses.empty()) return true;
  return std::find(filter.licenses.begin(), filter.licenses.end(), source_field(entry, "license")) !=
         filter.licenses.end();
}

// Every entry checked against the benchmarks, on all hardware threads: signing dominates.
std::vector<std::optional<Contamination>> find_contamination(const std::vector<Entry>& entries,
                                                             const ContaminationIndex& index) {
  std::vector<std::optional<Contamination>> found(entries.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < entries.size();) found[i] = index.find(entries[i].python_code, entries[i].triton_code);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the threads already running take every entry
    }
  }
  work();
  for (std::thread& thread : pool) thread.join();
  return found;
}

// Marks every entry that is still to be exported and whose cluster holds a contaminated member:
// with its own match, or else with that of the cluster's contaminated member of least id.
void exclude_contaminated(const std::vector<Entry>& entries, const ContaminationIndex& index, DatasetPlan& plan) {
  std::vector<std::optional<Contamination>> found = find_contamination(entries, index);
  std::unordered_map<std::string, size_t> first_in_cluster;  // cluster id -> contaminated member
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!found[i]) continue;
    auto [it, inserted] = first_in_cluster.try_emplace(plan.entries[i].dedup.cluster_id, i);
    if (entries[i].id < entries[it->second].id) it->second = i;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    PlannedEntry& planned = plan.entries[i];
    auto via = first_in_cluster.find(planned.dedup.cluster_id);
    if (planned.fate != Fate::kExported || via == first_in_cluster.end()) continue;
    planned.fate = Fate::kContaminated;
    planned.contamination = found[i] ? found[i] : found[via->second];
    if (!found[i]) planned.contaminated_via = entries[via->second].id;
  }
}

// Curated and template entries are made to differ (add and sub, one template with other
// names and sizes): a near duplicate among them stays, in its cluster's split, unless asked.
bool kept_variant(const PlannedEntry& planned, const DatasetOptions& options) {
  int phase = planned.entry->phase;
  return !options.near_dedup_all_phases && planned.dedup.kind == DuplicateKind::kNear && (phase == 1 || phase == 2);
}

}  // namespace

DatasetCounts count_plan(const DatasetPlan& plan) {
  DatasetCounts counts;
  counts.stored = static_cast<int>(plan.entries.size());
  counts.bridged_clusters = static_cast<int>(plan.splits.bridged_clusters.size());
  counts.new_assignments = static_cast<int>(plan.splits.new_assignments.size());
  for (const char* split : {"train", "test", "validation"}) counts.per_split[split] = 0;
  for (const PlannedEntry& planned : plan.entries) {
    switch (planned.fate) {
      case Fate::kExported:
        ++counts.exported, ++counts.per_split[planned.split];
        break;
      case Fate::kFiltered:
        ++counts.filtered;
        break;
      case Fate::kLicense:
        ++counts.excluded_by_license[source_field(*planned.entry, "license")];
        break;
      case Fate::kContaminated:
        ++counts.contaminated[planned.contamination->item->file];
        break;
      case Fate::kDuplicate:
        ++(planned.dedup.kind == DuplicateKind::kExact ? counts.exact_dropped : counts.near_dropped);
        break;
      case Fate::kClusterSplit:
        ++counts.cluster_split;
        break;
    }
  }
  return counts;
}

std::string latest_status(const Validation* validation) { return validation ? validation->status : ""; }

StatusOr<DatasetPlan> plan_dataset(const std::vector<Entry>& entries,
                                   const std::unordered_map<std::string, Validation>& validations,
                                   const std::map<std::string, int64_t>& source_order,
                                   const std::unordered_map<std::string, AssignedSplit>& held,
                                   const DatasetOptions& options) {
  std::vector<DedupItem> items;
  items.reserve(entries.size());
  for (const Entry& e : entries) items.push_back({e.id, e.python_code, e.triton_code, e.canonical_hash, 0});
  auto outcome = deduplicate(items, options.dedup);
  if (!outcome) return outcome.status().with_context("export");

  DatasetPlan plan;
  std::vector<SplitMember> members;
  members.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    members.push_back({entries[i].id, outcome->results[i].cluster_id, source_field(entries[i], "name")});
  }
  plan.splits = plan_splits(members, held, options.grouping, options.ratios);

  std::unordered_map<std::string, int> cluster_sizes;
  for (const DedupResult& result : outcome->results) ++cluster_sizes[result.cluster_id];
  plan.entries.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    PlannedEntry& planned = plan.entries[i];
    planned.entry = &entries[i];
    auto validation = validations.find(entries[i].id);
    planned.validation = validation == validations.end() ? nullptr : &validation->second;
    planned.split = plan.splits.splits[i];
    planned.dedup = outcome->results[i];
    planned.cluster_size = cluster_sizes.at(planned.dedup.cluster_id);
    if (!passes_filter(entries[i], latest_status(planned.validation), options.filter)) {
      planned.fate = Fate::kFiltered;
    } else if (!passes_license(entries[i], options.filter)) {
      planned.fate = Fate::kLicense;
    }
  }
  if (options.benchmarks) exclude_contaminated(entries, *options.benchmarks, plan);

  auto in_cluster_split = [&](size_t i) {
    return plan.entries[i].split == plan.splits.cluster_splits.at(plan.entries[i].dedup.cluster_id);
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const PlannedEntry& planned = plan.entries[i];
    items[i].rank = representative_rank(entries[i], latest_status(planned.validation), source_order);
    if (planned.fate != Fate::kExported || !in_cluster_split(i)) items[i].rank += kMayNotRepresent;
  }
  choose_representatives(items, *outcome);
  plan.clusters = outcome->clusters;
  std::unordered_map<std::string_view, size_t> index_of;
  for (size_t i = 0; i < entries.size(); ++i) index_of.emplace(entries[i].id, i);
  for (size_t i = 0; i < entries.size(); ++i) {
    PlannedEntry& planned = plan.entries[i];
    planned.dedup = outcome->results[i];
    if (planned.fate != Fate::kExported) continue;
    // A cluster exports its representative when that one may represent it; if it may not, no
    // member may, and this entry (not left out) is outside the cluster's split.
    bool cluster_exports = items[index_of.at(planned.dedup.representative_id)].rank < kMayNotRepresent;
    if (!cluster_exports) {
      planned.fate = Fate::kClusterSplit;
    } else if (planned.dedup.dropped() && !kept_variant(planned, options)) {
      planned.fate = Fate::kDuplicate;
    }
  }
  return plan;
}

}  // namespace tritonpile::storage
