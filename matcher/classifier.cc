#include "matcher/classifier.h"

#include <set>

#include "extractor/file_extractor.h"

namespace tritonpile::matcher {
namespace {

// tl.* operations that say nothing about what a kernel computes.
const std::set<std::string> kPlumbing = {"tl.load", "tl.store", "tl.arange", "tl.program_id",
                                         "tl.constexpr", "tl.cdiv", "tl.num_programs", "tl.zeros",
                                         "tl.full", "tl.where", "tl.float32", "tl.float16",
                                         "tl.bfloat16", "tl.int32", "tl.int64", "tl.multiple_of",
                                         "tl.max_contiguous", "tl.static_assert", "tl.debug_barrier"};

bool has(const std::set<std::string>& ops, const char* op) { return ops.count(op) > 0; }

std::string operation_type(const std::set<std::string>& ops) {
  bool reduces = has(ops, "tl.sum") || has(ops, "tl.max") || has(ops, "tl.min") || has(ops, "tl.reduce") ||
                 has(ops, "tl.argmax") || has(ops, "tl.argmin") || has(ops, "tl.xor_sum");
  if (has(ops, "tl.dot")) return has(ops, "tl.exp") || has(ops, "tl.exp2") ? "attention" : "matmul";
  if (has(ops, "tl.cumsum") || has(ops, "tl.cumprod") || has(ops, "tl.associative_scan")) return "scan";
  if ((has(ops, "tl.exp") || has(ops, "tl.exp2")) && has(ops, "tl.max") && has(ops, "tl.sum")) return "softmax";
  if ((has(ops, "tl.rsqrt") || has(ops, "tl.sqrt")) && has(ops, "tl.sum")) return "normalization";
  if (reduces) return "reduction";
  return "elementwise";
}

}  // namespace

Classification classify(const std::string& triton_code) {
  auto extraction = extractor::extract_file(triton_code);
  std::set<std::string> ops;
  std::set<std::string> tags;
  int lines = 0, loops = 0;
  bool autotuned = false;
  for (const auto& kernel : extraction.kernels) {
    ops.insert(kernel.tl_ops.begin(), kernel.tl_ops.end());
    lines += kernel.span.end_line - kernel.span.start_line + 1;
    loops += kernel.loops;
    for (const auto& decorator : kernel.decorators) {
      if (decorator.find("autotune") != std::string::npos) autotuned = true;
      if (decorator.find("heuristics") != std::string::npos) tags.insert("heuristics");
    }
  }
  for (const auto& op : ops) {
    if (!kPlumbing.count(op)) tags.insert(op);
  }
  if (autotuned) tags.insert("autotune");
  if (loops > 0) tags.insert("loop");
  if (extraction.kernels.size() > 1) tags.insert("multi-kernel");

  int score = (lines > 40) + (lines > 80) + (loops > 0) + has(ops, "tl.dot") +
              (extraction.kernels.size() > 1) + autotuned;
  Classification out;
  out.operation_type = operation_type(ops);
  out.difficulty = score <= 1 ? "easy" : score <= 3 ? "medium" : "hard";
  out.tags.assign(tags.begin(), tags.end());
  return out;
}

}  // namespace tritonpile::matcher
