// Decontamination: finds dataset entries that copy an item of a benchmark (KernelBench,
// HumanEval and the like), so that the dataset does not train on what models are tested on.
//
// A benchmark file is JSON (an array of items, or an object whose array-of-objects values hold
// the items, or one object: one item) or, when named *.jsonl / *.ndjson, one JSON value per line.
// An item's code is every string in it, at any depth, that holds a line break and sits under a
// key in code_fields (default: the common names below); a bare string item with a line break is
// code too. An item's id is its "id", "task_id", "problem_id", "name" or "uuid", when present.
//
// An entry is contaminated by an item when one of its code fields (python_code, triton_code)
//   - near-matches one of the item's code strings: estimated Jaccard similarity of their MinHash
//     signatures (storage/minhash.h) at least `threshold`, found through the same LSH banding;
//   - or shares a run of at least `min_run_tokens` consecutive normalised tokens with one (the
//     shingles' tokens, so renaming and reformatting do not hide a copy), found by hashing every
//     window of that many tokens.
// Comparing field against field, not whole entries, catches a benchmark's PyTorch reference
// copied next to a Triton kernel it never had.
//
// Thread-safe once built: find() only reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "storage/minhash.h"

namespace tritonpile::storage {

struct DecontaminationOptions {
  std::vector<std::string> code_fields = {"code",       "python_code",        "triton_code", "pytorch_code",
                                          "solution",   "canonical_solution", "prompt",      "reference",
                                          "reference_code", "test",           "tests",       "kernel",
                                          "src",        "source"};
  double threshold = 0.7;
  int min_run_tokens = 50;
};

struct BenchmarkItem {
  std::string file;
  int index = 0;   // position among the file's items, from 0
  std::string id;  // the item's own id, "" when it has none
  std::vector<std::string> texts;
};

// Reads one benchmark file. Fails naming the file (and line, for JSONL) when it cannot be read
// or parsed, or when no item holds any code.
StatusOr<std::vector<BenchmarkItem>> load_benchmark(const std::string& path, const DecontaminationOptions& options);

// load_benchmark for each path, items in path order.
StatusOr<std::vector<BenchmarkItem>> load_benchmarks(const std::vector<std::string>& paths,
                                                     const DecontaminationOptions& options);

struct Contamination {
  const BenchmarkItem* item = nullptr;
  std::string field;   // the entry's field: python_code | triton_code
  std::string reason;  // near-duplicate | shared-token-run
  double jaccard = 0;  // estimated similarity of the closest pair of texts
  int run_tokens = 0;  // the longest shared run of normalised tokens (0: below min_run_tokens)
};

class ContaminationIndex {
 public:
  ContaminationIndex(std::vector<BenchmarkItem> items, DecontaminationOptions options);

  // The item the entry's code copies most, if any: near-duplicates first, then the longest run.
  std::optional<Contamination> find(std::string_view python_code, std::string_view triton_code) const;

  const std::vector<BenchmarkItem>& items() const { return items_; }
  const DecontaminationOptions& options() const { return options_; }

 private:
  struct Text {
    uint32_t item;
    MinHashSignature signature;
  };
  void check_field(std::string_view field, std::string_view code, std::optional<Contamination>& best) const;

  std::vector<BenchmarkItem> items_;
  DecontaminationOptions options_;
  std::vector<Text> texts_;
  std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>> bands_;   // band key -> texts
  std::unordered_map<uint64_t, std::vector<uint32_t>> windows_;             // token window -> texts
};

}  // namespace tritonpile::storage
