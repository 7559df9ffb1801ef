#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string_view>

#include "storage/dedup.h"
#include "storage/minhash.h"
#include "storage/splitter.h"

namespace tritonpile::storage {
namespace {

constexpr const char* kSoftmaxTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def softmax_kernel(out_ptr, in_ptr, in_row_stride, out_row_stride, n_cols, BLOCK_SIZE: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_row_stride + cols, mask=mask, other=-float("inf"))
    x = x - tl.max(x, axis=0)
    num = tl.exp(x)
    den = tl.sum(num, axis=0)
    tl.store(out_ptr + row * out_row_stride + cols, num / den, mask=mask)


def softmax(x):
    n_rows, n_cols = x.shape
    out = torch.empty_like(x)
    BLOCK_SIZE = triton.next_power_of_2(n_cols)
    num_warps = 4 if BLOCK_SIZE < 2048 else 8
    softmax_kernel[(n_rows,)](out, x, x.stride(0), out.stride(0), n_cols, BLOCK_SIZE=BLOCK_SIZE, num_warps=num_warps)
    return out
)";

constexpr const char* kSoftmaxPython = R"(import torch


def softmax_reference(x):
    x_max = x.max(dim=1, keepdim=True).values
    e = torch.exp(x - x_max)
    return e / e.sum(dim=1, keepdim=True)
)";

// kSoftmax with every local renamed, black-style line breaks, comments and a docstring.
constexpr const char* kSoftmaxRenamedTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def _fused_softmax(
    output_ptr,
    input_ptr,
    input_stride,
    output_stride,
    num_columns,
    BLOCK_SIZE: tl.constexpr,
):
    """Numerically stable softmax over one row per program."""
    pid = tl.program_id(0)
    offsets = tl.arange(0, BLOCK_SIZE)
    valid = offsets < num_columns  # the row may be shorter than the block
    row_vals = tl.load(
        input_ptr + pid * input_stride + offsets,
        mask=valid,
        other=-float('inf'),
    )
    # Subtract the maximum for numerical stability.
    row_vals = row_vals - tl.max(row_vals, axis=0)
    numerator = tl.exp(row_vals)
    denominator = tl.sum(numerator, axis=0)
    tl.store(output_ptr + pid * output_stride + offsets, numerator / denominator, mask=valid)


def fused_softmax(inp):
    rows, cols = inp.shape
    result = torch.empty_like(inp)
    BLOCK_SIZE = triton.next_power_of_2(cols)
    num_warps = 4 if BLOCK_SIZE < 2048 else 8
    _fused_softmax[(rows,)](
        result,
        inp,
        inp.stride(0),
        result.stride(0),
        cols,
        BLOCK_SIZE=BLOCK_SIZE,
        num_warps=num_warps,
    )
    return result
)";

constexpr const char* kSoftmaxRenamedPython = R"(import torch

def torch_softmax(inp):
    # reference implementation
    m = inp.max(dim=1, keepdim=True).values
    ex = torch.exp(inp - m)
    return ex / ex.sum(dim=1, keepdim=True)
)";

constexpr const char* kLayerNormTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def layer_norm_kernel(x_ptr, y_ptr, w_ptr, b_ptr, stride, n_cols, eps, BLOCK_SIZE: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / n_cols
    diff = tl.where(mask, x - mean, 0.0)
    var = tl.sum(diff * diff, axis=0) / n_cols
    rstd = 1.0 / tl.sqrt(var + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    b = tl.load(b_ptr + cols, mask=mask)
    tl.store(y_ptr + row * stride + cols, diff * rstd * w + b, mask=mask)


def layer_norm(x, weight, bias, eps=1e-5):
    n_rows, n_cols = x.shape
    y = torch.empty_like(x)
    BLOCK_SIZE = triton.next_power_of_2(n_cols)
    layer_norm_kernel[(n_rows,)](x, y, weight, bias, x.stride(0), n_cols, eps, BLOCK_SIZE=BLOCK_SIZE)
    return y
)";

constexpr const char* kLayerNormPython = R"(import torch


def layer_norm_reference(x, weight, bias, eps=1e-5):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weight, bias, eps)
)";

constexpr const char* kRowSumTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def row_sum_kernel(x_ptr, out_ptr, stride, n_cols, BLOCK_SIZE: tl.constexpr):
    row = tl.program_id(0)
    acc = tl.zeros([BLOCK_SIZE], dtype=tl.float32)
    for start in range(0, n_cols, BLOCK_SIZE):
        cols = start + tl.arange(0, BLOCK_SIZE)
        acc += tl.load(x_ptr + row * stride + cols, mask=cols < n_cols, other=0.0)
    tl.store(out_ptr + row, tl.sum(acc, axis=0))


def row_sum(x):
    out = torch.empty(x.shape[0], device=x.device, dtype=torch.float32)
    row_sum_kernel[(x.shape[0],)](x, out, x.stride(0), x.shape[1], BLOCK_SIZE=1024)
    return out
)";

constexpr const char* kRowSumPython = R"(import torch


def row_sum_reference(x):
    return x.float().sum(dim=1)
)";

// kRowSum renamed, re-wrapped, and launched with a smaller block.
constexpr const char* kRowSumRenamedTriton = R"(import torch
import triton
import triton.language as tl

@triton.jit
def reduce_rows(src, dst, src_stride, width, BLOCK_SIZE: tl.constexpr):
    r = tl.program_id(0)
    total = tl.zeros([BLOCK_SIZE], dtype=tl.float32)
    for off in range(0, width, BLOCK_SIZE):
        idx = off + tl.arange(0, BLOCK_SIZE)
        total += tl.load(src + r * src_stride + idx,
                         mask=idx < width, other=0.0)
    tl.store(dst + r, tl.sum(total, axis=0))

def sum_rows(t):
    res = torch.empty(t.shape[0], device=t.device, dtype=torch.float32)
    reduce_rows[(t.shape[0],)](t, res, t.stride(0), t.shape[1], BLOCK_SIZE=512)
    return res
)";

// The shape of kRowSum, reducing with max instead.
constexpr const char* kRowMaxTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def row_max_kernel(x_ptr, out_ptr, stride, n_cols, BLOCK_SIZE: tl.constexpr):
    row = tl.program_id(0)
    best = tl.full([BLOCK_SIZE], float("-inf"), dtype=tl.float32)
    for start in range(0, n_cols, BLOCK_SIZE):
        cols = start + tl.arange(0, BLOCK_SIZE)
        vals = tl.load(x_ptr + row * stride + cols, mask=cols < n_cols, other=float("-inf"))
        best = tl.maximum(best, vals)
    tl.store(out_ptr + row, tl.max(best, axis=0))


def row_max(x):
    out = torch.empty(x.shape[0], device=x.device, dtype=torch.float32)
    row_max_kernel[(x.shape[0],)](x, out, x.stride(0), x.shape[1], BLOCK_SIZE=1024)
    return out
)";

constexpr const char* kRowMaxPython = R"(import torch


def row_max_reference(x):
    return x.float().amax(dim=1)
)";

constexpr const char* kAbsMaxTriton = R"(import torch
import triton
import triton.language as tl


@triton.jit
def absmax_kernel(x_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(x_ptr + offs, mask=offs < n_elements, other=0.0)
    tl.atomic_max(out_ptr, tl.max(tl.abs(vals), axis=0))


def absmax(x):
    out = torch.zeros(1, device=x.device, dtype=torch.float32)
    n = x.numel()
    grid = (triton.cdiv(n, 1024),)
    absmax_kernel[grid](x, out, n, BLOCK_SIZE=1024)
    return out
)";

constexpr const char* kAbsMaxPython = R"(import torch


def absmax_reference(x):
    return x.abs().max().reshape(1).float()
)";

DedupItem item(std::string id, const char* python, const char* triton, std::string canonical_hash, int64_t rank = 0) {
  return {std::move(id), python, triton, std::move(canonical_hash), rank};
}

// Softmax twice (renamed), layer norm, row sum twice (renamed), abs-max, and an exact copy of
// layer norm under another id.
std::vector<DedupItem> mixed_items() {
  return {
      item("a/softmax", kSoftmaxPython, kSoftmaxTriton, "h-softmax", 2),
      item("b/softmax", kSoftmaxRenamedPython, kSoftmaxRenamedTriton, "h-softmax-renamed", 1),
      item("a/layer_norm", kLayerNormPython, kLayerNormTriton, "h-layer-norm", 0),
      item("c/layer_norm", kLayerNormPython, kLayerNormTriton, "h-layer-norm", 0),
      item("a/row_sum", kRowSumPython, kRowSumTriton, "h-row-sum", 5),
      item("d/row_sum", kRowSumPython, kRowSumRenamedTriton, "h-row-sum-renamed", 5),
      item("a/absmax", kAbsMaxPython, kAbsMaxTriton, "h-absmax", 0),
  };
}

std::map<std::string, DedupResult> by_id(const std::vector<DedupItem>& items, const DedupOutcome& outcome) {
  std::map<std::string, DedupResult> out;
  for (size_t i = 0; i < items.size(); ++i) out[items[i].id] = outcome.results[i];
  return out;
}

std::map<std::string, DedupResult> dedup_by_id(const std::vector<DedupItem>& items, DedupOptions options = {}) {
  auto outcome = deduplicate(items, options);
  EXPECT_TRUE(outcome) << outcome.status().message();
  return outcome ? by_id(items, *outcome) : std::map<std::string, DedupResult>{};
}

double similarity(const DedupItem& a, const DedupItem& b) {
  MinHashSignature sa, sb;
  const std::string_view ta[] = {a.python_code, a.triton_code}, tb[] = {b.python_code, b.triton_code};
  EXPECT_TRUE(minhash_signature(ta, sa));
  EXPECT_TRUE(minhash_signature(tb, sb));
  return estimated_jaccard(sa, sb);
}

TEST(DedupMinHash, NormalizationIgnoresNamesCommentsStringsAndLayout) {
  EXPECT_EQ(normalized_tokens("y = tl.load(x_ptr + offs, mask=m,)  # load\nprint('a')"),
            normalized_tokens("out=tl.load(\n    src + i,\n    mask=valid\n)\nprint(\"\"\"b\"\"\")"));
}

TEST(DedupMinHash, NormalizationKeepsApiNamesAndNumbers) {
  std::vector<std::string> expected = {"<id>", "=", "<id>", ".", "sum", "(", "<id>", ",", "axis", "=", "0", ")",
                                       "+",    "1e-5"};
  EXPECT_EQ(normalized_tokens("acc = tl.sum(x, axis=0) + 1e-5"), expected);
}

TEST(DedupMinHash, NormalizationKeepsDataFlowAcrossRenames) {
  EXPECT_EQ(normalized_tokens("def f(a, b):\n    return a * b"), normalized_tokens("def g(x, y):\n    return x * y"));
  EXPECT_NE(normalized_tokens("def f(a, b):\n    return a * b"), normalized_tokens("def f(a, b):\n    return a * a"));
}

TEST(DedupMinHash, NamesInDifferentFunctionsAreUnrelated) {
  EXPECT_EQ(normalized_tokens("def f(x):\n    return x\ndef g(x):\n    return x"),
            normalized_tokens("def f(x):\n    return x\ndef g(y):\n    return y"));
}

TEST(DedupMinHash, IdenticalCodeHasIdenticalSignature) {
  EXPECT_EQ(similarity(item("x", kSoftmaxPython, kSoftmaxTriton, ""), item("y", kSoftmaxPython, kSoftmaxTriton, "")),
            1.0);
}

TEST(Dedup, RenamedAndReformattedKernelJoinsItsOriginal) {
  auto results = dedup_by_id(mixed_items());
  EXPECT_EQ(results["a/softmax"].cluster_id, results["b/softmax"].cluster_id);
  EXPECT_EQ(results["b/softmax"].kind, DuplicateKind::kRepresentative);
  EXPECT_EQ(results["a/softmax"].kind, DuplicateKind::kNear);
  EXPECT_EQ(results["a/softmax"].representative_id, "b/softmax");
}

TEST(Dedup, RenamedKernelWithAnotherBlockSizeJoinsItsOriginal) {
  auto results = dedup_by_id(mixed_items());
  EXPECT_EQ(results["a/row_sum"].cluster_id, results["d/row_sum"].cluster_id);
  EXPECT_EQ(results["a/row_sum"].cluster_id, "h-row-sum");
}

TEST(Dedup, SoftmaxAndLayerNormStaySeparate) {
  auto results = dedup_by_id(mixed_items());
  EXPECT_NE(results["a/softmax"].cluster_id, results["a/layer_norm"].cluster_id);
}

TEST(Dedup, DifferentReductionsStaySeparate) {
  auto results = dedup_by_id(mixed_items());
  EXPECT_NE(results["a/row_sum"].cluster_id, results["a/absmax"].cluster_id);
  EXPECT_EQ(results["a/absmax"].kind, DuplicateKind::kRepresentative);
}

TEST(Dedup, ReductionsOfTheSameShapeStaySeparate) {
  std::vector<DedupItem> items = {item("sum", kRowSumPython, kRowSumTriton, "h-sum"),
                                  item("max", kRowMaxPython, kRowMaxTriton, "h-max")};
  auto results = dedup_by_id(items);
  EXPECT_EQ(results["sum"].kind, DuplicateKind::kRepresentative);
  EXPECT_EQ(results["max"].kind, DuplicateKind::kRepresentative);
  EXPECT_LT(similarity(items[0], items[1]), 0.65);
}

TEST(Dedup, UnrelatedKernelsAreFarBelowTheThreshold) {
  auto items = mixed_items();
  EXPECT_LT(similarity(items[0], items[2]), 0.5);  // softmax, layer norm
  EXPECT_LT(similarity(items[4], items[6]), 0.5);  // row sum, abs-max
  EXPECT_GT(similarity(items[0], items[1]), 0.8);  // softmax, renamed softmax
}

TEST(Dedup, SameCanonicalHashIsAnExactDuplicate) {
  std::vector<DedupItem> items = {item("x", kSoftmaxPython, kSoftmaxTriton, "same"),
                                  item("y", kAbsMaxPython, kAbsMaxTriton, "same")};
  auto results = dedup_by_id(items);
  EXPECT_EQ(results["x"].cluster_id, "same");
  EXPECT_EQ(results["y"].cluster_id, "same");
  EXPECT_EQ(results["x"].kind, DuplicateKind::kRepresentative);
  EXPECT_EQ(results["y"].kind, DuplicateKind::kExact);
  EXPECT_EQ(results["y"].representative_id, "x");
}

TEST(Dedup, RepresentativeIsTheLeastRankThenTheLeastId) {
  std::vector<DedupItem> items = {item("p", kLayerNormPython, kLayerNormTriton, "h", 3),
                                  item("q", kLayerNormPython, kLayerNormTriton, "h", 1),
                                  item("r", kLayerNormPython, kLayerNormTriton, "h", 1)};
  auto results = dedup_by_id(items);
  for (const auto& [id, result] : results) EXPECT_EQ(result.representative_id, "q") << id;
  items[0].rank = 0;
  EXPECT_EQ(dedup_by_id(items)["q"].representative_id, "p");
}

TEST(Dedup, EveryClusterHasExactlyOneRepresentative) {
  auto items = mixed_items();
  auto outcome = deduplicate(items);
  ASSERT_TRUE(outcome) << outcome.status().message();
  std::map<std::string, std::set<std::string>> representatives;
  for (size_t i = 0; i < items.size(); ++i) {
    const DedupResult& result = outcome->results[i];
    representatives[result.cluster_id].insert(result.representative_id);
    if (!result.dropped()) {
      EXPECT_EQ(result.representative_id, items[i].id);
    }
  }
  for (const auto& [cluster, ids] : representatives) EXPECT_EQ(ids.size(), 1u) << cluster;
  EXPECT_EQ(outcome->clusters, 4);  // softmax, layer norm, row sum, abs-max
  EXPECT_EQ(outcome->exact_dropped, 1);
  EXPECT_EQ(outcome->near_dropped, 2);
}

TEST(Dedup, ResultDoesNotDependOnInputOrderOrThreads) {
  auto items = mixed_items();
  auto expected = dedup_by_id(items, {.threads = 1});
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(items.begin(), items.end(), rng);
    auto results = dedup_by_id(items, {.threads = 1 + round % 3});
    for (const auto& [id, result] : expected) {
      EXPECT_EQ(results[id].cluster_id, result.cluster_id) << id;
      EXPECT_EQ(results[id].representative_id, result.representative_id) << id;
      EXPECT_EQ(results[id].kind, result.kind) << id;
    }
  }
}

TEST(Dedup, ItemsWithoutCodeAreNeverNearDuplicates) {
  std::vector<DedupItem> items = {item("x", "", "# nothing", ""), item("y", "", "", "")};
  auto results = dedup_by_id(items);
  EXPECT_EQ(results["x"].cluster_id, "x");
  EXPECT_EQ(results["y"].cluster_id, "y");
}

TEST(Dedup, DuplicateIdsAreRejected) {
  std::vector<DedupItem> items = {item("x", "", "", ""), item("x", "", "", "")};
  auto outcome = deduplicate(items);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.status().message().find("'x'"), std::string::npos);
}

TEST(DedupSplit, ClusterOfOneKeepsItsCanonicalHashSplit) {
  for (int i = 0; i < 200; ++i) {
    std::string hash = "hash" + std::to_string(i);
    EXPECT_EQ(assign_split_for_cluster(hash), assign_split(hash));
  }
}

TEST(DedupSplit, GroupingPicksTheKey) {
  std::map<std::string, int> counts;
  for (int i = 0; i < 2000; ++i) {
    std::string source = "source" + std::to_string(i);
    std::string split = assign_grouped_split(SplitGrouping::kSource, "cluster" + std::to_string(i), source);
    EXPECT_EQ(split, assign_split_for_source(source));
    EXPECT_EQ(split, assign_grouped_split(SplitGrouping::kSource, "another cluster", source));
    EXPECT_EQ(assign_grouped_split(SplitGrouping::kCluster, "c" + std::to_string(i), source),
              assign_split_for_cluster("c" + std::to_string(i)));
    ++counts[split];
  }
  EXPECT_NEAR(counts["train"], 1600, 100);
  EXPECT_NEAR(counts["test"], 200, 60);
  EXPECT_NEAR(counts["validation"], 200, 60);
}

}  // namespace
}  // namespace tritonpile::storage
