// The export as a whole: deduplication, stable splits, decontamination and the card, against
// real SQLite files in scratch directories.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "storage/dataset_card.h"
#include "storage/decontaminate.h"
#include "storage/exporter.h"
#include "storage/store.h"
#include "tests/cpp/test_support.h"

namespace tritonpile::storage {
namespace {

using nlohmann::json;
using tritonpile::testing::read_file;
using tritonpile::testing::TempDir;
using tritonpile::testing::write_file;

constexpr const char* kScaleAddTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def scale_add_kernel(x_ptr, y_ptr, out_ptr, alpha, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(axis=0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    out = x * alpha + y
    tl.store(out_ptr + offsets, out, mask=mask)


def scale_add(x, y, alpha):
    out = torch.empty_like(x)
    n_elements = out.numel()
    grid = lambda meta: (triton.cdiv(n_elements, meta["BLOCK_SIZE"]),)
    scale_add_kernel[grid](x, y, out, alpha, n_elements, BLOCK_SIZE=1024)
    return out
)";

constexpr const char* kScaleAddPython = R"(import torch


def scale_add_reference(x, y, alpha):
    return x * alpha + y
)";

// kScaleAdd with every local renamed, reformatted the way black would, with comments.
constexpr const char* kScaleAddRenamedTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def _axpy(
    a_ptr,
    b_ptr,
    c_ptr,
    scale,
    numel,
    BLOCK_SIZE: tl.constexpr,
):
    # one block of elements per program
    block = tl.program_id(axis=0)
    idx = block * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    in_bounds = idx < numel
    a = tl.load(a_ptr + idx, mask=in_bounds)
    b = tl.load(b_ptr + idx, mask=in_bounds)
    c = a * scale + b
    tl.store(c_ptr + idx, c, mask=in_bounds)


def axpy(a, b, scale):
    c = torch.empty_like(a)
    numel = c.numel()
    grid = lambda meta: (
        triton.cdiv(numel, meta['BLOCK_SIZE']),
    )
    _axpy[grid](
        a, b, c, scale, numel,
        BLOCK_SIZE=1024,
    )
    return c
)";

constexpr const char* kScaleAddRenamedPython = R"(import torch

def torch_axpy(a, b, scale):
    # what the kernel computes
    return a * scale + b
)";

constexpr const char* kRowSumTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def row_sum_kernel(x_ptr, out_ptr, stride, n_cols, BLOCK_SIZE: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0)
    tl.store(out_ptr + row, tl.sum(x, axis=0))


def row_sum(x):
    n_rows, n_cols = x.shape
    out = torch.empty(n_rows, device=x.device, dtype=x.dtype)
    row_sum_kernel[(n_rows,)](x, out, x.stride(0), n_cols, BLOCK_SIZE=triton.next_power_of_2(n_cols))
    return out
)";

constexpr const char* kRowSumPython = R"(import torch


def row_sum_reference(x):
    return x.sum(dim=1)
)";

// Another reduction, also "reduction": the largest magnitude of each row, in two passes.
constexpr const char* kRowAbsMaxTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def absmax_kernel(src, dst, row_stride, width, CHUNK: tl.constexpr):
    r = tl.program_id(0)
    best = tl.zeros([CHUNK], dtype=tl.float32)
    for start in range(0, width, CHUNK):
        offs = start + tl.arange(0, CHUNK)
        vals = tl.load(src + r * row_stride + offs, mask=offs < width, other=0.0)
        best = tl.maximum(best, tl.abs(vals))
    tl.store(dst + r, tl.max(best, axis=0))


def absmax(t):
    rows, width = t.shape
    result = t.new_empty(rows)
    absmax_kernel[(rows,)](t, result, t.stride(0), width, CHUNK=256)
    return result
)";

constexpr const char* kRowAbsMaxPython = R"(import torch


def absmax_reference(t):
    return t.abs().amax(dim=1)
)";

// A family of distinct elementwise kernels: ten statements, statement k of family f applying op
// (f + 3k) % 8 to the value scaled by a constant only that family and statement use, so that
// families share little beyond the boilerplate. variant renames every local and reformats.
std::pair<std::string, std::string> family_member(int family, int variant) {
  static const char* kTritonOps[] = {"tl.exp({})",     "tl.log(tl.abs({}) + 1.0)", "tl.sqrt(tl.abs({}))",
                                     "tl.sigmoid({})", "tl.maximum({}, 0.0)",      "tl.minimum({}, 1.0)",
                                     "{} * {} * 0.5",  "tl.where({} > 0, {}, -{})"};
  static const char* kTorchOps[] = {"torch.exp({})",     "torch.log(torch.abs({}) + 1.0)", "torch.sqrt(torch.abs({}))",
                                    "torch.sigmoid({})", "torch.clamp_min({}, 0.0)",       "torch.clamp_max({}, 1.0)",
                                    "{} * {} * 0.5",     "torch.where({} > 0, {}, -{})"};
  auto fill = [](std::string pattern, const std::string& value) {
    for (size_t at; (at = pattern.find("{}")) != std::string::npos;) pattern.replace(at, 2, value);
    return pattern;
  };
  std::string v = "v" + std::to_string(variant) + "_";
  std::string kernel = "fam" + std::to_string(family) + "_" + v + "kernel";
  std::string sep = variant % 2 ? ",\n        " : ", ";
  std::string triton = "import torch\nimport triton\nimport triton.language as tl\n\n\n@triton.jit\ndef " + kernel +
                       "(" + v + "in" + sep + v + "out" + sep + v + "n" + sep + "BLOCK: tl.constexpr):\n" +
                       "    " + v + "pid = tl.program_id(0)\n" + "    " + v + "offs = " + v +
                       "pid * BLOCK + tl.arange(0, BLOCK)\n" + "    " + v + "mask = " + v + "offs < " + v + "n\n" +
                       "    " + v + "x = tl.load(" + v + "in + " + v + "offs, mask=" + v + "mask)\n";
  std::string python = "import torch\n\n\ndef fam" + std::to_string(family) + "_" + v + "reference(" + v + "x):\n";
  for (int k = 0; k < 10; ++k) {
    std::string scaled = v + "x * " + std::to_string(family * 10 + k + 1) + ".5";
    int op = (family + 3 * k) % 8;
    triton += "    " + v + "x = " + fill(kTritonOps[op], scaled) + (variant % 2 ? "  # step\n" : "\n");
    python += "    " + v + "x = " + fill(kTorchOps[op], scaled) + "\n";
  }
  triton += "    tl.store(" + v + "out + " + v + "offs, " + v + "x, mask=" + v + "mask)\n\n\ndef launch_" + kernel +
            "(" + v + "x):\n    " + v + "y = torch.empty_like(" + v + "x)\n    " + kernel + "[(triton.cdiv(" + v +
            "x.numel(), 256),)](" + v + "x, " + v + "y, " + v + "x.numel(), BLOCK=256)\n    return " + v + "y\n";
  python += "    return " + v + "x\n";
  return {python, triton};
}

struct Spec {
  std::string source;
  std::string name;
  std::string python;
  std::string triton;
  std::string canonical;
  std::string evidence = "naming";
  std::string operation = "elementwise";
  std::string license = "MIT";
  int phase = 3;
};

// A database the tests fill source by source; every commit() re-stores each source's pairs
// and entries whole, as a crawl does.
class Database {
 public:
  explicit Database(const TempDir& dir) : path_(dir.str() + "/t.db") {
    auto opened = Store::open(path_);
    EXPECT_TRUE(opened) << opened.status().message();
    store_ = std::move(*opened);
  }

  static std::string id_of(const Spec& spec) { return spec.source + "/ops.py::" + spec.name; }

  void add(const Spec& spec) { by_source_[spec.source].push_back(spec); }

  void commit() {
    for (const auto& [source, specs] : by_source_) {
      int64_t source_id = store_->upsert_source({source, "local", source, specs.front().license, specs.front().phase});
      std::vector<PairRecord> pairs;
      std::vector<Entry> entries;
      for (const Spec& spec : specs) {
        pairs.push_back({"ops.py", spec.name, spec.name + "_reference", "ops.py", spec.evidence, "ops.py:1", 0.9, "{}"});
        Entry e;
        e.id = id_of(spec);
        e.phase = spec.phase;
        e.python_code = spec.python;
        e.triton_code = spec.triton;
        e.test_code = "def test_it():\n    pass\n";
        e.code_hash = "code-" + e.id;
        e.canonical_hash = spec.canonical;
        e.split = assign_split(spec.canonical);
        e.metadata = {{"operation_type", spec.operation},
                      {"difficulty", "easy"},
                      {"phase", spec.phase},
                      {"source", {{"name", source}, {"license", spec.license}, {"path", "ops.py"}}},
                      {"pairing", {{"evidence", spec.evidence}}}};
        entries.push_back(std::move(e));
      }
      store_->replace_pairs(source_id, pairs, entries);
    }
  }

  void validate(const std::string& id, const std::string& status) {
    store_->add_validation({id, "code-" + id, "test", status, "", "", "interpreter", "2", "3", -1, -1, -1, 0});
  }

  Store& store() { return *store_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<Store> store_;
  std::map<std::string, std::vector<Spec>> by_source_;
};

struct Exported {
  DatasetCounts counts;
  std::map<std::string, json> entries;  // id -> exported line
  std::map<std::string, json> dropped;  // id -> dedup.jsonl line
  std::map<std::string, json> contaminated;
};

std::vector<json> json_lines(const std::filesystem::path& path) {
  std::vector<json> out;
  std::string text = read_file(path);
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    out.push_back(json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

Exported export_to(Database& db, const std::filesystem::path& dir, const DatasetOptions& options = {}) {
  auto counts = export_dataset(db.store(), dir.string(), options);
  EXPECT_TRUE(counts) << counts.status().message();
  Exported out;
  if (!counts) return out;
  out.counts = *counts;
  for (const char* split : {"train", "test", "validation"}) {
    for (const json& line : json_lines(dir / split / "entries.jsonl")) {
      EXPECT_EQ(line["metadata"]["split"], split);
      out.entries.emplace(line["id"], line);
    }
  }
  for (const json& line : json_lines(dir / "dedup.jsonl")) out.dropped.emplace(line["id"], line);
  for (const json& line : json_lines(dir / "decontamination.jsonl")) out.contaminated.emplace(line["id"], line);
  return out;
}

std::string split_of(const Exported& exported, const std::string& id) {
  return exported.entries.at(id)["metadata"]["split"];
}

Spec family_spec(const std::string& source, int family, int variant, const std::string& canonical) {
  auto [python, triton] = family_member(family, variant);
  return {source, "fam" + std::to_string(family) + "_v" + std::to_string(variant), python, triton, canonical};
}

TEST(DatasetExport, RenamedAndReformattedKernelsLandInOneClusterWithOneExported) {
  TempDir dir;
  Database db(dir);
  Spec original{"a", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"};
  Spec copy{"b", "axpy", kScaleAddRenamedPython, kScaleAddRenamedTriton, "h-axpy"};
  db.add(original), db.add(copy);
  db.commit();
  Exported out = export_to(db, dir.path() / "out");
  ASSERT_EQ(out.entries.size(), 1u);
  ASSERT_TRUE(out.entries.contains(Database::id_of(original)));  // source a comes first
  const json& dropped = out.dropped.at(Database::id_of(copy));
  EXPECT_EQ(dropped["kind"], "near");
  EXPECT_EQ(dropped["representative"], Database::id_of(original));
  EXPECT_EQ(dropped["cluster"], out.entries.at(Database::id_of(original))["metadata"]["dedup"]["cluster"]);
  EXPECT_EQ(out.entries.at(Database::id_of(original))["metadata"]["dedup"]["cluster_size"], 2);
  EXPECT_EQ(out.counts.near_dropped, 1);
}

TEST(DatasetExport, UnrelatedKernelsOfTheSameOperationTypeStayApart) {
  TempDir dir;
  Database db(dir);
  db.add({"a", "row_sum", kRowSumPython, kRowSumTriton, "h-sum", "naming", "reduction"});
  db.add({"a", "absmax", kRowAbsMaxPython, kRowAbsMaxTriton, "h-absmax", "naming", "reduction"});
  db.add({"a", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"});
  db.commit();
  Exported out = export_to(db, dir.path() / "out");
  EXPECT_EQ(out.entries.size(), 3u);
  EXPECT_TRUE(out.dropped.empty());
  std::set<std::string> clusters;
  for (const auto& [id, entry] : out.entries) clusters.insert(entry["metadata"]["dedup"]["cluster"]);
  EXPECT_EQ(clusters.size(), 3u);
}

TEST(DatasetExport, ExactDuplicatesNameTheirRepresentative) {
  TempDir dir;
  Database db(dir);
  db.add({"a", "scale_add", kScaleAddPython, kScaleAddTriton, "same"});
  db.add({"b", "scale_add", kScaleAddPython, kScaleAddTriton, "same"});
  db.commit();
  Exported out = export_to(db, dir.path() / "out");
  ASSERT_EQ(out.entries.size(), 1u);
  EXPECT_EQ(out.dropped.at("b/ops.py::scale_add")["kind"], "exact");
  EXPECT_EQ(out.dropped.at("b/ops.py::scale_add")["representative"], "a/ops.py::scale_add");
  EXPECT_EQ(out.counts.exact_dropped, 1);
}

TEST(DatasetExport, RepresentativeIsChosenByStatusThenEvidenceThenSourceOrder) {
  TempDir dir;
  Database db(dir);
  Spec first{"s1", "scale_add", kScaleAddPython, kScaleAddTriton, "h1", "naming"};
  Spec second{"s2", "axpy", kScaleAddRenamedPython, kScaleAddRenamedTriton, "h2", "test-compare"};
  Spec third{"s3", "scale_add", kScaleAddPython, kScaleAddTriton, "h3", "test-compare"};
  db.add(first), db.add(second), db.add(third);
  db.commit();
  // All unvalidated: evidence decides between s1 and s2/s3, then source order between s2 and s3.
  EXPECT_TRUE(export_to(db, dir.path() / "a").entries.contains(Database::id_of(second)));
  // A passed entry beats stronger evidence.
  db.validate(Database::id_of(first), "passed");
  db.validate(Database::id_of(second), "failed");
  Exported out = export_to(db, dir.path() / "b");
  ASSERT_EQ(out.entries.size(), 1u);
  EXPECT_TRUE(out.entries.contains(Database::id_of(first)));
  EXPECT_EQ(out.dropped.at(Database::id_of(third))["representative"], Database::id_of(first));
}

TEST(DatasetExport, AClusterNeverCrossesSplits) {
  TempDir dir;
  Database db(dir);
  for (int family = 0; family < 60; ++family) {
    for (int variant = 0; variant < 3; ++variant) {
      db.add(family_spec("s" + std::to_string(variant), family * 37 % 4096, variant,
                         "h" + std::to_string(family) + "-" + std::to_string(variant)));
    }
  }
  db.commit();
  Exported out = export_to(db, dir.path() / "out");
  auto assigned = db.store().split_assignments(SplitGrouping::kCluster);
  ASSERT_EQ(assigned.size(), 180u);
  std::map<std::string, std::set<std::string>> splits_of_cluster;
  for (const auto& [id, entry] : out.entries) {
    splits_of_cluster[entry["metadata"]["dedup"]["cluster"]].insert(assigned.at(id).split);
  }
  for (const auto& [id, line] : out.dropped) splits_of_cluster[line["cluster"]].insert(assigned.at(id).split);
  for (const auto& [cluster, splits] : splits_of_cluster) EXPECT_EQ(splits.size(), 1u) << cluster;
  // Every family's three renamed copies form one cluster, so each family exports one entry.
  EXPECT_EQ(out.entries.size(), splits_of_cluster.size());
  EXPECT_LE(out.entries.size(), 60u);
  EXPECT_EQ(out.counts.near_dropped, 180 - static_cast<int>(out.entries.size()));
  std::set<std::string> used;
  for (const auto& [split, n] : out.counts.per_split) {
    if (n) used.insert(split);
  }
  EXPECT_GE(used.size(), 2u);
}

TEST(DatasetExport, AddingEntriesNeverMovesAnOldOne) {
  TempDir dir;
  Database db(dir);
  for (int family = 0; family < 40; ++family) db.add(family_spec("old", family * 53 % 4096, 0, "m" + std::to_string(family)));
  db.commit();
  Exported before = export_to(db, dir.path() / "before");
  auto held_before = db.store().split_assignments(SplitGrouping::kCluster);
  ASSERT_EQ(held_before.size(), 40u);

  // Renamed copies whose canonical hashes sort first: every old cluster gets a new id, which
  // alone would hash to another split for some. Other ratios, and new families besides.
  for (int family = 0; family < 40; ++family) db.add(family_spec("new", family * 53 % 4096, 1, "a" + std::to_string(family)));
  for (int family = 40; family < 60; ++family) db.add(family_spec("new", family * 53 % 4096, 1, "a" + std::to_string(family)));
  db.commit();
  DatasetOptions options;
  options.ratios = {0.1, 0.45};
  Exported after = export_to(db, dir.path() / "after", options);
  auto held_after = db.store().split_assignments(SplitGrouping::kCluster);
  ASSERT_EQ(held_after.size(), 100u);
  for (const auto& [id, assigned] : held_before) {
    EXPECT_EQ(held_after.at(id).split, assigned.split) << id;
    EXPECT_EQ(held_after.at(id).seq, assigned.seq) << id;
  }
  int renamed_clusters = 0, would_move = 0;
  for (int family = 0; family < 40; ++family) {
    std::string old_id = Database::id_of(family_spec("old", family * 53 % 4096, 0, ""));
    std::string new_id = Database::id_of(family_spec("new", family * 53 % 4096, 1, ""));
    EXPECT_EQ(held_after.at(new_id).split, held_before.at(old_id).split) << new_id;
    std::string cluster = after.entries.contains(old_id) ? after.entries.at(old_id)["metadata"]["dedup"]["cluster"]
                                                         : after.dropped.at(old_id)["cluster"];
    renamed_clusters += cluster != before.entries.at(old_id)["metadata"]["dedup"]["cluster"].get<std::string>();
    would_move += assign_split_for_cluster(cluster, options.ratios) != held_before.at(old_id).split;
  }
  // The test means something: every old cluster got a new id, and hashing it would move some.
  EXPECT_EQ(renamed_clusters, 40);
  EXPECT_GT(would_move, 0);
  // What each cluster exports is in the split its old members hold.
  for (const auto& [id, line] : after.dropped) {
    EXPECT_EQ(split_of(after, line["representative"]), held_after.at(id).split) << id;
  }
  for (const auto& [id, entry] : before.entries) {
    if (after.entries.contains(id)) {
      EXPECT_EQ(split_of(after, id), split_of(before, id)) << id;
    }
  }
}

TEST(DatasetExport, MembersSplitApartBeforeKeepTheirSplitsAndTheEarliestWins) {
  TempDir dir;
  Database db(dir);
  Spec original{"a", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"};
  Spec copy{"b", "axpy", kScaleAddRenamedPython, kScaleAddRenamedTriton, "h-axpy"};
  db.add(original), db.add(copy);
  db.commit();
  // As if an older tritonpile had seen them apart: the copy was split first, into test.
  db.store().add_split_assignments(SplitGrouping::kCluster, {{Database::id_of(copy), "test"},
                                                             {Database::id_of(original), "train"}});
  Exported out = export_to(db, dir.path() / "out");
  ASSERT_EQ(out.entries.size(), 1u);
  EXPECT_EQ(split_of(out, Database::id_of(copy)), "test");
  const json& dropped = out.dropped.at(Database::id_of(original));
  EXPECT_EQ(dropped["split"], "train");
  EXPECT_EQ(dropped["representative"], Database::id_of(copy));
  EXPECT_EQ(out.counts.bridged_clusters, 1);
  auto held = db.store().split_assignments(SplitGrouping::kCluster);
  EXPECT_EQ(held.at(Database::id_of(original)).split, "train");
}

TEST(DatasetExport, SplitBySourceKeepsEachSourceInOneSplit) {
  TempDir dir;
  Database db(dir);
  for (int source = 0; source < 12; ++source) {
    for (int family = 0; family < 3; ++family) {
      db.add(family_spec("repo" + std::to_string(source), source * 97 + family * 11, family % 2,
                         "h" + std::to_string(source) + "-" + std::to_string(family)));
    }
  }
  db.commit();
  DatasetOptions options;
  options.grouping = SplitGrouping::kSource;
  Exported out = export_to(db, dir.path() / "out", options);
  std::map<std::string, std::set<std::string>> splits_of_source;
  for (const auto& [id, entry] : out.entries) {
    splits_of_source[entry["metadata"]["source"]["name"]].insert(entry["metadata"]["split"]);
  }
  for (const auto& [source, splits] : splits_of_source) {
    EXPECT_EQ(splits.size(), 1u) << source;
    EXPECT_EQ(*splits.begin(), assign_split_for_source(source)) << source;
  }
  EXPECT_TRUE(db.store().split_assignments(SplitGrouping::kCluster).empty());
  EXPECT_EQ(db.store().split_assignments(SplitGrouping::kSource).size(), 36u);
}

TEST(DatasetExport, CuratedNearDuplicatesStayUnlessAsked) {
  TempDir dir;
  Database db(dir);
  db.add({"curated", "scale_add", kScaleAddPython, kScaleAddTriton, "h1", "test-compare", "elementwise", "MIT", 1});
  db.add({"curated", "axpy", kScaleAddRenamedPython, kScaleAddRenamedTriton, "h2", "test-compare", "elementwise", "MIT", 1});
  db.commit();
  Exported kept = export_to(db, dir.path() / "kept");
  EXPECT_EQ(kept.entries.size(), 2u);
  EXPECT_EQ(split_of(kept, "curated/ops.py::scale_add"), split_of(kept, "curated/ops.py::axpy"));
  DatasetOptions options;
  options.near_dedup_all_phases = true;
  EXPECT_EQ(export_to(db, dir.path() / "dropped", options).entries.size(), 1u);
}

TEST(DatasetExport, MinStatusKeepsThatStatusAndBetter) {
  TempDir dir;
  Database db(dir);
  db.add({"a", "row_sum", kRowSumPython, kRowSumTriton, "h-sum"});
  db.add({"a", "absmax", kRowAbsMaxPython, kRowAbsMaxTriton, "h-absmax"});
  db.add({"a", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"});
  db.commit();
  db.validate("a/ops.py::row_sum", "passed");
  db.validate("a/ops.py::absmax", "failed");
  db.validate("a/ops.py::scale_add", "error");
  DatasetOptions options;
  options.filter.min_status = "failed";
  Exported out = export_to(db, dir.path() / "out", options);
  EXPECT_EQ(out.entries.size(), 2u);
  EXPECT_FALSE(out.entries.contains("a/ops.py::scale_add"));
  EXPECT_EQ(out.entries.at("a/ops.py::row_sum")["metadata"]["validation"]["status"], "passed");
  EXPECT_EQ(out.entries.at("a/ops.py::absmax")["metadata"]["validation"]["status"], "failed");
  EXPECT_EQ(out.counts.filtered, 1);
  options.filter.min_status = "passed";
  EXPECT_EQ(export_to(db, dir.path() / "passed", options).entries.size(), 1u);
}

class Decontamination : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(dir_);
    db_->add({"a", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"});
    db_->add({"a", "row_sum", kRowSumPython, kRowSumTriton, "h-sum"});
    db_->add({"a", "absmax", kRowAbsMaxPython, kRowAbsMaxTriton, "h-absmax"});
    db_->commit();
  }

  Exported export_against(const std::string& benchmark_file) {
    auto items = load_benchmark(benchmark_file, {});
    EXPECT_TRUE(items) << items.status().message();
    ContaminationIndex index(std::move(*items), {});
    DatasetOptions options;
    options.benchmarks = &index;
    return export_to(*db_, dir_.path() / "out", options);
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(Decontamination, PlantedRenamedBenchmarkItemIsCaught) {
  std::string file = dir_.str() + "/bench.jsonl";
  json planted = {{"task_id", "Bench/7"}, {"triton_code", kScaleAddRenamedTriton}, {"prompt", "Write axpy."}};
  json unrelated = {{"task_id", "Bench/8"}, {"code", "def f(a):\n    return a.t().contiguous()\n"}};
  write_file(file, unrelated.dump() + "\n" + planted.dump() + "\n");
  Exported out = export_against(file);
  EXPECT_EQ(out.entries.size(), 2u);
  const json& line = out.contaminated.at("a/ops.py::scale_add");
  EXPECT_EQ(line["benchmark"], file);
  EXPECT_EQ(line["item"], 1);
  EXPECT_EQ(line["item_id"], "Bench/7");
  EXPECT_EQ(line["field"], "triton_code");
  EXPECT_EQ(line["reason"], "near-duplicate");
  EXPECT_GE(line["jaccard"].get<double>(), 0.7);
  EXPECT_EQ(out.counts.contaminated.at(file), 1);
}

TEST_F(Decontamination, LongSharedTokenRunInsideOtherCodeIsCaught) {
  // The kernel of row_sum pasted into a bigger, unrelated solution: far from a near duplicate
  // as a whole, but a long run of the same tokens.
  std::string kernel = kRowSumTriton;
  kernel = kernel.substr(kernel.find("@triton.jit"), kernel.find("def row_sum(") - kernel.find("@triton.jit"));
  std::string solution = "import math\n\n\nclass Solver:\n";
  for (int i = 0; i < 30; ++i) {
    solution += "    def step" + std::to_string(i) + "(self, state, k):\n        return math.cos(state * " +
                std::to_string(i) + ") + k ** " + std::to_string(i % 5) + "\n\n";
  }
  solution += kernel;
  json document = {{"problems", {{{"name", "p0"}, {"solution", solution}}}}};
  std::string file = dir_.str() + "/bench.json";
  write_file(file, document.dump(2));
  Exported out = export_against(file);
  const json& line = out.contaminated.at("a/ops.py::row_sum");
  EXPECT_EQ(line["reason"], "shared-token-run");
  EXPECT_GE(line["run_tokens"].get<int>(), 50);
  EXPECT_EQ(line["item_id"], "p0");
  EXPECT_EQ(out.entries.size(), 2u);
}

TEST_F(Decontamination, UnrelatedBenchmarkExcludesNothing) {
  std::string file = dir_.str() + "/bench.json";
  json items = json::array({{{"code", "def add(a, b):\n    return a + b\n"}},
                            {{"code", "import numpy as np\n\ndef mean(x):\n    return np.mean(x)\n"}}});
  write_file(file, items.dump());
  Exported out = export_against(file);
  EXPECT_EQ(out.entries.size(), 3u);
  EXPECT_TRUE(out.contaminated.empty());
}

TEST(DecontaminationFiles, BadFilesAreErrorsNamingThem) {
  TempDir dir;
  std::string broken = dir.str() + "/broken.jsonl";
  write_file(broken, "{\"code\": \"a\\nb\"}\n{not json\n");
  auto items = load_benchmark(broken, {});
  ASSERT_FALSE(items);
  EXPECT_NE(items.status().message().find(broken + ":2"), std::string::npos) << items.status().message();

  std::string no_code = dir.str() + "/no_code.json";
  write_file(no_code, R"([{"question": "what?", "answer": 42}])");
  items = load_benchmark(no_code, {});
  ASSERT_FALSE(items);
  EXPECT_NE(items.status().message().find(no_code), std::string::npos);
  EXPECT_NE(items.status().message().find("no item holds code"), std::string::npos);

  items = load_benchmark(dir.str() + "/missing.json", {});
  ASSERT_FALSE(items);
  EXPECT_NE(items.status().message().find("missing.json"), std::string::npos);
}

TEST(DatasetCard, RepeatedExportIsByteIdenticalAndTheCardCountsIt) {
  TempDir dir;
  Database db(dir);
  db.add({"a", "row_sum", kRowSumPython, kRowSumTriton, "h-sum", "naming", "reduction"});
  db.add({"b", "scale_add", kScaleAddPython, kScaleAddTriton, "h-scale-add"});
  db.add({"c", "axpy", kScaleAddRenamedPython, kScaleAddRenamedTriton, "h-axpy"});
  db.add({"d", "absmax", kRowAbsMaxPython, kRowAbsMaxTriton, "h-absmax", "naming", "reduction", ""});
  db.commit();
  DatasetOptions options;
  options.filter.licenses = permissive_licenses();
  Exported out = export_to(db, dir.path() / "one", options);
  export_to(db, dir.path() / "two", options);
  for (const char* file : {"README.md", "distribution.svg", "dedup.jsonl", "train/entries.jsonl",
                           "test/entries.jsonl", "validation/entries.jsonl"}) {
    EXPECT_EQ(read_file(dir.path() / "one" / file), read_file(dir.path() / "two" / file)) << file;
  }
  std::string card = read_file(dir.path() / "one" / "README.md");
  EXPECT_NE(card.find("](distribution.svg)"), std::string::npos);
  EXPECT_NE(card.find("| reduction |"), std::string::npos);
  EXPECT_NE(card.find("| left out by licence | 1 |"), std::string::npos);
  EXPECT_NE(card.find("| after near deduplication | 2 |"), std::string::npos);
  EXPECT_NE(card.find("| **exported** | **2** |"), std::string::npos);
  std::string svg = read_file(dir.path() / "one" / "distribution.svg");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find(">reduction</text>"), std::string::npos);
  EXPECT_EQ(out.counts.excluded_by_license.at(""), 1);
}

TEST(Splitter, RatiosParseAndScale) {
  auto ratios = parse_split_ratios("80/10/10");
  ASSERT_TRUE(ratios);
  EXPECT_DOUBLE_EQ(ratios->train, 0.8);
  EXPECT_DOUBLE_EQ(ratios->test, 0.1);
  ratios = parse_split_ratios("7/2/1");
  ASSERT_TRUE(ratios);
  EXPECT_DOUBLE_EQ(ratios->train, 0.7);
  for (const char* bad : {"80/10", "a/b/c", "0/50/50", "80/-10/30", "80/10/10/0", ""}) {
    EXPECT_FALSE(parse_split_ratios(bad)) << bad;
  }
}

}  // namespace
}  // namespace tritonpile::storage
