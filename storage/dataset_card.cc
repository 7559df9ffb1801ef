#include "storage/dataset_card.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "storage/bar_chart.h"
#include "storage/minhash.h"

namespace tritonpile::storage {
namespace {

constexpr std::array<const char*, 3> kSplits = {"train", "test", "validation"};
constexpr size_t kMostSources = 15;  // the chart and table show these, then one "others" row

using Counts = std::array<int, 3>;  // per split, in kSplits order
using Rows = std::vector<std::pair<std::string, Counts>>;

int split_index(const std::string& split) {
  for (size_t i = 0; i < kSplits.size(); ++i) {
    if (split == kSplits[i]) return static_cast<int>(i);
  }
  return 0;
}

int total(const Counts& counts) { return std::accumulate(counts.begin(), counts.end(), 0); }

std::string metadata_string(const Entry& entry, const char* key) {
  auto it = entry.metadata.find(key);
  return it != entry.metadata.end() && it->is_string() ? it->get<std::string>() : "unknown";
}

std::string phase_label(int phase) {
  switch (phase) {
    case 1: return "1 (curated)";
    case 2: return "2 (template)";
    case 3: return "3 (crawled)";
    default: return std::to_string(phase);
  }
}

std::string cluster_size_label(int size) {
  if (size == 1) return "1 (unique)";
  if (size == 2) return "2";
  if (size <= 4) return "3-4";
  if (size <= 9) return "5-9";
  if (size <= 99) return "10-99";
  return "100+";
}

// Exported entries counted per split by a key; rows in `order` where given (others after, by
// name), else by total, largest first, then by name.
Rows tally(const DatasetPlan& plan, const std::function<std::string(const PlannedEntry&)>& key,
           const std::vector<std::string>& order = {}) {
  std::map<std::string, Counts> counts;
  for (const PlannedEntry& planned : plan.entries) {
    if (planned.fate == Fate::kExported) ++counts[key(planned)][split_index(planned.split)];
  }
  Rows rows(counts.begin(), counts.end());
  auto position = [&](const std::string& value) {
    return std::find(order.begin(), order.end(), value) - order.begin();
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    if (!order.empty()) return position(a.first) < position(b.first);
    return total(a.second) > total(b.second);
  });
  return rows;
}

// The first `most` rows, the rest summed into one.
Rows with_others(Rows rows, size_t most, const std::string& what) {
  if (rows.size() <= most) return rows;
  Counts rest{};
  for (size_t i = most; i < rows.size(); ++i) {
    for (size_t s = 0; s < rest.size(); ++s) rest[s] += rows[i].second[s];
  }
  std::string label = std::to_string(rows.size() - most) + " other " + what;
  rows.resize(most);
  rows.emplace_back(label, rest);
  return rows;
}

struct Dimension {
  std::string title;
  Rows rows;
};

std::vector<Dimension> dimensions(const DatasetPlan& plan) {
  auto entry_key = [](const char* key) {
    return [key](const PlannedEntry& planned) { return metadata_string(*planned.entry, key); };
  };
  auto source = [](const PlannedEntry& planned) {
    const auto& metadata = planned.entry->metadata;
    return metadata.contains("source") && metadata["source"].contains("name") ? metadata["source"]["name"].get<std::string>()
                                                                             : "unknown";
  };
  auto status = [](const PlannedEntry& planned) {
    std::string status = latest_status(planned.validation);
    return status.empty() ? "not validated" : status;
  };
  return {
      {"Phase", tally(plan, [](const PlannedEntry& p) { return phase_label(p.entry->phase); },
                      {"1 (curated)", "2 (template)", "3 (crawled)"})},
      {"Operation type", tally(plan, entry_key("operation_type"))},
      {"Difficulty", tally(plan, entry_key("difficulty"), {"easy", "medium", "hard"})},
      {"Source", with_others(tally(plan, source), kMostSources, "sources")},
      {"Validation status", tally(plan, status, {"passed", "failed", "error", "skipped", "not validated"})},
      {"Cluster size (entries each exported entry stands for)",
       tally(plan, [](const PlannedEntry& p) { return cluster_size_label(p.cluster_size); },
             {"1 (unique)", "2", "3-4", "5-9", "10-99", "100+"})},
  };
}

std::string percent(double fraction) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%g", fraction * 100);
  return buffer;
}

std::string markdown_table(const std::string& what, const Rows& rows) {
  std::string out = "| " + what + " | train | test | validation | total |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [label, counts] : rows) {
    out += "| " + label;
    for (int count : counts) out += " | " + std::to_string(count);
    out += " | " + std::to_string(total(counts)) + " |\n";
  }
  return out;
}

std::string filters_line(const EntryFilter& filter) {
  std::string out;
  if (filter.phase) out += "phase " + std::to_string(filter.phase) + "; ";
  if (!filter.status.empty()) out += "validation status " + filter.status + "; ";
  if (!filter.min_status.empty()) out += "validation status at least " + filter.min_status + "; ";
  std::string licenses;
  for (const auto& license : filter.licenses) licenses += (licenses.empty() ? "" : ", ") + license;
  out += filter.licenses.empty() ? "any licence" : "licences " + licenses;
  return out;
}

std::string how_made(const DatasetOptions& options, const DatasetCounts& counts) {
  const SplitRatios& r = options.ratios;
  std::string out = "## How it was made\n\n";
  out += "- **Filters**: " + filters_line(options.filter) + ".\n";
  out += "- **Deduplication**: exact duplicates share a canonical hash; near duplicates have a MinHash "
         "estimated Jaccard similarity of at least " + percent(options.dedup.threshold) + "% over normalised "
         "token " + std::to_string(kMinHashShingleSize) + "-grams of both code fields (" +
         std::to_string(kMinHashPermutations) + " permutations, LSH " + std::to_string(kLshBands) + " bands of " +
         std::to_string(kLshRowsPerBand) + " rows). Clusters are joined transitively; each exports one "
         "representative, chosen by validation status, evidence strength, licence, then source order. "
         "`dedup.jsonl` names the representative of every dropped entry.\n";
  out += "- **Splits**: train/test/validation " + percent(r.train) + "/" + percent(r.test) + "/" +
         percent(1 - r.train - r.test) + "%, assigned per " +
         (options.grouping == SplitGrouping::kSource ? std::string("source repository") : "duplicate cluster") +
         " the first time an entry is exported and never changed after; a new member of a cluster joins the "
         "split of the cluster's earliest member.\n";
  out += "- **Decontamination**: ";
  if (!options.benchmarks) {
    out += "not run.\n";
  } else {
    std::set<std::string> files;
    for (const auto& item : options.benchmarks->items()) files.insert(item.file);
    std::string names;
    for (const auto& file : files) names += (names.empty() ? "`" : ", `") + file + "`";
    const DecontaminationOptions& decontamination = options.benchmarks->options();
    out += "entries whose code near-matches (MinHash, Jaccard >= " + percent(decontamination.threshold) +
           "%) or shares a run of " + std::to_string(decontamination.min_run_tokens) +
           " or more normalised tokens with an item of " + names + " are left out with their whole cluster; `decontamination.jsonl` "
           "lists them. " + std::to_string(std::accumulate(counts.contaminated.begin(), counts.contaminated.end(), 0,
                                                            [](int sum, const auto& kv) { return sum + kv.second; })) +
           " entries left out.\n";
  }
  return out + "\n";
}

std::string funnel(const DatasetCounts& counts) {
  int licence = 0, contaminated = 0;
  for (const auto& [license, n] : counts.excluded_by_license) licence += n;
  for (const auto& [file, n] : counts.contaminated) contaminated += n;
  int before = counts.stored - counts.filtered - licence - contaminated;
  std::string out = "## From the database to the dataset\n\n| step | entries |\n|---|---:|\n";
  out += "| stored (current) | " + std::to_string(counts.stored) + " |\n";
  out += "| left out by phase/status filters | " + std::to_string(counts.filtered) + " |\n";
  out += "| left out by licence | " + std::to_string(licence) + " |\n";
  out += "| left out by decontamination | " + std::to_string(contaminated) + " |\n";
  out += "| before deduplication | " + std::to_string(before) + " |\n";
  out += "| after exact deduplication | " + std::to_string(before - counts.exact_dropped) + " |\n";
  out += "| after near deduplication | " + std::to_string(before - counts.exact_dropped - counts.near_dropped) + " |\n";
  if (counts.cluster_split) {
    out += "| left out: their cluster belongs to another split | " + std::to_string(counts.cluster_split) + " |\n";
  }
  out += "| **exported** | **" + std::to_string(counts.exported) + "** |\n\n";
  if (!counts.excluded_by_license.empty()) {
    out += "| licence left out | entries |\n|---|---:|\n";
    for (const auto& [license, n] : counts.excluded_by_license) {
      out += "| " + (license.empty() ? std::string("(none)") : license) + " | " + std::to_string(n) + " |\n";
    }
    out += "\n";
  }
  if (!counts.contaminated.empty()) {
    out += "| benchmark | entries left out |\n|---|---:|\n";
    for (const auto& [file, n] : counts.contaminated) out += "| `" + file + "` | " + std::to_string(n) + " |\n";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string dataset_card_markdown(const DatasetPlan& plan, const DatasetOptions& options) {
  DatasetCounts counts = count_plan(plan);
  std::string out = "# tritonpile dataset\n\n";
  out += "Pairs of a PyTorch reference and a Triton implementation of the same operation, each with a pytest "
         "module that compares the two on seeded inputs. " + std::to_string(counts.exported) + " entries: " +
         std::to_string(counts.per_split["train"]) + " train, " + std::to_string(counts.per_split["test"]) +
         " test, " + std::to_string(counts.per_split["validation"]) + " validation.\n\n";
  out += std::string("![Entries per phase, operation type, difficulty, source, validation status and cluster size, "
                     "stacked by split](") + kDistributionChart + ")\n\n";
  out += "## Files\n\n| file | holds |\n|---|---|\n"
         "| `train/entries.jsonl`, `test/entries.jsonl`, `validation/entries.jsonl` | one entry per line, sorted by "
         "id: `id`, `python_code`, `triton_code`, `test_code`, `metadata` |\n"
         "| `dedup.jsonl` | one line per entry left out as a duplicate: `id`, `representative`, `kind` (exact, near "
         "or cluster-split), `cluster`, `split` |\n"
         "| `decontamination.jsonl` | one line per entry left out as benchmark contamination: `id`, `benchmark`, "
         "`item`, `item_id`, `reason`, `jaccard`, `run_tokens`, `via` |\n"
         "| `distribution.svg` | the chart above |\n\n"
         "Save an entry's `python_code` as `reference.py` and its `triton_code` as `triton_impl.py` beside its "
         "`test_code`, and plain `pytest` re-validates it. Load a split with `datasets.load_dataset(\"json\", "
         "data_files=\"train/entries.jsonl\")` or line by line with `json.loads`.\n\n";
  out += how_made(options, counts);
  out += "## Entries per split\n\n| split | entries |\n|---|---:|\n";
  for (const char* split : kSplits) out += std::string("| ") + split + " | " + std::to_string(counts.per_split[split]) + " |\n";
  out += "| total | " + std::to_string(counts.exported) + " |\n\n";
  for (const Dimension& dimension : dimensions(plan)) {
    out += "## " + dimension.title + "\n\n" + markdown_table(dimension.title, dimension.rows) + "\n";
  }
  out += funnel(counts);
  return out;
}

std::string dataset_distribution_svg(const DatasetPlan& plan) {
  std::vector<BarChartPanel> panels;
  for (Dimension& dimension : dimensions(plan)) {
    BarChartPanel panel{dimension.title, {}, {}};
    for (auto& [label, counts] : dimension.rows) {
      panel.labels.push_back(label);
      panel.segments.emplace_back(counts.begin(), counts.end());
    }
    panels.push_back(std::move(panel));
  }
  DatasetCounts counts = count_plan(plan);
  return stacked_bar_chart_svg("tritonpile dataset: " + std::to_string(counts.exported) + " entries",
                               {kSplits.begin(), kSplits.end()}, panels);
}

}  // namespace tritonpile::storage
