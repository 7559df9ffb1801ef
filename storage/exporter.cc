#include "storage/exporter.h"

#include <filesystem>
#include <fstream>
#include <functional>

#include "storage/dataset_card.h"

namespace tritonpile::storage {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

// Writes path through a sibling ".partial" file renamed into place.
Status write_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::error("cannot create " + path.parent_path().string() + ": " + ec.message());
  fs::path temporary = path;
  temporary += ".partial";
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) return Status::error("cannot write " + temporary.string());
  write(out);
  out.close();
  if (!out) return Status::error("write failed: " + temporary.string());
  fs::rename(temporary, path, ec);
  if (ec) return Status::error("cannot move " + temporary.string() + " into place: " + ec.message());
  return Status::ok();
}

json exported_entry(const PlannedEntry& planned) {
  json out = entry_json(*planned.entry, planned.validation);
  json& metadata = out["metadata"];
  metadata["split"] = planned.split;
  metadata["dedup"] = {{"cluster", planned.dedup.cluster_id},
                       {"canonical_hash", planned.entry->canonical_hash},
                       {"cluster_size", planned.cluster_size}};
  return out;
}

json dedup_line(const PlannedEntry& planned, const DatasetPlan& plan) {
  json line = {{"id", planned.entry->id}, {"cluster", planned.dedup.cluster_id}, {"split", planned.split}};
  if (planned.fate == Fate::kClusterSplit) {
    line["kind"] = "cluster-split";
    line["representative"] = nullptr;
    line["cluster_split"] = plan.splits.cluster_splits.at(planned.dedup.cluster_id);
  } else {
    line["kind"] = planned.dedup.kind == DuplicateKind::kExact ? "exact" : "near";
    line["representative"] = planned.dedup.representative_id;
  }
  return line;
}

json decontamination_line(const PlannedEntry& planned) {
  const Contamination& found = *planned.contamination;
  return {{"id", planned.entry->id},
          {"benchmark", found.item->file},
          {"item", found.item->index},
          {"item_id", found.item->id},
          {"field", found.field},
          {"reason", found.reason},
          {"jaccard", found.jaccard},
          {"run_tokens", found.run_tokens},
          {"via", planned.contaminated_via.empty() ? json(nullptr) : json(planned.contaminated_via)}};
}

// One line per planned entry of this fate (entries come sorted by id).
Status write_report(const fs::path& path, const DatasetPlan& plan, const std::function<bool(const PlannedEntry&)>& listed,
                    const std::function<json(const PlannedEntry&)>& line) {
  return write_atomically(path, [&](std::ostream& out) {
    for (const PlannedEntry& planned : plan.entries) {
      if (listed(planned)) out << line(planned).dump() << '\n';
    }
  });
}

Status write_files(const DatasetPlan& plan, const DatasetOptions& options, const fs::path& directory) {
  for (const char* split : {"train", "test", "validation"}) {
    Status status = write_report(
        directory / split / "entries.jsonl", plan,
        [&](const PlannedEntry& p) { return p.fate == Fate::kExported && p.split == split; }, exported_entry);
    if (!status) return status;
  }
  Status status = write_report(
      directory / "dedup.jsonl", plan,
      [](const PlannedEntry& p) { return p.fate == Fate::kDuplicate || p.fate == Fate::kClusterSplit; },
      [&](const PlannedEntry& p) { return dedup_line(p, plan); });
  if (!status) return status;
  status = write_report(
      directory / "decontamination.jsonl", plan, [](const PlannedEntry& p) { return p.fate == Fate::kContaminated; },
      decontamination_line);
  if (!status) return status;
  status = write_atomically(directory / kDistributionChart,
                            [&](std::ostream& out) { out << dataset_distribution_svg(plan); });
  if (!status) return status;
  return write_atomically(directory / "README.md",
                          [&](std::ostream& out) { out << dataset_card_markdown(plan, options); });
}

}  // namespace

StatusOr<DatasetCounts> export_dataset(Store& store, const std::string& directory, const DatasetOptions& options) {
  // The plan points into both: they outlive it.
  std::vector<Entry> entries = store.entries();
  std::unordered_map<std::string, Validation> validations = store.latest_validations();
  auto plan = plan_dataset(entries, validations, store.source_order(), store.split_assignments(options.grouping),
                           options);
  if (!plan) return plan.status();
  try {
    store.add_split_assignments(options.grouping, plan->splits.new_assignments);
  } catch (const std::exception& e) {
    return Status::error("export: storing the splits of " + std::to_string(plan->splits.new_assignments.size()) +
                         " new entries: " + e.what());
  }
  if (Status status = write_files(*plan, options, directory); !status) return status;
  return count_plan(*plan);
}

}  // namespace tritonpile::storage
