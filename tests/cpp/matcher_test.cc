#include <gtest/gtest.h>

#include "extractor/file_extractor.h"
#include "matcher/classifier.h"
#include "matcher/module_builder.h"
#include "matcher/normalizer.h"
#include "matcher/pairer.h"

namespace tritonpile::matcher {
namespace {

AnalyzedFile analyzed(const std::string& path, const std::string& source) {
  return {path, "", source, extractor::extract_file(source)};
}

const char* kOps = R"(import math
import torch
import triton
import triton.language as tl

SCALE = 2.0
UNUSED = 3


@triton.jit
def scale_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) * SCALE, mask=mask)


def scale(x):
    out = torch.empty_like(x)
    scale_kernel[(triton.cdiv(x.numel(), 128),)](x, out, x.numel(), BLOCK=128)
    return out


def scale_reference(x):
    return x * SCALE


def torch_other(x):
    return x


if __name__ == "__main__":
    print(scale(torch.randn(4)))
)";

const char* kTest = R"(import torch
from ops import scale, scale_reference

def test_scale():
    x = torch.randn(100)
    torch.testing.assert_close(scale(x), scale_reference(x))
)";

TEST(Matcher, ComparingTestIsTheStrongestEvidenceAndGivesTheInputs) {
  auto result = match_snapshot({analyzed("ops.py", kOps), analyzed("test_ops.py", kTest)});
  ASSERT_EQ(result.pairs.size(), 1u);
  const auto& pair = result.pairs[0];
  EXPECT_EQ(pair.launcher, "scale");
  EXPECT_EQ(pair.reference, "scale_reference");
  EXPECT_EQ(pair.evidence, "test-compare");
  EXPECT_EQ(pair.where, "test_ops.py:6");
  ASSERT_EQ(pair.recipe.args.size(), 1u);
  EXPECT_EQ(pair.recipe.args[0].name, "x");
  EXPECT_EQ(pair.recipe.args[0].tensor.shape, std::vector<int64_t>{100});
}

TEST(Matcher, NamingPairsWhenNoTestComparesButATestGivesInputs) {
  const char* test = R"(import torch
from ops import scale

def test_runs():
    x = torch.randn(64)
    torch.testing.assert_close(scale(x), x * 2)
)";
  auto result = match_snapshot({analyzed("ops.py", kOps), analyzed("test_ops.py", test)});
  ASSERT_EQ(result.pairs.size(), 1u);
  EXPECT_EQ(result.pairs[0].evidence, "naming");
  EXPECT_EQ(result.pairs[0].where, "ops.py:23");
}

TEST(Matcher, LauncherWithoutInputsIsReportedUnpaired) {
  auto result = match_snapshot({analyzed("ops.py", kOps)});
  EXPECT_TRUE(result.pairs.empty());
  ASSERT_EQ(result.unpaired.size(), 1u);
  EXPECT_EQ(result.unpaired[0].launcher, "scale");
  EXPECT_NE(result.unpaired[0].reason.find("inputs"), std::string::npos);
}

TEST(ModuleBuilder, TakesTheClosureOfNamesAndNothingElse) {
  auto module = build_module(analyzed("ops.py", kOps), {"scale"});
  ASSERT_TRUE(module) << module.status().message();
  EXPECT_NE(module->find("SCALE = 2.0"), std::string::npos);
  EXPECT_NE(module->find("def scale_kernel"), std::string::npos);
  EXPECT_NE(module->find("import triton.language as tl"), std::string::npos);
  EXPECT_EQ(module->find("UNUSED"), std::string::npos);
  EXPECT_EQ(module->find("import math"), std::string::npos);
  EXPECT_EQ(module->find("scale_reference"), std::string::npos);
  EXPECT_EQ(module->find("__main__"), std::string::npos);
}

TEST(ModuleBuilder, RefusesModulesThatNeedTheRepository) {
  const char* source = R"(from .utils import helper

def f(x):
    return helper(x)
)";
  auto module = build_module(analyzed("pkg/ops.py", source), {"f"});
  ASSERT_FALSE(module);
  EXPECT_NE(module.status().message().find("pkg/ops.py:1"), std::string::npos) << module.status().message();
}

TEST(Normalizer, CanonicalFormIgnoresCommentsDocstringsAndLayout) {
  std::string a = "def f(x):\n    \"\"\"Doc.\"\"\"\n    # note\n    return x+1\n";
  std::string b = "def f( x ):\n    return x + 1   # other note\n";
  std::string c = "def f(x):\n    return x + 2\n";
  EXPECT_EQ(canonical_tokens(a), canonical_tokens(b));
  EXPECT_NE(canonical_tokens(a), canonical_tokens(c));
  EXPECT_EQ(normalize_layout("a  \r\nb\n\n\n"), "a\nb\n");
}

TEST(Classifier, OperationTypeFollowsTheTritonOpsUsed) {
  auto kernel = [](const std::string& body) {
    return "import triton\nimport triton.language as tl\n@triton.jit\ndef k(p):\n" + body;
  };
  EXPECT_EQ(classify(kernel("    tl.store(p, tl.load(p) + 1)\n")).operation_type, "elementwise");
  EXPECT_EQ(classify(kernel("    tl.store(p, tl.sum(tl.load(p), 0))\n")).operation_type, "reduction");
  auto matmul = classify(kernel("    acc = 0\n    for i in range(4):\n        acc += tl.dot(tl.load(p), tl.load(p))\n"));
  EXPECT_EQ(matmul.operation_type, "matmul");
  EXPECT_EQ(matmul.difficulty, "medium");
  EXPECT_NE(std::find(matmul.tags.begin(), matmul.tags.end(), "loop"), matmul.tags.end());
  EXPECT_EQ(classify(kernel("    x = tl.load(p)\n    e = tl.exp(x - tl.max(x, 0))\n    tl.store(p, e / tl.sum(e, 0))\n"))
                .operation_type,
            "softmax");
}

}  // namespace
}  // namespace tritonpile::matcher
