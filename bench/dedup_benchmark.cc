// Dedup benchmark: generates kernel-sized entries (default 100,000) in families, deduplicates
// them with storage/dedup.h, and prints the time, the peak RSS, the clusters and what was
// dropped, against the targets (under 30 s and 2 GiB on a 2-core machine).
//
//     build/bench/dedup_benchmark [entries] [threads]
//
// A family is a randomly composed elementwise kernel with its launcher and PyTorch reference
// (~40 lines). Its members are copies with every name changed, reformatted (parameter lists
// and calls broken over lines, comments, docstrings, indentation), a changed block size or
// constant, now and then one statement replaced, and some verbatim copies (exact duplicates).
// Since each entry knows its family, the benchmark also counts clusters that mix families and
// families split over several clusters.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "common/hash.h"
#include "storage/dedup.h"

namespace tritonpile::storage {
namespace {

constexpr double kTargetSeconds = 30;
constexpr double kTargetMiB = 2048;

// A statement of the kernel body and its PyTorch twin: $0 is the result, $1 and $2 earlier
// values, $C a constant (or the kernel's scalar parameter).
struct Op {
  const char* triton;
  const char* torch;
};

constexpr Op kOps[] = {
    {"$0 = tl.exp($1)", "$0 = torch.exp($1)"},
    {"$0 = tl.log(tl.abs($1) + $C)", "$0 = torch.log(torch.abs($1) + $C)"},
    {"$0 = tl.sqrt(tl.abs($1))", "$0 = torch.sqrt(torch.abs($1))"},
    {"$0 = tl.sigmoid($1)", "$0 = torch.sigmoid($1)"},
    {"$0 = tl.maximum($1, $2)", "$0 = torch.maximum($1, $2)"},
    {"$0 = tl.minimum($1, $2)", "$0 = torch.minimum($1, $2)"},
    {"$0 = tl.where($1 > $2, $1, $2 * $C)", "$0 = torch.where($1 > $2, $1, $2 * $C)"},
    {"$0 = $1 * $2", "$0 = $1 * $2"},
    {"$0 = $1 + $2 * $C", "$0 = $1 + $2 * $C"},
    {"$0 = $1 - $2", "$0 = $1 - $2"},
    {"$0 = $1 / ($2 * $2 + $C)", "$0 = $1 / ($2 * $2 + $C)"},
    {"$0 = $1 * $C + $2", "$0 = $1 * $C + $2"},
    {"$0 = tl.cos($1) * $2", "$0 = torch.cos($1) * $2"},
    {"$0 = tl.sin($1) + $2", "$0 = torch.sin($1) + $2"},
    {"$0 = $1 * tl.sigmoid($1 * $C)", "$0 = $1 * torch.sigmoid($1 * $C)"},
    {"$0 = tl.clamp($1, -$C, $C)", "$0 = torch.clamp($1, -$C, $C)"},
    {"$0 = ($1 > $C).to(tl.float32) * $2", "$0 = ($1 > $C).float() * $2"},
    {"$0 = tl.erf($1 * $C)", "$0 = torch.erf($1 * $C)"},
    {"$0 = tl.abs($1 - $2)", "$0 = torch.abs($1 - $2)"},
    {"$0 = $1 * $1 * $C", "$0 = $1 * $1 * $C"},
    {"$0 = tl.exp(-$1 * $1) * $2", "$0 = torch.exp(-$1 * $1) * $2"},
    {"$0 = tl.math.rsqrt($1 * $1 + $C)", "$0 = torch.rsqrt($1 * $1 + $C)"},
    {"$0 = tl.floor($1 * $C)", "$0 = torch.floor($1 * $C)"},
    {"$0 = tl.fma($1, $2, $C)", "$0 = $1 * $2 + $C"},
    {"$0 = tl.exp2($1 * $C)", "$0 = torch.exp2($1 * $C)"},
    {"$0 = tl.log2(1.0 + tl.abs($1))", "$0 = torch.log2(1.0 + torch.abs($1))"},
    {"$0 = 1.0 / (1.0 + tl.exp(-$1))", "$0 = 1.0 / (1.0 + torch.exp(-$1))"},
    {"$0 = tl.minimum(tl.maximum($1, 0.0), $C)", "$0 = torch.clamp($1, 0.0, $C)"},
    {"$0 = ($1 - $2) * ($1 - $2)", "$0 = ($1 - $2) * ($1 - $2)"},
    {"$0 = $1.to(tl.float16).to(tl.float32)", "$0 = $1.half().float()"},
    {"$0 = tl.where($1 > 0, $1, $1 * $C)", "$0 = torch.where($1 > 0, $1, $1 * $C)"},
    {"$0 = tl.ceil($1) - $2", "$0 = torch.ceil($1) - $2"},
    {"$0 = 0.5 * $1 * (1.0 + tl.erf($1 * 0.7071067811865476))",
     "$0 = 0.5 * $1 * (1.0 + torch.erf($1 * 0.7071067811865476))"},
    {"$0 = tl.cos($1 * $C) + tl.sin($2 * $C)", "$0 = torch.cos($1 * $C) + torch.sin($2 * $C)"},
};
constexpr int kOpCount = std::size(kOps);
// A row-wise family reduces the row once, somewhere in its body.
constexpr Op kReductions[] = {
    {"$0 = tl.sum($1, axis=0)", "$0 = $1.sum(dim=-1, keepdim=True)"},
    {"$0 = tl.max($1, axis=0)", "$0 = $1.amax(dim=-1, keepdim=True)"},
    {"$0 = tl.min($1, axis=0)", "$0 = $1.amin(dim=-1, keepdim=True)"},
    {"$0 = tl.sum($1 * $1, axis=0) / $C", "$0 = ($1 * $1).sum(dim=-1, keepdim=True) / $C"},
};
constexpr const char* kConstants[] = {"0.5", "2.0", "1e-6", "0.1", "3.0", "0.044715", "1.702", "0.25", "6.0", "0.01"};
constexpr const char* kBlockSizes[] = {"256", "512", "1024", "2048"};
constexpr const char* kSyllables[] = {"inp", "out", "src", "dst", "tmp", "val", "acc", "buf", "res", "ptr",
                                      "idx", "off", "blk", "a",   "b",   "x",   "y",   "z",   "q",   "row"};

// One elementwise pass, one program per row with a row reduction, or a loop accumulating blocks.
enum class Shape { kElementwise, kRowwise, kLoop };

constexpr int kReduce = -1;  // Statement::op of a row-wise family's reduction
constexpr int kScalar = -1;  // Statement::constant naming the kernel's scalar parameter

struct Statement {
  int op;    // into kOps, or kReduce
  int a, b;  // earlier values: the loads, then the results of earlier statements
  int constant;
};

struct Family {
  Shape shape;
  int inputs;  // 1 to 3 tensors
  int reduction;
  bool scalar, autotune, axis_keyword, cast_loads, lambda_grid, num_warps;
  std::vector<Statement> body;
  int block_size;
};

// The names a member gives to each role; the values (loads, then statement results) follow.
enum Role {
  kKernel, kIn0, kIn1, kIn2, kOut, kN, kStride, kAlpha, kPid, kOffs, kMask, kAcc, kStart,
  kLauncher, kX0, kX1, kX2, kO, kNumel, kGrid, kRows, kCols, kBlock, kRef, kRoles
};

struct Style {
  bool multiline_params, multiline_launch, comments, docstring, single_quotes;
  std::string indent;
};

using Rng = std::mt19937_64;

int pick(Rng& rng, int n) { return static_cast<int>(rng() % n); }
bool chance(Rng& rng, double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; }

Statement random_statement(Rng& rng, int values, bool scalar) {
  int constant = scalar && chance(rng, 0.3) ? kScalar : pick(rng, std::size(kConstants));
  return {pick(rng, kOpCount), values - 1 - pick(rng, std::min(values, 3)), pick(rng, values), constant};
}

Family random_family(Rng& rng) {
  Family f;
  f.shape = static_cast<Shape>(pick(rng, 3));
  f.inputs = 1 + pick(rng, 3);
  f.reduction = pick(rng, std::size(kReductions));
  f.scalar = chance(rng, 0.4), f.autotune = chance(rng, 0.2), f.axis_keyword = chance(rng, 0.5);
  f.cast_loads = chance(rng, 0.3), f.lambda_grid = chance(rng, 0.5), f.num_warps = chance(rng, 0.3);
  int length = 6 + pick(rng, 11);
  int reduce_at = f.shape == Shape::kRowwise ? 1 + pick(rng, length - 1) : -1;
  for (int i = 0; i < length; ++i) {
    int values = f.inputs + i;
    f.body.push_back(i == reduce_at ? Statement{kReduce, values - 1, 0, 2} : random_statement(rng, values, f.scalar));
  }
  f.block_size = pick(rng, std::size(kBlockSizes));
  return f;
}

// A member: the family with changed constants, block size or one statement, now and then.
Family mutate(const Family& family, Rng& rng) {
  Family member = family;
  if (chance(rng, 0.3)) member.block_size = pick(rng, std::size(kBlockSizes));
  for (Statement& statement : member.body) {
    if (chance(rng, 0.05) && statement.constant != kScalar) statement.constant = pick(rng, std::size(kConstants));
  }
  int i = pick(rng, member.body.size());
  if (chance(rng, 0.1) && member.body[i].op != kReduce) {
    member.body[i] = random_statement(rng, member.inputs + i, member.scalar);
  }
  return member;
}

std::vector<std::string> canonical_names(size_t values) {
  std::vector<std::string> names = {
      "fused_kernel", "x_ptr", "y_ptr", "z_ptr", "out_ptr", "n_elements", "stride", "alpha",  "pid", "offsets",
      "mask",         "acc",   "start", "fused", "x",     "y",     "z",       "out",    "n",    "grid",
      "rows",         "cols",  "BLOCK", "fused_reference"};
  for (size_t i = 0; i < values; ++i) names.push_back("v" + std::to_string(i));
  return names;
}

std::vector<std::string> random_names(size_t count, Rng& rng) {
  std::set<std::string> used;
  std::vector<std::string> names;
  while (names.size() < count) {
    std::string name = kSyllables[pick(rng, std::size(kSyllables))];
    for (int parts = pick(rng, 3); parts > 0; --parts) {
      name += std::string("_") + kSyllables[pick(rng, std::size(kSyllables))];
    }
    if (chance(rng, 0.3)) name += std::to_string(pick(rng, 10));
    if (used.insert(name).second) names.push_back(name);
  }
  return names;
}

Style random_style(Rng& rng) {
  return {chance(rng, 0.5), chance(rng, 0.5), chance(rng, 0.4), chance(rng, 0.3), chance(rng, 0.5),
          chance(rng, 0.8) ? "    " : "  "};
}

// Writes one member of a family: its triton_code and python_code.
class Writer {
 public:
  Writer(const Family& family, const std::vector<std::string>& names, const Style& style)
      : f_(family), names_(names), style_(style) {}

  std::string triton_code() const {
    std::string code = "import torch\nimport triton\nimport triton.language as tl\n\n\n";
    if (f_.autotune) {
      code += "@triton.autotune(configs=[triton.Config({" + quoted("BLOCK_SIZE") + ": 256}), triton.Config({" +
              quoted("BLOCK_SIZE") + ": 1024})], key=[" + quoted("n_elements") + "])\n";
    }
    code += "@triton.jit\ndef " + names_[kKernel] + "(" + join(kernel_params(), "", style_.multiline_params) + "):\n";
    const std::string& in = style_.indent;
    if (style_.docstring) code += in + "\"\"\"Fused epilogue over " + shape_words() + ".\"\"\"\n";
    code += kernel_body();
    code += "\n\ndef " + names_[kLauncher] + "(" + join(tensor_args(), "", false) + scalar_param() + "):\n";
    code += launcher_body();
    return code;
  }

  std::string python_code() const {
    const std::string& in = style_.indent;
    std::string code =
        "import torch\n\n\ndef " + names_[kRef] + "(" + join(tensor_args(), "", false) + scalar_param() + "):\n";
    if (style_.comments) code += in + "# eager PyTorch, same math as the kernel\n";
    for (int j = 0; j < f_.inputs; ++j) code += in + value(j) + " = " + names_[kX0 + j] + ".float()\n";
    for (size_t i = 0; i < f_.body.size(); ++i) code += in + statement(i, /*triton=*/false) + "\n";
    std::string result = value(last_value());
    code += in + "return " + (f_.shape == Shape::kLoop ? result + ".sum(dim=1)" : result) + "\n";
    return code;
  }

 private:
  const std::string& value(int v) const { return names_[kRoles + v]; }
  int last_value() const { return f_.inputs + static_cast<int>(f_.body.size()) - 1; }
  std::string quoted(const std::string& text) const {
    const char* quote = style_.single_quotes ? "'" : "\"";
    return quote + text + quote;
  }
  std::string shape_words() const {
    if (f_.shape == Shape::kElementwise) return "blocks of elements";
    return f_.shape == Shape::kRowwise ? "one row" : "a loop of blocks";
  }
  std::string scalar_param() const { return f_.scalar ? ", " + names_[kAlpha] : ""; }

  std::vector<std::string> tensor_args() const {
    std::vector<std::string> args;
    for (int j = 0; j < f_.inputs; ++j) args.push_back(names_[kX0 + j]);
    return args;
  }

  std::vector<std::string> kernel_params() const {
    std::vector<std::string> params;
    for (int j = 0; j < f_.inputs; ++j) params.push_back(names_[kIn0 + j]);
    params.push_back(names_[kOut]);
    if (f_.shape == Shape::kRowwise) params.push_back(names_[kStride]);
    params.push_back(names_[kN]);
    if (f_.scalar) params.push_back(names_[kAlpha]);
    params.push_back("BLOCK_SIZE: tl.constexpr");
    return params;
  }

  std::string join(const std::vector<std::string>& args, const std::string& indent, bool multiline) const {
    std::string out;
    for (size_t i = 0; i < args.size(); ++i) {
      out += multiline ? "\n" + indent + style_.indent + args[i] + "," : (i ? ", " : "") + args[i];
    }
    return multiline ? out + "\n" + indent : out;
  }

  std::string statement(size_t i, bool triton) const {
    const Statement& s = f_.body[i];
    const Op& op = s.op == kReduce ? kReductions[f_.reduction] : kOps[s.op];
    std::string constant = s.constant == kScalar ? names_[kAlpha]
                           : s.op == kReduce     ? names_[triton ? kN : kCols]
                                                 : kConstants[s.constant];
    std::string out;
    for (const char* p = triton ? op.triton : op.torch; *p; ++p) {
      if (*p != '$') {
        out += *p;
        continue;
      }
      char which = *++p;
      out += which == '0' ? value(f_.inputs + i) : which == '1' ? value(s.a) : which == '2' ? value(s.b) : constant;
    }
    return out;
  }

  std::string load(int j, const std::string& offset) const {
    std::string text = "tl.load(" + names_[kIn0 + j] + " + " + offset + ", mask=" + names_[kMask] +
                       (f_.shape == Shape::kElementwise ? "" : ", other=0.0") + ")";
    return f_.cast_loads ? text + ".to(tl.float32)" : text;
  }

  std::string program_id() const { return f_.axis_keyword ? "tl.program_id(axis=0)" : "tl.program_id(0)"; }

  std::string kernel_body() const {
    const std::string& in = style_.indent;
    std::string deep = f_.shape == Shape::kLoop ? in + in : in;
    std::string code = in + names_[kPid] + " = " + program_id() + "\n";
    std::string offset = names_[kOffs];
    if (f_.shape == Shape::kElementwise) {
      code += in + names_[kOffs] + " = " + names_[kPid] + " * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)\n";
    } else if (f_.shape == Shape::kRowwise) {
      code += in + names_[kOffs] + " = tl.arange(0, BLOCK_SIZE)\n";
      offset = names_[kPid] + " * " + names_[kStride] + " + " + names_[kOffs];
    } else {
      code += in + names_[kAcc] + " = tl.zeros([BLOCK_SIZE], dtype=tl.float32)\n";
      code += in + "for " + names_[kStart] + " in range(0, " + names_[kN] + ", BLOCK_SIZE):\n";
      code += deep + names_[kOffs] + " = " + names_[kStart] + " + tl.arange(0, BLOCK_SIZE)\n";
      offset = names_[kPid] + " * " + names_[kN] + " + " + names_[kOffs];
    }
    code += deep + names_[kMask] + " = " + names_[kOffs] + " < " + names_[kN] + "\n";
    for (int j = 0; j < f_.inputs; ++j) code += deep + value(j) + " = " + load(j, offset) + "\n";
    if (style_.comments) code += deep + "# compute in registers\n";
    for (size_t i = 0; i < f_.body.size(); ++i) code += deep + statement(i, /*triton=*/true) + "\n";
    if (f_.shape == Shape::kLoop) {
      code += deep + names_[kAcc] + " += " + value(last_value()) + "\n";
      code += in + "tl.store(" + names_[kOut] + " + " + names_[kPid] + ", tl.sum(" + names_[kAcc] + ", axis=0))\n";
    } else {
      code += in + "tl.store(" + names_[kOut] + " + " + offset + ", " + value(last_value()) + ", mask=" +
              names_[kMask] + ")\n";
    }
    return code;
  }

  std::string launcher_body() const {
    const std::string& in = style_.indent;
    const std::string& x = names_[kX0];
    std::vector<std::string> args = tensor_args();
    args.push_back(names_[kO]);
    std::string code;
    std::string grid;
    if (f_.shape == Shape::kElementwise) {
      const std::string& numel = names_[kNumel];
      code += in + names_[kO] + " = torch.empty_like(" + x + ")\n";
      code += in + numel + " = " + names_[kO] + ".numel()\n";
      args.push_back(numel);
      std::string blocks = f_.lambda_grid ? "meta[" + quoted("BLOCK_SIZE") + "]" : kBlockSizes[f_.block_size];
      code += in + names_[kGrid] + " = " + (f_.lambda_grid ? "lambda meta: " : "") + "(triton.cdiv(" + numel + ", " +
              blocks + "),)\n";
      grid = names_[kGrid];
    } else {
      const std::string& rows = names_[kRows];
      code += in + rows + ", " + names_[kCols] + " = " + x + ".shape\n";
      std::string allocation = f_.shape == Shape::kRowwise
                                   ? "torch.empty_like(" + x + ")"
                                   : "torch.empty(" + rows + ", device=" + x + ".device, dtype=torch.float32)";
      code += in + names_[kO] + " = " + allocation + "\n";
      if (f_.shape == Shape::kRowwise) args.push_back(x + ".stride(0)");
      args.push_back(names_[kCols]);
      grid = "(" + rows + ",)";
    }
    if (f_.scalar) args.push_back(names_[kAlpha]);
    if (f_.shape == Shape::kRowwise) {
      code += in + names_[kBlock] + " = triton.next_power_of_2(" + names_[kCols] + ")\n";
      args.push_back("BLOCK_SIZE=" + names_[kBlock]);
    } else if (!f_.autotune) {
      args.push_back(std::string("BLOCK_SIZE=") + kBlockSizes[f_.block_size]);
    }
    if (f_.num_warps) args.push_back("num_warps=4");
    code += in + names_[kKernel] + "[" + grid + "](" + join(args, in, style_.multiline_launch) + ")\n";
    code += in + "return " + names_[kO] + "\n";
    return code;
  }

  const Family& f_;
  const std::vector<std::string>& names_;
  const Style& style_;
};

struct Generated {
  std::vector<DedupItem> items;
  std::vector<int> family_of;
  int families = 0;
};

// Family sizes are skewed: a uniform draw squared picks low-numbered families far more often,
// as popular kernels are copied far more often than the rest.
Generated generate(int count, Rng& rng) {
  Generated out;
  out.families = std::max(1, count / 4);
  std::vector<Family> families;
  for (int i = 0; i < out.families; ++i) families.push_back(random_family(rng));
  std::vector<bool> seen(out.families);
  const Style plain{false, false, false, false, false, "    "};
  for (int i = 0; i < count; ++i) {
    DedupItem item;
    item.id = "bench/" + std::to_string(i);
    item.rank = pick(rng, 4);
    if (i > 0 && chance(rng, 0.1)) {
      int original = pick(rng, i);
      item.python_code = out.items[original].python_code;
      item.triton_code = out.items[original].triton_code;
      out.family_of.push_back(out.family_of[original]);
    } else {
      double u = std::uniform_real_distribution<>(0, 1)(rng);
      int f = static_cast<int>(u * u * out.families);
      Family member = seen[f] ? mutate(families[f], rng) : families[f];
      size_t name_count = kRoles + member.inputs + member.body.size();
      auto names = seen[f] ? random_names(name_count, rng) : canonical_names(member.inputs + member.body.size());
      Style style = seen[f] ? random_style(rng) : plain;
      seen[f] = true;
      Writer writer(member, names, style);
      item.python_code = writer.python_code();
      item.triton_code = writer.triton_code();
      out.family_of.push_back(f);
    }
    item.canonical_hash = xxh64_hex(item.python_code + '\0' + item.triton_code);
    out.items.push_back(std::move(item));
  }
  return out;
}

rusage usage_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage;
}

double peak_rss_mib() { return usage_now().ru_maxrss / 1024.0; }  // ru_maxrss is in KiB on Linux

double cpu_seconds(const rusage& usage) {
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void report_ground_truth(const Generated& generated, const DedupOutcome& outcome) {
  std::map<std::string, std::set<int>> families_in_cluster;
  std::map<int, std::set<std::string>> clusters_of_family;
  for (size_t i = 0; i < generated.items.size(); ++i) {
    families_in_cluster[outcome.results[i].cluster_id].insert(generated.family_of[i]);
    clusters_of_family[generated.family_of[i]].insert(outcome.results[i].cluster_id);
  }
  int mixed = 0, split = 0;
  for (const auto& [cluster, families] : families_in_cluster) mixed += families.size() > 1;
  for (const auto& [family, clusters] : clusters_of_family) split += clusters.size() > 1;
  std::printf("families used            %zu\n", clusters_of_family.size());
  std::printf("clusters mixing families %d\n", mixed);
  std::printf("families split over clusters %d\n", split);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(int count, int threads) {
  Rng rng(20260101);
  auto start = std::chrono::steady_clock::now();
  Generated generated = generate(count, rng);
  double generate_seconds = seconds_since(start);
  double input_mib = 0;
  for (const DedupItem& item : generated.items) input_mib += item.python_code.size() + item.triton_code.size();
  input_mib /= 1024 * 1024;

  start = std::chrono::steady_clock::now();
  double cpu_before = cpu_seconds(usage_now());
  auto outcome = deduplicate(generated.items, {.threads = threads});
  double dedup_seconds = seconds_since(start);
  double dedup_cpu = cpu_seconds(usage_now()) - cpu_before;
  if (!outcome) {
    std::fprintf(stderr, "dedup_benchmark: %s\n", outcome.status().message().c_str());
    return 1;
  }
  double rss = peak_rss_mib();

  std::printf("entries                  %d (%.1f MiB of code), %d threads\n", count, input_mib,
              threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency()));
  std::printf("generate                 %8.2f s\n", generate_seconds);
  std::printf("deduplicate              %8.2f s    target < %.0f s: %s (%.0f%% of it); %.2f s of CPU\n", dedup_seconds,
              kTargetSeconds, dedup_seconds < kTargetSeconds ? "met" : "MISSED", 100 * dedup_seconds / kTargetSeconds,
              dedup_cpu);
  std::printf("peak RSS                 %8.0f MiB  target < %.0f MiB: %s (%.0f%% of it)\n", rss, kTargetMiB,
              rss < kTargetMiB ? "met" : "MISSED", 100 * rss / kTargetMiB);
  std::printf("clusters                 %d\n", outcome->clusters);
  std::printf("dropped                  %d exact, %d near\n", outcome->exact_dropped, outcome->near_dropped);
  report_ground_truth(generated, *outcome);
  return dedup_seconds < kTargetSeconds && rss < kTargetMiB ? 0 : 1;
}

}  // namespace
}  // namespace tritonpile::storage

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  return tritonpile::storage::run(count, threads);
}
