// The matcher on fixture snapshots written for each evidence kind, lifting, closures across
// modules, and refusals.
#include <gtest/gtest.h>

#include "extractor/file_extractor.h"
#include "matcher/classifier.h"
#include "matcher/flag_gems_tune_configs.h"
#include "matcher/module_builder.h"
#include "matcher/module_index.h"
#include "matcher/normalizer.h"
#include "matcher/pairer.h"
#include "matcher/recipe_inference.h"

namespace tritonpile::matcher {
namespace {

AnalyzedFile analyzed(const std::string& path, const std::string& source) {
  return {path, "", source, extractor::extract_file(source, path)};
}

// Why a launcher went unpaired; "paired" when it did not.
std::string unpaired_reason(const MatchResult& result, const std::string& launcher) {
  for (const auto& u : result.unpaired) {
    if (u.launcher == launcher) return u.reason;
  }
  return "paired";
}

const Pair* find_pair(const MatchResult& result, const std::string& launcher) {
  for (const auto& pair : result.pairs) {
    if (pair.launcher == launcher) return &pair;
  }
  return nullptr;
}

// The head of a launcher file: imports and a kernel that does nothing, for tests about what
// launches it.
const std::string kStubKernel = "import torch\nimport triton\n\n@triton.jit\ndef k(p):\n    pass\n";

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


if __name__ == "__main__":
    print(scale(torch.randn(4)))
)";

TEST(Evidence, TestCompareWithAReferenceFunctionGivesTheInputs) {
  auto result = match_snapshot({analyzed("ops.py", kOps), analyzed("test_ops.py", R"(import torch
from ops import scale, scale_reference

def test_scale():
    x = torch.randn(100)
    torch.testing.assert_close(scale(x), scale_reference(x))
)")});
  const Pair* pair = find_pair(result, "scale");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->reference, "scale_reference");
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->where, "test_ops.py:6");
  ASSERT_EQ(pair->recipe.args.size(), 1u);
  EXPECT_EQ(pair->recipe.args[0].tensor.shape, std::vector<int64_t>{100});
}

TEST(Evidence, TestCompareLiftsAnInlineExpression) {
  auto result = match_snapshot({analyzed("ops.py", kOps), analyzed("test_ops.py", R"(import torch
from ops import scale

def test_scale():
    x = torch.randn(64)
    torch.testing.assert_close(scale(x), torch.clamp(x, -1, 1) * 0 + x * 2.0)
)")});
  const Pair* pair = find_pair(result, "scale");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->reference, "scale_reference");
  EXPECT_EQ(pair->reference_path, "test_ops.py");
  EXPECT_EQ(pair->python_code, "import torch\n\n\ndef scale_reference(x):\n    return torch.clamp(x, -1, 1) * 0 + x * 2.0\n");
}

TEST(Evidence, TestCompareLiftsATorchCall) {
  auto result = match_snapshot({analyzed("ops.py", kOps), analyzed("test_ops.py", R"(import torch
import torch.nn.functional as F
from ops import scale

@pytest.mark.parametrize("n", [37, 1024])
def test_scale(n):
    x = torch.randn(n, dtype=torch.float16)
    torch.testing.assert_close(scale(x), F.relu(x))
)")});
  const Pair* pair = find_pair(result, "scale");
  ASSERT_NE(pair, nullptr);
  EXPECT_NE(pair->python_code.find("import torch.nn.functional as F"), std::string::npos);
  EXPECT_NE(pair->python_code.find("return F.relu(x)"), std::string::npos);
  ASSERT_EQ(pair->recipe.args.size(), 1u);
  EXPECT_EQ(pair->recipe.args[0].tensor.shape, std::vector<int64_t>{37}) << "from the first parametrize case";
  EXPECT_EQ(pair->recipe.args[0].tensor.dtype, "float16");
}

TEST(Evidence, NamingWhenNoTestComparesWithInputsInferredFromTheSignature) {
  auto result = match_snapshot({analyzed("ops.py", kOps)});
  const Pair* pair = find_pair(result, "scale");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "naming");
  EXPECT_EQ(pair->where, "ops.py:23");
  EXPECT_EQ(pair->recipe.origin, "inferred from the signature at ops.py:17");
  ASSERT_EQ(pair->recipe.args.size(), 1u);
  EXPECT_EQ(pair->recipe.args[0].kind, "tensor");
  EXPECT_EQ(pair->recipe.args[0].tensor.shape, (std::vector<int64_t>{kInferredSide, kInferredSide}));
}

// The op a launcher computes is its name less what marks it as the Triton side, so
// pack_triton's reference may be pack_torch; a forward pass (`_fwd`) keeps its suffix, since
// it returns what backward saves beside the output.
TEST(Evidence, NamingReadsTheOpBehindATritonMarker) {
  auto result = match_snapshot({analyzed("pkg/bitpack.py", kStubKernel + R"(
def pack_triton(w, bits):
    k[(1,)](w)
    return w


def pack_torch(w, bits):
    return w.clone()


def norm_fwd(x, eps):
    k[(1,)](x)
    return x, x.mean(), x.std()


def norm_ref(x, eps):
    return x / x.std()
)")});
  const Pair* pack = find_pair(result, "pack_triton");
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->evidence, "naming");
  EXPECT_EQ(pack->reference, "pack_torch");
  EXPECT_EQ(find_pair(result, "norm_fwd"), nullptr);
}

// A lifted reference takes the launcher's defaults: what they read must be importable from
// the test (torch), not a constant of the launcher's module.
TEST(Evidence, ALiftedReferencesDefaultsReadOnlyWhatItCanImport) {
  auto snapshot = [](const std::string& default_value) {
    return match_snapshot({analyzed("pkg/ops.py", kStubKernel + R"(
BLOCK_C = 64

def double(x, c=)" + default_value + R"(, s=1):
    k[(1,)](x)
    return x
)"),
                           analyzed("tests/test_ops.py", R"(import torch
from pkg.ops import double

def test_double():
    x = torch.randn(8)
    torch.testing.assert_close(double(x, s=1), x * 2)
)")});
  };
  auto result = snapshot("torch.float32");
  const Pair* pair = find_pair(result, "double");
  ASSERT_NE(pair, nullptr);
  EXPECT_NE(pair->python_code.find("import torch\n"), std::string::npos) << pair->python_code;
  EXPECT_NE(pair->python_code.find("def double_reference(x, c=torch.float32, s=1):"), std::string::npos) << pair->python_code;

  result = snapshot("BLOCK_C");
  EXPECT_EQ(find_pair(result, "double"), nullptr);
  EXPECT_NE(unpaired_reason(result, "double").find("a default of the launcher reads 'BLOCK_C'"), std::string::npos)
      << unpaired_reason(result, "double");
}

// A launcher that returns nothing and writes into an argument (add_in_place(x, y), or an out
// buffer): the compared variable is what the call wrote, the reference is lifted as usual
// (an out buffer need not be read), and the recipe names the input to compare. Printing a
// variable writes nothing, and one holding what a repository function returned is its result.
TEST(Evidence, ALauncherWritingIntoAnArgumentIsComparedThroughIt) {
  auto result = match_snapshot({analyzed("pkg/ops.py", kStubKernel + R"(
def add_in_place(x, y, alpha=1.0):
    k[(1,)](x, y)


def scale_into(x, out):
    k[(2,)](x, out)


def double(x):
    k[(3,)](x)
    return x
)"),
                                analyzed("tests/test_ops.py", R"(import torch
from pkg.ops import add_in_place, scale_into, double


def test_add_in_place():
    x = torch.rand(16, 8)
    y = torch.rand(16, 8)
    expected = x + y * 0.5
    add_in_place(x, y, alpha=0.5)
    assert torch.allclose(x, expected)


def test_scale_into():
    x = torch.rand(32)
    out = torch.empty_like(x)
    scale_into(x, out)
    print(out)
    torch.testing.assert_close(out, x * 3)


def test_double():
    x = torch.rand(32)
    y = double(x)
    print(y)
    torch.testing.assert_close(y, x * 2)
)")});
  const Pair* in_place = find_pair(result, "add_in_place");
  ASSERT_NE(in_place, nullptr) << unpaired_reason(result, "add_in_place");
  EXPECT_NE(in_place->python_code.find("def add_in_place_reference(x, y, alpha=1.0):\n    return x + y * 0.5"),
            std::string::npos)
      << in_place->python_code;
  EXPECT_EQ(in_place->recipe.result_input, 0);
  const Pair* into = find_pair(result, "scale_into");
  ASSERT_NE(into, nullptr);
  EXPECT_EQ(into->recipe.result_input, 1);
  EXPECT_NE(into->python_code.find("return x * 3"), std::string::npos) << into->python_code;
  const Pair* doubled = find_pair(result, "double");
  ASSERT_NE(doubled, nullptr);
  EXPECT_EQ(doubled->recipe.result_input, -1) << "y is what double returned";
}

// Precision rules from hand-checking: a launcher that ignores an argument its reference reads,
// a reference that ignores one the launcher reads, a compared value the test changes after
// computing it, a kernel that draws random numbers, and a named reference that returns
// another number of values are no pairs; a flag the test
// passes both sides is passed through, not baked in, and must be read.
TEST(Evidence, WhatTheHandCheckFoundWrongIsRefused) {
  auto result = match_snapshot({analyzed("pkg/ops.py", kStubKernel + R"(
def select_dim0(x, idx, dim):
    k[(1,)](x, idx)
    return x


def select_masked(x, idx, dim):
    k[(2,)](x, idx, dim)
    return x


def sample(p):
    k[(3,)](p)
    return p


def norm(x, eps):
    k[(4,)](x, eps)
    return x


def norm_torch(x, eps):
    return x / (x.std() + eps), None


def attn(q, k_, normalize=True, flag=False):
    k[(5,)](q, normalize, flag)
    return q


def scaled(x, scale):
    k[(6,)](x, scale)
    return x


def scaled_ref(x, scale):
    return x * 2


def segments(x, offsets=None):
    k[(7,)](x, offsets)
    return x


def gated(x, beta=None):
    if beta is None:
        beta = torch.ones_like(x)
    k[(8,)](x, beta)
    return x


def gated_torch(x, beta=None):
    return x * beta


def biased(x, w, bias=None):
    k[(9,)](x, w, bias if bias is not None else w)
    return x


def biased_torch(x, w, bias=None):
    return torch.nn.functional.linear(x, w, bias)


def loss(x, with_kl=False):
    k[(10,)](x)
    return x


def loss_torch(x, with_kl=False):
    return x if not with_kl else (x, x * 0)


def mm_t(a, b):
    k[(11,)](a, b)
    return a @ b.T


def weighted(x, w=None):
    if w is None:
        w = torch.ones_like(x)
    k[(12,)](x, w)
    return x


def weighted_torch(x, w=None):
    if isinstance(w, torch.Tensor):
        x = x * w
    return x
)"),
                                analyzed("pkg/sampling.py", R"(import triton
import triton.language as tl

@triton.jit
def draw(p):
    tl.rand(0, 0)


def draw_samples(p):
    draw[(1,)](p)
    return p
)"),
                                analyzed("tests/test_ops.py", R"(import torch
from pkg.ops import select_dim0, select_masked, attn, segments, mm_t
from pkg.sampling import draw_samples


def ref_attn(q, k_, normalize=True):
    return q if normalize else q * 2


def test_select():
    x = torch.randn(4, 4)
    idx = torch.tensor([1, 3])
    dim = 0
    torch.testing.assert_close(select_dim0(x, idx, dim), torch.index_select(x, dim, idx))


def test_masked():
    x = torch.randn(4, 4)
    idx = torch.tensor([1, 3])
    dim = 0
    out = select_masked(x, idx, dim)
    ref = torch.index_select(x, dim, idx)
    ref[:, 2:] = 0
    torch.testing.assert_close(out, ref)


def test_draw():
    p = torch.rand(8)
    torch.testing.assert_close(draw_samples(p), p * 2)


def segments_torch(x, offsets=None):
    return x.cumsum(0)


def test_segments():
    x = torch.randn(8)
    offsets = torch.tensor([0, 4, 8])
    torch.testing.assert_close(segments(x, offsets=offsets), segments_torch(x * 1, offsets=offsets))


def test_mm_t():
    a = torch.randn(8, 4)
    b = torch.randn(4, 8)
    expected = torch.matmul(a, b)
    b = b.T.contiguous()
    torch.testing.assert_close(mm_t(a, b), expected)


def test_attn():
    q = torch.randn(8)
    k_ = torch.randn(8)
    torch.testing.assert_close(attn(q, k_, normalize=False), ref_attn(q, k_, normalize=False))
)")});
  EXPECT_NE(unpaired_reason(result, "select_dim0").find("ignores its argument 'dim'"), std::string::npos) << unpaired_reason(result, "select_dim0");
  EXPECT_NE(unpaired_reason(result, "select_masked").find("changes the compared value after computing it"), std::string::npos)
      << unpaired_reason(result, "select_masked");
  EXPECT_NE(unpaired_reason(result, "draw_samples").find("draw random numbers"), std::string::npos) << unpaired_reason(result, "draw_samples");
  EXPECT_NE(unpaired_reason(result, "norm").find("returns 2 values, the launcher 1"), std::string::npos) << unpaired_reason(result, "norm");
  EXPECT_NE(unpaired_reason(result, "scaled").find("takes 'scale' and ignores it, which the launcher reads"), std::string::npos)
      << unpaired_reason(result, "scaled");
  EXPECT_NE(unpaired_reason(result, "segments").find("passes 'offsets' to a function that ignores it"), std::string::npos)
      << unpaired_reason(result, "segments");
  EXPECT_NE(unpaired_reason(result, "gated").find("reads 'beta' without the check for None the launcher makes"),
            std::string::npos)
      << unpaired_reason(result, "gated");
  EXPECT_NE(find_pair(result, "biased"), nullptr) << "torch takes None for bias: " << unpaired_reason(result, "biased");
  EXPECT_NE(find_pair(result, "weighted"), nullptr) << "an isinstance guard checks for None too: "
                                                  << unpaired_reason(result, "weighted");
  EXPECT_NE(unpaired_reason(result, "mm_t").find("the test binds an input anew between computing the two sides"),
            std::string::npos)
      << unpaired_reason(result, "mm_t");
  EXPECT_NE(unpaired_reason(result, "loss").find("returns more or fewer values by its arguments, the launcher 1 always"),
            std::string::npos)
      << unpaired_reason(result, "loss");
  const Pair* attn = find_pair(result, "attn");
  ASSERT_NE(attn, nullptr) << unpaired_reason(result, "attn");
  EXPECT_NE(attn->python_code.find("ref_attn(q, k_, normalize=normalize)"), std::string::npos)
      << attn->reference << "\n" << attn->python_code;
}

// The validator calls the reference with the launcher's arguments: a reference that takes
// other arguments is no pair.
TEST(Evidence, AReferenceTakingOtherArgumentsIsRefused) {
  auto result = match_snapshot({analyzed("ops.py", kStubKernel + R"(
def rope(x, cos, sin):
    k[(1,)](x)
    return x

def rope_ref(x, freqs, cos, sin, interleaved):
    return x

def norm(x, weight, eps=1e-6):
    k[(1,)](x)
    return x

def norm_ref(x, weight, eps=1e-6, *rest):
    return x * weight

def scale(x, factor):
    k[(1,)](x)
    return x

def scale_ref(factor, x):
    return x * factor
)"),
                                analyzed("test_ops.py", R"(import torch
from ops import rope, rope_ref

def test_rope():
    x = torch.randn(4, 8)
    c = torch.randn(4, 8)
    torch.testing.assert_close(rope(x, c, c), rope_ref(x, c, c))
)")});
  EXPECT_EQ(find_pair(result, "rope"), nullptr);
  EXPECT_EQ(find_pair(result, "scale"), nullptr);  // by name alone, the parameters must agree
  bool explained = false;
  for (const auto& u : result.unpaired) {
    explained = explained || (u.launcher == "rope" && u.reason.find("takes other arguments") != std::string::npos);
  }
  EXPECT_TRUE(explained);
  EXPECT_NE(find_pair(result, "norm"), nullptr);
}

// A test that calls the reference on other arguments than the launcher (a transposed input,
// a copy, another order) is followed as written: the call is lifted, the copy bound to the
// input it copies.
TEST(Evidence, AReferenceCalledOnOtherArgumentsIsLiftedAsCalled) {
  auto result = match_snapshot({analyzed("pkg/quant.py", kStubKernel + R"(
def quant_t(x, block=128):
    k[(1,)](x)
    return x

def quant_ref(x, tile):
    return x * 2
)"),
                                analyzed("tests/test_quant.py", R"(import torch
from pkg.quant import quant_t, quant_ref

def test_quant():
    x = torch.randn(64, 32)
    x_ref = x.detach().clone()
    torch.testing.assert_close(quant_t(x, block=32), quant_ref(x_ref.t().contiguous(), 32))
)")});
  const Pair* pair = find_pair(result, "quant_t");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->reference, "quant_t_reference");
  EXPECT_NE(pair->python_code.find("def quant_ref(x, tile):"), std::string::npos) << pair->python_code;
  EXPECT_NE(pair->python_code.find("def quant_t_reference(x, block=128):\n    x_ref = x\n"
                                   "    return quant_ref(x_ref.t().contiguous(), 32)"),
            std::string::npos)
      << pair->python_code;
}

// What a test compares with is not always a computation: a constant it expects, a gradient
// attribute, or a function only a script's __main__ block defines.
TEST(Evidence, ConstantsAttributesAndScriptOnlyFunctionsAreNoReferences) {
  auto result = match_snapshot({analyzed("ops.py", kStubKernel + R"(
def lut(mask):
    k[(1,)](mask)
    return mask

def grad_of(x):
    k[(1,)](x)
    return x

def norm(x):
    k[(1,)](x)
    return x

if __name__ == "__main__":
    def torch_forward(x):
        return x / x.norm()
)"),
                                analyzed("test_ops.py", R"(import torch
from ops import lut, grad_of, norm, torch_forward

def test_lut():
    mask = torch.ones(4, 4)
    torch.testing.assert_close(lut(mask), torch.tensor([0, 2]))

def test_grad():
    x = torch.randn(4)
    x_ref = x.clone()
    torch.testing.assert_close(grad_of(x), x_ref.grad)

def test_norm():
    x = torch.randn(4)
    torch.testing.assert_close(norm(x), torch_forward(x))
)")});
  EXPECT_EQ(find_pair(result, "lut"), nullptr);
  EXPECT_EQ(find_pair(result, "grad_of"), nullptr);
  EXPECT_EQ(find_pair(result, "norm"), nullptr);
}

// lmdeploy's style: the test compares with a pytest fixture that computes the reference from
// the fixtures the launcher is given.
TEST(Evidence, AFixtureComputingTheExpectedValueIsTheReference) {
  auto result = match_snapshot({analyzed("pkg/activation.py", kStubKernel + R"(
def silu_and_mul(gate_up):
    k[(1,)](gate_up)
    return gate_up
)"),
                                analyzed("tests/test_activation.py", R"(import pytest
import torch


class TestSiluAndMul:

    @pytest.fixture
    def x(self, seqlen):
        yield torch.rand(seqlen, 64)

    @pytest.fixture
    def gt(self, x):
        gate, up = x.chunk(2, -1)
        gate = torch.nn.functional.silu(gate)
        yield gate * up

    def test_silu_and_mul(self, x, gt):
        from pkg.activation import silu_and_mul
        out = silu_and_mul(x)
        torch.testing.assert_close(out, gt)
)")});
  const Pair* pair = find_pair(result, "silu_and_mul");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->python_code,
            "import torch\n\n\ndef silu_and_mul_reference(gate_up):\n    x = gate_up\n"
            "    gate, up = x.chunk(2, -1)\n    gate = torch.nn.functional.silu(gate)\n    return gate * up\n");
}

TEST(Evidence, RegistrationTableNamesTheAtenOp) {
  std::string ops = kStubKernel + R"(
def add(a, b):
    k[(1,)](a)
    return a

def mul(a, b):
    k[(1,)](a)
    return a
)";
  auto result = match_snapshot({analyzed("pkg/ops/binary.py", ops), analyzed("pkg/__init__.py", R"(import torch
from pkg.ops.binary import add
from .ops.binary import *

lib = torch.library.Library("aten", "IMPL")
register((
    ("add.Tensor", add),
    ("mul", mul),
    ("sub.Tensor", sub),
), lib)
)"),
                                analyzed("tests/test_binary.py", R"(import torch
from pkg.ops.binary import add


def test_add():
    x = torch.randn(8)
    y = torch.randn(8)
    torch.testing.assert_close(add(x, y), x + y)
)")});
  // The op table says what add computes; the test's x + y is one use of it.
  const Pair* add = find_pair(result, "add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->evidence, "registration");
  EXPECT_EQ(add->where, "pkg/__init__.py:7");
  EXPECT_NE(add->python_code.find("return torch.ops.aten.add.Tensor(*args, **kwargs)"), std::string::npos)
      << add->python_code;
  EXPECT_EQ(add->recipe.args.size(), 2u);  // inferred: two tensors
  const Pair* mul = find_pair(result, "mul");  // behind the star import: the only callable of its name; "mul" names no overload: the packet
  ASSERT_NE(mul, nullptr);
  EXPECT_NE(mul->python_code.find("return torch.ops.aten.mul(*args"), std::string::npos) << mul->python_code;
}

TEST(Evidence, RegistrationOfOneFunctionForSeveralOverloadsCallsTheOpsPacket) {
  // div_mode serves div.Scalar_mode and div.Tensor_mode: which overload runs depends on the
  // arguments, so the reference lets the packet pick as the dispatcher would. true_divide's
  // second op is another op's overload, and the first row stays the reference.
  auto result = match_snapshot({analyzed("pkg/ops/div.py", kStubKernel + R"(
def div_mode(a, b, *, rounding_mode=None):
    k[(1,)](a)
    return a

def true_divide(a, b):
    k[(1,)](a)
    return a

def addmm_out(bias, a, b, *, out=None):
    k[(1,)](a)
    return a

def xlogy_out(a, b, *, out=None):
    k[(1,)](a)
    return a

def pad(a, *pads, value=0.0):
    k[(1,)](a)
    return a
)"),
                                analyzed("pkg/__init__.py", R"(from pkg.ops.div import addmm_out, div_mode, pad, true_divide, xlogy_out

register((
    ("div.Scalar_mode", div_mode),
    ("div.Tensor", true_divide),
    ("div.Tensor_mode", div_mode),
    ("true_divide.Tensor", true_divide),
    ("addmm.out", addmm_out),
    ("xlogy.OutTensor", xlogy_out),
    ("constant_pad_nd", pad),
), lib)
)")});
  // The reference module of a pair, with a failure naming the launcher when there is none.
  auto reference_of = [&](const std::string& launcher) -> std::string {
    const Pair* pair = find_pair(result, launcher);
    EXPECT_NE(pair, nullptr) << launcher;
    return pair ? pair->python_code : std::string();
  };
  ASSERT_NE(find_pair(result, "div_mode"), nullptr);
  EXPECT_EQ(find_pair(result, "div_mode")->where, "pkg/__init__.py:4");
  for (const auto& [launcher, call] : std::vector<std::pair<std::string, std::string>>{
           {"div_mode", "torch.ops.aten.div("},
           {"true_divide", "torch.ops.aten.div.Tensor("},
           // addmm.out requires the `out` that addmm_out takes as an option; the packet
           // computes into a new tensor without it. xlogy.OutTensor is ATen's other name for one.
           {"addmm_out", "torch.ops.aten.addmm("},
           {"xlogy_out", "torch.ops.aten.xlogy("}}) {
    std::string code = reference_of(launcher);
    EXPECT_NE(code.find("return " + call + "*args, **kwargs)"), std::string::npos) << launcher << ":\n" << code;
  }
  // A literal default comes along; after *pads, `value` is not a positional parameter.
  std::string pad = reference_of("pad");
  EXPECT_NE(pad.find("_POSITIONAL = (\"a\",)\n_DEFAULTS = {\"value\": 0.0}\n"), std::string::npos) << pad;
}

TEST(Evidence, ModuleWrapperNamedAfterItsTorchCounterpart) {
  auto result = match_snapshot({analyzed("pkg/ops/rms_norm.py", kStubKernel + R"(
class LigerRMSNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, eps):
        k[(1,)](x)
        return x
)"),
                                analyzed("other/reference.py", R"(import torch

def rms_norm_ref(x, weight, eps):
    return x
)"),
                                analyzed("tests/test_rms_norm.py", R"(import torch
from pkg.ops.rms_norm import LigerRMSNormFunction

def rms_norm_ref(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight
)")});
  const Pair* pair = find_pair(result, "LigerRMSNormFunction.apply");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "module-wrapper");
  EXPECT_EQ(pair->reference, "rms_norm_ref");
  EXPECT_EQ(pair->reference_path, "tests/test_rms_norm.py");  // not the unrelated one of that name
  ASSERT_EQ(pair->recipe.args.size(), 3u);
  EXPECT_EQ(pair->recipe.args[1].tensor.shape, (std::vector<int64_t>{kInferredSide}));  // a row
  EXPECT_EQ(pair->recipe.args[2].kind, "float");
}

TEST(RecipeInference, GivesUpOnWhatItCannotFill) {
  using extractor::Parameter;
  EXPECT_FALSE(infer_recipe({{"x", "", "", false}, {"*args", "", "", false}}, "a.py:1"));
  EXPECT_FALSE(infer_recipe({{"x", "", "", false}, {"config", "Config", "", false}}, "a.py:1"));
  EXPECT_FALSE(infer_recipe({{"n", "int", "", false}}, "a.py:1"));  // no tensor at all
  auto recipe = infer_recipe({{"x", "torch.Tensor", "", false}, {"dim", "", "", false},
                              {"block", "int", "128", false}, {"**kwargs", "", "", false}},
                             "a.py:3");
  ASSERT_TRUE(recipe);
  ASSERT_EQ(recipe->args.size(), 2u);  // block keeps its default
  EXPECT_EQ(recipe->args[1].literal, "-1");
  // A registered op's overload says which argument is a number.
  const std::vector<extractor::Parameter> binary = {{"A", "", "", false}, {"B", "", "", false}};
  EXPECT_EQ(infer_recipe(binary, "a.py:1", "eq.Scalar")->args[1].kind, "float");
  EXPECT_EQ(infer_recipe(binary, "a.py:1", "eq.Scalar")->args[0].kind, "tensor");
  EXPECT_EQ(infer_recipe(binary, "a.py:1", "bitwise_and.Scalar_Tensor")->args[0].kind, "float");
  EXPECT_EQ(infer_recipe(binary, "a.py:1", "pow.Scalar")->args[0].kind, "float");
  EXPECT_EQ(infer_recipe(binary, "a.py:1", "eq.Tensor")->args[1].kind, "tensor");
  const std::vector<extractor::Parameter> where = {{"condition", "", "", false}, {"self", "", "", false},
                                                    {"other", "", "", false}};
  EXPECT_EQ(infer_recipe(where, "a.py:1", "where.ScalarSelf")->args[1].kind, "float");
  const std::vector<extractor::Parameter> threshold = {{"x", "", "", false}, {"threshold", "", "", false},
                                                        {"value", "", "", false}};
  auto named = infer_recipe(threshold, "a.py:1", "threshold");
  EXPECT_EQ(named->args[1].kind, "float");
  EXPECT_EQ(named->args[2].kind, "float");
  EXPECT_EQ(infer_recipe(threshold, "a.py:1")->args[1].kind, "tensor") << "names say nothing without an op";
  // A registered function's `self` is ATen's input, not a receiver.
  const std::vector<extractor::Parameter> gelu = {{"self", "", "", false}, {"approximate", "", "\"none\"", false}};
  ASSERT_TRUE(infer_recipe(gelu, "a.py:1", "gelu"));
  EXPECT_EQ(infer_recipe(gelu, "a.py:1", "gelu")->args.size(), 1u);
  EXPECT_FALSE(infer_recipe(gelu, "a.py:1")) << "a method's receiver is no input";
}

TEST(Evidence, NaiveModuleBesideTheKernels) {
  auto result = match_snapshot({analyzed("fla/ops/gla/chunk.py", kStubKernel + R"(
def chunk_gla(q):
    k[(1,)](q)
    return q
)"),
                                analyzed("fla/ops/gla/naive.py", "import torch\n\ndef chunk_gla(q):\n    return q.clone()\n")});
  const Pair* pair = find_pair(result, "chunk_gla");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "naive-module");
  EXPECT_EQ(pair->reference_path, "fla/ops/gla/naive.py");
}

TEST(Evidence, AReferenceThatIsTritonIsRefused) {
  auto result = match_snapshot({analyzed("ops.py", kStubKernel + R"(
def fast(x):
    k[(1,)](x)
    return x

def other_triton(x):
    k[(2,)](x)
    return x
)"),
                                analyzed("test_ops.py", R"(import torch
from ops import fast, other_triton

def test_fast():
    x = torch.randn(8)
    torch.testing.assert_close(fast(x), other_triton(x))
)")});
  EXPECT_EQ(find_pair(result, "fast"), nullptr);
  bool refused = false;
  for (const auto& u : result.unpaired) refused = refused || (u.launcher == "fast" && u.reason.find("Triton") != std::string::npos);
  EXPECT_TRUE(refused);
}

// However it was found, a reference whose closure defines a Triton kernel (a naive.py that
// calls the repository's Triton cumsum) is no PyTorch reference.
TEST(Evidence, AReferenceRunningTritonKernelsIsRefused) {
  auto result = match_snapshot({analyzed("fla/ops/wall/chunk.py", kStubKernel + R"(
def chunk_wall(q):
    k[(1,)](q)
    return q
)"),
                                analyzed("fla/ops/utils/cumsum.py", kStubKernel + R"(
def cumsum(q):
    k[(1,)](q)
    return q
)"),
                                analyzed("fla/ops/wall/naive.py", R"(import torch
from fla.ops.utils.cumsum import cumsum


def naive_chunk_wall(q):
    return cumsum(q) * 2
)")});
  EXPECT_EQ(find_pair(result, "chunk_wall"), nullptr);
  EXPECT_NE(unpaired_reason(result, "chunk_wall").find("runs Triton kernels"), std::string::npos)
      << unpaired_reason(result, "chunk_wall");
  EXPECT_EQ(find_pair(result, "naive_chunk_wall"), nullptr) << "nor is it its own reference";
}

TEST(Evidence, AutogradFunctionIsCalledThroughApply) {
  auto result = match_snapshot({analyzed("pkg/ops/norm.py", kStubKernel + R"(
class NormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, eps):
        k[(1,)](x)
        return x
)"),
                                analyzed("tests/test_norm.py", R"(import torch
from pkg.ops.norm import NormFunction

def test_norm():
    x = torch.randn(4, 8)
    torch.testing.assert_close(NormFunction.apply(x, 1e-6), x / 1.0)
)")});
  const Pair* pair = find_pair(result, "NormFunction.apply");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  ASSERT_EQ(pair->recipe.args.size(), 2u);
  EXPECT_EQ(pair->recipe.args[1].kind, "float");
}

TEST(Evidence, FunctionalWrapperOfAnAutogradFunctionIsACallable) {
  auto result = match_snapshot({analyzed("pkg/ops/norm.py", kStubKernel + R"(
class NormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        k[(1,)](x)
        return x
)"),
                                analyzed("pkg/functional.py", R"(from pkg.ops.norm import NormFunction

def norm(x):
    return NormFunction.apply(x)
)"),
                                analyzed("tests/test_functional.py", R"(import torch
from pkg.functional import norm

def test_norm():
    x = torch.randn(4, 8)
    torch.testing.assert_close(norm(x), torch.nn.functional.relu(x))
)")});
  const Pair* pair = find_pair(result, "norm");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->path, "pkg/functional.py");
  EXPECT_NE(pair->triton_code.find("class NormFunction"), std::string::npos) << "inlined from its module";
  EXPECT_EQ(pair->triton_code.find("from pkg"), std::string::npos);
}

// A package's public function reaches its kernel through an autograd.Function and a launcher
// in other modules, and tests import it through the package's __init__.py.
TEST(Evidence, CallablesAreFoundAcrossModulesAndThroughReexports) {
  auto result = match_snapshot({
      analyzed("pkg/__init__.py", ""),
      analyzed("pkg/ops/__init__.py", "from .chunk import chunk\n"),
      analyzed("pkg/ops/chunk_fwd.py", kStubKernel + R"(
def chunk_fwd(x):
    k[(1,)](x)
    return x
)"),
      analyzed("pkg/ops/chunk.py", R"(import torch
from pkg.ops.chunk_fwd import chunk_fwd

class ChunkFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return chunk_fwd(x)

def chunk(x):
    return ChunkFunction.apply(x)
)"),
      analyzed("tests/test_chunk.py", R"(import torch
from pkg.ops import chunk

def test_chunk():
    x = torch.randn(64)
    torch.testing.assert_close(chunk(x), torch.cumsum(x, -1))
)")});
  const Pair* pair = find_pair(result, "chunk");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->where, "tests/test_chunk.py:6");
  EXPECT_NE(pair->triton_code.find("def chunk_fwd(x):"), std::string::npos) << pair->triton_code;
  EXPECT_NE(pair->triton_code.find("class ChunkFunction"), std::string::npos) << pair->triton_code;
  EXPECT_NE(pair->python_code.find("return torch.cumsum(x, -1)"), std::string::npos) << pair->python_code;
}

// `import lib` and `lib.function.softmax`: a package's submodule, then a star import, lead to
// the definition; a helper named equal compares; torch's own softmax on the other side is the
// reference, never taken for the repository's softmax.
TEST(Evidence, NamesAreFollowedThroughSubmodulesAndStarImports) {
  auto result = match_snapshot({
      analyzed("lib/__init__.py", "from . import function\n"),
      analyzed("lib/function/__init__.py", "from .function import *\n"),
      analyzed("lib/function/function.py", kStubKernel + R"(
def softmax(input, dim):
    k[(1,)](input, dim)
    return input
)"),
      analyzed("tests/util.py", "import torch\n\ndef equal(a, b):\n    return torch.allclose(a, b)\n"),
      analyzed("tests/test_softmax.py", R"(import pytest
import torch
import lib
from tests import util

@pytest.mark.parametrize("dim", [0, 1])
def test_forward(dim):
    x = torch.randn(4, 8)
    assert util.equal(torch.nn.functional.softmax(x, dim), lib.function.softmax(x, dim))
)")});
  const Pair* pair = find_pair(result, "softmax");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->path, "lib/function/function.py");
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_NE(pair->python_code.find("def softmax_reference(input, dim):\n    x = input\n"
                                   "    return torch.nn.functional.softmax(x, dim)"),
            std::string::npos)
      << pair->python_code;
}

// A lifted reference keeps the launcher's defaults, so the launcher's required arguments are
// enough to call it. A test's parametrized value the lifted call reads (chunk=T) is not the
// launcher's: baked in, the reference would compute another function, so there is no pair.
TEST(Evidence, ALiftedReferenceKeepsTheLaunchersDefaultsAndNoTestConstants) {
  auto snapshot = [](const std::string& reference_call) {
    return match_snapshot({
        analyzed("pkg/recur.py", kStubKernel + R"(
def recur(q, k, gk=None, scale=1.0):
    k[(1,)](q)
    return q
)"),
        analyzed("pkg/slow.py", R"(import torch

def slow_recurrence(q, k, gk, chunk=16):
    return torch.mul(q, k) + gk.sum() * chunk
)"),
        analyzed("tests/test_recur.py", R"(import pytest
import torch
from pkg.recur import recur
from pkg.slow import slow_recurrence

@pytest.mark.parametrize(("T", "dtype"), [(63, torch.float16), (128, torch.float32)])
def test_recur(T, dtype):
    q = torch.randn(T, 16, dtype=dtype)
    k = torch.randn(T, 16, dtype=dtype)
    g = torch.randn(T, 16, dtype=dtype)
    ref = )" + reference_call + R"(
    tri = recur(q=q, k=k, gk=g)
    torch.testing.assert_close(ref, tri)
)")});
  };
  auto result = snapshot("slow_recurrence(q=q, k=k, gk=g)");
  const Pair* pair = find_pair(result, "recur");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->reference, "recur_reference");
  EXPECT_NE(pair->python_code.find("def recur_reference(q, k, gk=None):\n    g = gk\n"), std::string::npos)
      << pair->python_code;
  ASSERT_EQ(pair->recipe.args.size(), 3u);
  EXPECT_EQ(pair->recipe.args[0].tensor.shape, (std::vector<int64_t>{63, 16}));

  result = snapshot("slow_recurrence(q=q, k=k, gk=g, chunk=T)");
  EXPECT_EQ(find_pair(result, "recur"), nullptr);
}

// out, scale = quant(x): scale alone is compared. A reference function unpacked the same way
// returns the same tuple and pairs whole; an expression computing the scale alone is the
// reference of that element (result_element); another element of a reference's tuple is none.
TEST(Evidence, OneElementOfAnUnpackedResultPairsOnlyWithTheSameElement) {
  auto snapshot = [](const std::string& compared) {
    return match_snapshot({
        analyzed("pkg/quant.py", kStubKernel + R"(
def quant(x):
    k[(1,)](x)
    return x, x.abs().amax()

def round_trip(x):
    return torch.round(x), x.abs().amax()
)"),
        analyzed("tests/test_quant.py", R"(import torch
from pkg.quant import quant, round_trip

def test_quant():
    x = torch.randn(64)
    out, scale = quant(x)
    ref_out, ref_scale = round_trip(x)
    torch.testing.assert_close()" + compared + R"()
)")});
  };
  auto result = snapshot("scale, ref_scale");
  const Pair* pair = find_pair(result, "quant");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->reference, "round_trip");
  EXPECT_EQ(pair->evidence, "test-compare");

  EXPECT_EQ(pair->recipe.result_element, -1);

  result = snapshot("scale, x.abs().amax()");
  pair = find_pair(result, "quant");
  ASSERT_NE(pair, nullptr);
  EXPECT_NE(pair->python_code.find("return x.abs().amax()"), std::string::npos) << pair->python_code;
  EXPECT_EQ(pair->recipe.result_element, 1);

  result = snapshot("scale, ref_out");
  EXPECT_EQ(find_pair(result, "quant"), nullptr) << "another element of the reference's tuple";
  EXPECT_NE(unpaired_reason(result, "quant").find("one element of what the launcher returns with one of another result"),
            std::string::npos)
      << unpaired_reason(result, "quant");
}

// chunk compared with fused, another Triton path that a test compares with a PyTorch
// reference: fused's reference, called as the test calls fused, is chunk's. Each element of
// an unpacked result must meet its counterpart.
TEST(Evidence, AnotherTritonPathLendsItsReference) {
  auto snapshot = [](const std::string& comparisons) {
    return match_snapshot({analyzed("pkg/ops.py", kStubKernel + R"(
def fused(q, gk, scale=1.0):
    k[(1,)](q)
    return q, gk


def chunk(q, g, scale=1.0):
    k[(2,)](q)
    return q, g
)"),
                           analyzed("tests/test_ops.py", R"(import torch
from pkg.ops import fused, chunk


def naive(q, gk, scale=1.0):
    return q * scale, gk


def test_fused():
    q = torch.randn(8)
    g = torch.randn(8)
    ref, ref_ht = naive(q, g)
    tri, tri_ht = fused(q, g)
    torch.testing.assert_close(ref, tri)
    torch.testing.assert_close(ref_ht, tri_ht)


def test_chunk():
    q = torch.randn(8)
    g = torch.randn(8)
    ref, ref_ht = fused(q, gk=g)
    tri, tri_ht = chunk(q, g)
)" + comparisons)});
  };
  auto result = snapshot("    torch.testing.assert_close(ref, tri)\n    torch.testing.assert_close(ref_ht, tri_ht)\n");
  const Pair* chunk = find_pair(result, "chunk");
  ASSERT_NE(chunk, nullptr) << unpaired_reason(result, "chunk");
  EXPECT_EQ(chunk->evidence, "test-compare");
  EXPECT_EQ(chunk->where, "tests/test_ops.py:23 through tests/test_ops.py:14");
  EXPECT_NE(chunk->python_code.find("def naive("), std::string::npos) << chunk->python_code;
  EXPECT_NE(chunk->python_code.find("def chunk_reference(q, g):\n    return naive(q, gk=g)"), std::string::npos)
      << chunk->python_code;

  result = snapshot("    torch.testing.assert_close(ref, tri)\n");
  EXPECT_EQ(find_pair(result, "chunk"), nullptr) << "ht left unchecked";
  ASSERT_NE(find_pair(result, "fused"), nullptr);
}

// Every element of the unpacked result compared with a torch computation: the reference is
// those computations as one tuple, before any element alone. One element left uncompared,
// and the reference is the compared element's.
TEST(Evidence, EveryElementComparedMakesATupleReference) {
  auto snapshot = [](const std::string& comparisons) {
    return match_snapshot({analyzed("pkg/quant.py", kStubKernel + R"(
def quant(x):
    k[(1,)](x)
    return x, x.abs().amax()
)"),
                           analyzed("tests/test_quant.py", R"(import torch
from pkg.quant import quant

def test_quant():
    x = torch.randn(64)
    out, scale = quant(x)
)" + comparisons)});
  };
  auto result = snapshot("    torch.testing.assert_close(out, torch.round(x))\n"
                         "    torch.testing.assert_close(scale, x.abs().amax())\n");
  const Pair* pair = find_pair(result, "quant");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_NE(pair->python_code.find("def quant_reference(x):\n    return (torch.round(x),\n    x.abs().amax())"),
            std::string::npos)
      << pair->python_code;

  EXPECT_EQ(pair->recipe.result_element, -1);

  result = snapshot("    torch.testing.assert_close(scale, x.abs().amax())\n");
  pair = find_pair(result, "quant");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->recipe.result_element, 1);
}

// table[2:4] is what the test expects for its own idx; it never reads idx, a required input of
// the launcher, so it is no reference for gather.
TEST(Evidence, AComparedValueIgnoringARequiredInputIsNoReference) {
  auto result = match_snapshot({analyzed("pkg/gather.py", kStubKernel + R"(
def gather(table, idx):
    k[(1,)](table)
    return table
)"),
                                analyzed("tests/test_gather.py", R"(import torch
from pkg.gather import gather

def test_gather():
    table = torch.randn(8, 4)
    idx = torch.arange(2, 4)
    torch.testing.assert_close(gather(table, idx), table[2:4] * 1.0)
)")});
  EXPECT_EQ(find_pair(result, "gather"), nullptr);
  EXPECT_NE(unpaired_reason(result, "gather").find("ignores the launcher's argument 'idx'"), std::string::npos)
      << unpaired_reason(result, "gather");
}

// The validator passes inputs positionally: a parameter the test leaves at its default before
// one it passes keeps its place in both the recipe and the lifted reference's signature.
TEST(Evidence, DefaultsBeforeAPassedArgumentKeepTheirPlaces) {
  auto result = match_snapshot({analyzed("pkg/norm.py", kStubKernel + R"(
def norm(x, bias=None, eps=1e-6):
    k[(1,)](x)
    return x
)"),
                                analyzed("tests/test_norm.py", R"(import torch
from pkg.norm import norm

def test_norm():
    x = torch.randn(4, 8)
    torch.testing.assert_close(norm(x, eps=1e-5), x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5))
)")});
  const Pair* pair = find_pair(result, "norm");
  ASSERT_NE(pair, nullptr);
  EXPECT_NE(pair->python_code.find("def norm_reference(x, bias=None, eps=1e-6):"), std::string::npos)
      << pair->python_code;
  ASSERT_EQ(pair->recipe.args.size(), 3u);
  EXPECT_EQ(pair->recipe.args[1].name, "bias");
  EXPECT_EQ(pair->recipe.args[1].literal, "None");
  EXPECT_EQ(pair->recipe.args[2].literal, "1e-5");
}

// A test calling a name it never imports (a parametrized function argument) reaches a callable
// by that name only when no other callable has it.
TEST(Evidence, AnUnresolvedCallNamingTwoCallablesReachesNeither) {
  auto snapshot = [](bool second) {
    std::vector<AnalyzedFile> files = {analyzed("pkg/scalar.py", kStubKernel + "\ndef scan(x):\n    k[(1,)](x)\n    return x\n"),
                                       analyzed("tests/test_scan.py", R"(import pytest
import torch

@pytest.mark.parametrize("scan", [None])
def test_scan(scan):
    x = torch.randn(8)
    torch.testing.assert_close(scan(x), torch.cumsum(x, -1))
)")};
    if (second) files.push_back(analyzed("pkg/complex.py", kStubKernel + "\ndef scan(x):\n    k[(1,)](x)\n    return x\n"));
    return match_snapshot(files);
  };
  EXPECT_NE(find_pair(snapshot(false), "scan"), nullptr);
  EXPECT_EQ(find_pair(snapshot(true), "scan"), nullptr);
}

const char* kGatedOps = R"(import torch
import triton
import triton.language as tl


@triton.jit
def gated_kernel(x_ptr, w_ptr, out_ptr, n, HAS_W: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    if HAS_W:
        x = x * tl.load(w_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x * 2.0, mask=mask)


def gated(x, w=None):
    out = torch.empty_like(x)
    gated_kernel[(triton.cdiv(x.numel(), 128),)](x, x if w is None else w, out, x.numel(), HAS_W=w is not None, BLOCK=128)
    return out


def scaled(x):
    out = torch.empty_like(x)
    gated_kernel[(triton.cdiv(x.numel(), 128),)](x, x, out, x.numel(), HAS_W=False, BLOCK=128)
    return out


def doubled(x):
    return scaled(x)
)";

// A test may define its reference inside itself: it comes out to the top level of the
// reference's module, unless it reads the test's own variables. And a comparison whose
// reference the checks refuse (the first one here leaves w out, so its lifted reference would
// take w and ignore it) leaves the next comparison its chance.
TEST(Evidence, ATestsOwnReferenceIsTakenOutAndALaterComparisonMayPair) {
  auto result = match_snapshot({analyzed("gated_ops.py", kGatedOps), analyzed("test_gated.py", R"(import torch
from gated_ops import gated, scaled, doubled

factor = 3.0


def test_gated():
    x = torch.randn(64)
    w = torch.randn(64)

    def ref_plain(x):
        return x * 2.0

    def ref_weighted(x, w):
        return x * w * 2.0

    torch.testing.assert_close(gated(x), ref_plain(x) + 0.0)
    torch.testing.assert_close(gated(x, w), ref_weighted(x, w))


def test_scaled():
    x = torch.randn(64)
    factor = 2.0

    def ref_scaled(x):
        return x * factor

    torch.testing.assert_close(scaled(x), ref_scaled(x))


def test_doubled(fast):
    x = torch.randn(64)
    if fast:
        def ref_doubled(x):
            return x * 2.0
    else:
        def ref_doubled(x):
            return x + x

    torch.testing.assert_close(doubled(x), ref_doubled(x))
)")});
  const Pair* pair = find_pair(result, "gated");
  ASSERT_NE(pair, nullptr) << unpaired_reason(result, "gated");
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_EQ(pair->where, "test_gated.py:18");
  EXPECT_EQ(pair->reference, "ref_weighted");
  EXPECT_EQ(pair->reference_path, "test_gated.py");
  EXPECT_EQ(pair->python_code, "def ref_weighted(x, w):\n    return x * w * 2.0\n");
  ASSERT_EQ(pair->recipe.args.size(), 2u);
  EXPECT_EQ(pair->recipe.origin, "test_gated.py:18");

  EXPECT_EQ(find_pair(result, "scaled"), nullptr);
  // The module's factor is another value than the test's.
  EXPECT_NE(unpaired_reason(result, "scaled").find("the test's own reference ref_scaled reads the test's variable 'factor'"),
            std::string::npos)
      << unpaired_reason(result, "scaled");
  EXPECT_NE(unpaired_reason(result, "doubled").find("defines its reference ref_doubled more than once"),
            std::string::npos)
      << unpaired_reason(result, "doubled");
}

// A repository helper that hands back its argument converted (to_reference moves it to the
// CPU or to float64) makes a copy of it, as x.clone() does; one that computes something else
// does not.
TEST(Evidence, AHelperReturningItsArgumentConvertedMakesACopy) {
  auto result = match_snapshot({analyzed("pkg/ops.py", kOps + std::string(R"(

def shift(x):
    out = torch.empty_like(x)
    scale_kernel[(1,)](x, out, x.numel(), BLOCK=128)
    return out
)")),
                                analyzed("tests/accuracy_utils.py", R"(import torch

TO_CPU = False


def to_reference(inp, upcast=False):
    if inp is None:
        return None
    ref_inp = inp
    if TO_CPU:
        ref_inp = ref_inp.to("cpu")
    if upcast:
        ref_inp = ref_inp.to(torch.float64)
    return ref_inp


def noisy(inp):
    out = inp
    out = out + 1
    return out
)"),
                                analyzed("tests/test_ops.py", R"(import torch
from pkg.ops import scale, shift
from .accuracy_utils import to_reference, noisy


def test_scale():
    x = torch.randn(64)
    ref_x = to_reference(x, True)
    torch.testing.assert_close(scale(x), torch.mul(ref_x, 2.0))


def test_shift():
    x = torch.randn(64)
    ref_x = noisy(x)
    torch.testing.assert_close(shift(x), torch.mul(ref_x, 2.0))
)")});
  const Pair* pair = find_pair(result, "scale");
  ASSERT_NE(pair, nullptr) << unpaired_reason(result, "scale");
  EXPECT_EQ(pair->evidence, "test-compare");
  EXPECT_NE(pair->python_code.find("def scale_reference(x):\n    ref_x = x\n    return torch.mul(ref_x, 2.0)"),
            std::string::npos)
      << pair->python_code;
  EXPECT_EQ(find_pair(result, "shift"), nullptr);
  EXPECT_NE(unpaired_reason(result, "shift").find("reads none of the launcher's inputs"), std::string::npos)
      << unpaired_reason(result, "shift");
}

// mm(a_q, b) against a @ b.T: the test's own `a` (before quantization) is not the launcher's
// parameter a, whatever the names say.
TEST(Evidence, ATestVariableNamedLikeAParameterIsNotThatParameter) {
  auto result = match_snapshot({analyzed("pkg/mm.py", kStubKernel + R"(
def mm(a, b):
    k[(1,)](a)
    return a
)"),
                                analyzed("tests/test_mm.py", R"(import torch
from pkg.mm import mm
from pkg.quant import quantize

def test_mm():
    a = torch.randn(64, 32)
    b = torch.randn(16, 32)
    a_q = quantize(a)
    torch.testing.assert_close(mm(a_q, b), a @ b.T)
)")});
  EXPECT_EQ(find_pair(result, "mm"), nullptr);
  EXPECT_NE(unpaired_reason(result, "mm").find("the test's own 'a'"), std::string::npos) << unpaired_reason(result, "mm");
}

TEST(ModuleBuilder, TakesTheClosureOfNamesAndNothingElse) {
  std::vector<AnalyzedFile> files = {analyzed("ops.py", kOps)};
  ModuleIndex index(files);
  auto module = build_module(index, files[0], {"scale"});
  ASSERT_TRUE(module) << module.status().message();
  EXPECT_NE(module->find("SCALE = 2.0"), std::string::npos);
  EXPECT_NE(module->find("def scale_kernel"), std::string::npos);
  EXPECT_NE(module->find("import triton.language as tl"), std::string::npos);
  EXPECT_EQ(module->find("UNUSED"), std::string::npos);
  EXPECT_EQ(module->find("import math"), std::string::npos);
  EXPECT_EQ(module->find("scale_reference"), std::string::npos);
  EXPECT_EQ(module->find("__main__"), std::string::npos);
}

TEST(ModuleBuilder, InlinesHelpersFromTheRepositorysOwnModules) {
  std::vector<AnalyzedFile> files = {
      analyzed("src/pkg/utils/op.py", R"(import triton
import triton.language as tl
import some_private_lib

LOG2_E = 1.4426950408889634

@triton.jit
def exp2(x):
    return tl.exp(x * LOG2_E)

def unrelated():
    return some_private_lib.x
)"),
      analyzed("src/pkg/ops/softmax.py", R"(import torch
import triton
from pkg.utils.op import exp2 as fast_exp
from ..utils import op

@triton.jit
def k(p):
    fast_exp(p)

def softmax(x):
    k[(1,)](x)
    return x
)")};
  ModuleIndex index(files);
  auto module = build_module(index, files[1], {"softmax"});
  ASSERT_TRUE(module) << module.status().message();
  EXPECT_NE(module->find("LOG2_E = 1.4426950408889634"), std::string::npos);
  EXPECT_NE(module->find("def exp2(x)"), std::string::npos);
  EXPECT_NE(module->find("def k(p):\n    exp2(p)"), std::string::npos) << "read by the name it has here" << *module;
  EXPECT_EQ(module->find("fast_exp"), std::string::npos) << *module;
  EXPECT_EQ(module->find("some_private_lib"), std::string::npos);
  EXPECT_EQ(module->find("from pkg"), std::string::npos);
  EXPECT_LT(module->find("def exp2"), module->find("def k")) << "dependencies come first";
}

TEST(ModuleBuilder, RefusesModulesThatNeedWhatAFreshEnvironmentLacks) {
  std::vector<AnalyzedFile> files = {analyzed("pkg/ops.py", "from transformers import thing\n\ndef f(x):\n    return thing(x)\n")};
  ModuleIndex index(files);
  auto module = build_module(index, files[0], {"f"});
  ASSERT_FALSE(module);
  EXPECT_NE(module.status().message().find("pkg/ops.py:1"), std::string::npos) << module.status().message();
  EXPECT_NE(module.status().message().find("transformers"), std::string::npos);
}

// A module imported as an object is inlined through the attributes its readers read, each by
// its name in the closure (renamed where another module defines it too). Passed along as an
// object, or a name its module does not define, it is refused.
TEST(ModuleBuilder, ModuleObjectsAreInlinedThroughTheAttributesRead) {
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/__init__.py", "from . import runtime\n"),
      analyzed("pkg/runtime.py", "device_count = 1\n\ndef Softmax(x):\n    return x\n"),
      analyzed("pkg/kernel/__init__.py", "from .softmax import Softmax\n"),
      analyzed("pkg/kernel/softmax.py", "class Softmax:\n    scale = 2\n"),
      analyzed("pkg/ops.py", R"(import pkg.runtime as rt
from pkg import runtime, kernel
from pkg.runtime import missing


def f(x):
    return runtime.device_count + rt.device_count + runtime.Softmax(x) * kernel.Softmax.scale


def g(x):
    return missing


def h(x):
    return len(runtime, x)
)")};
  ModuleIndex index(files);
  auto f = build_module(index, files[4], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_NE(f->find("device_count = 1"), std::string::npos) << *f;
  EXPECT_NE(f->find("class Softmax:\n    scale = 2"), std::string::npos) << *f;
  EXPECT_NE(f->find("def Softmax_runtime(x):"), std::string::npos) << *f;
  EXPECT_NE(f->find("return device_count + device_count + Softmax_runtime(x) * Softmax.scale"), std::string::npos)
      << *f;
  EXPECT_EQ(f->find("runtime."), std::string::npos) << *f;
  EXPECT_EQ(f->find("import pkg"), std::string::npos) << *f;

  auto g = build_module(index, files[4], {"g"});
  ASSERT_FALSE(g);
  EXPECT_NE(g.status().message().find("'missing' is imported from here but not defined"), std::string::npos)
      << g.status().message();
  auto h = build_module(index, files[4], {"h"});
  ASSERT_FALSE(h);
  EXPECT_NE(h.status().message().find("pkg/ops.py:2: imports the module 'runtime' of the repository as a whole"),
            std::string::npos)
      << h.status().message();
}

// A class body's own assignments read like uses of the module-level names they shadow; the
// module keeps the file's statement order anyway, so it still runs.
TEST(ModuleBuilder, KeepsTheFilesOwnStatementOrder) {
  std::vector<AnalyzedFile> files = {analyzed("pkg/config.py", R"(import torch

class Config:
    e4m3 = torch.float8_e4m3fn
    e5m2 = torch.float8_e5m2

config = Config()

e5m2 = config.e5m2

e4m3 = config.e4m3
)"),
                                     analyzed("pkg/kernels.py", R"(from pkg.config import e4m3

def f(x):
    return x.to(e4m3)
)")};
  ModuleIndex index(files);
  auto f = build_module(index, files[1], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  size_t config = f->find("config = Config()");
  ASSERT_NE(config, std::string::npos) << *f;
  EXPECT_LT(f->find("class Config"), config) << *f;
  EXPECT_LT(config, f->find("e5m2 = config.e5m2")) << *f;
  EXPECT_LT(f->find("e4m3 = config.e4m3"), f->find("def f(x)")) << *f;
}

// packaging is no dependency of torch, triton or numpy; a version check reads our stand-in,
// defined before the module-level statement that runs it. einops' rearrange, repeat, reduce
// and einsum have one too; its pack does not.
TEST(ModuleBuilder, PackagingVersionGetsAStandIn) {
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/utils.py", R"(import triton
from packaging import version as pv
from packaging.version import Version

NEW_TRITON = pv.parse(triton.__version__) >= Version("3.4")
)"),
      analyzed("pkg/ops.py", R"(from pkg.utils import NEW_TRITON

def f(x):
    return x if NEW_TRITON else -x
)")};
  ModuleIndex index(files);
  auto f = build_module(index, files[1], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_EQ(f->find("from packaging"), std::string::npos) << *f;
  size_t stand_in = f->find("class _packaging_version:");
  ASSERT_NE(stand_in, std::string::npos) << *f;
  EXPECT_LT(stand_in, f->find("pv = _packaging_version\n")) << *f;
  EXPECT_LT(f->find("Version = _packaging_version.Version\n"), f->find("NEW_TRITON =")) << *f;
  EXPECT_EQ(f->find("class _packaging_version:", stand_in + 1), std::string::npos) << "defined once";

  std::vector<AnalyzedFile> other = {
      analyzed("pkg/req.py", "from packaging.requirements import Requirement\n\n"
                             "def f(x):\n    return Requirement(x)\n"),
      analyzed("pkg/ref.py", "import einops\nfrom einops import rearrange as r, pack\n\n"
                             "def g(x):\n    return einops.repeat(r(x, 'b n -> n b'), 'n b -> n b k', k=2)\n\n"
                             "def h(x):\n    return pack([x], '* d')\n")};
  ModuleIndex other_index(other);
  EXPECT_FALSE(build_module(other_index, other[0], {"f"})) << "only packaging.version has a stand-in";
  auto g = build_module(other_index, other[1], {"g"});
  ASSERT_TRUE(g) << g.status().message();
  EXPECT_NE(g->find("class _einops:"), std::string::npos) << *g;
  EXPECT_NE(g->find("einops = _einops\n"), std::string::npos) << *g;
  EXPECT_NE(g->find("r = _einops.rearrange\n"), std::string::npos) << *g;
  EXPECT_FALSE(build_module(other_index, other[1], {"h"})) << "einops.pack has no stand-in";
}

// FlagGems' element-wise operators are scalar jit functions its pointwise_dynamic makes into
// kernels at run time, through code generation the vendor backend configures: the closure
// gets the stand-in, by either name the operator imports it by, not the repository's module.
TEST(ModuleBuilder, FlagGemsPointwiseDynamicGetsTheStandIn) {
  std::vector<AnalyzedFile> files = {
      analyzed("src/flag_gems/utils/__init__.py", "from .pointwise_dynamic import pointwise_dynamic\n"),
      analyzed("src/flag_gems/utils/pointwise_dynamic.py",
               "from flag_gems.utils.codegen_config_utils import get_codegen_config\n\n"
               "def pointwise_dynamic(f=None, **kw):\n    return get_codegen_config()\n"),
      analyzed("src/flag_gems/utils/codegen_config_utils.py",
               "from flag_gems.runtime.backend import vendor_module\n\n"
               "def get_codegen_config():\n    return vendor_module.CODEGEN\n"),
      analyzed("src/flag_gems/ops/relu.py", R"(import triton
import triton.language as tl
from flag_gems.utils import pointwise_dynamic


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def relu_forward(x):
    return tl.where(x > 0, x, 0)


def relu(A):
    return relu_forward(A)
)"),
      analyzed("src/flag_gems/ops/neg.py", R"(import triton
from flag_gems.utils.pointwise_dynamic import pointwise_dynamic


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def neg_func(x):
    return -x


def neg(A):
    return neg_func(A)
)")};
  ModuleIndex index(files);
  for (const auto& [file, root] : {std::pair{&files[3], "relu"}, std::pair{&files[4], "neg"}}) {
    auto module = build_module(index, *file, {root});
    ASSERT_TRUE(module) << module.status().message();
    EXPECT_EQ(module->find("vendor_module"), std::string::npos) << *module;
    EXPECT_NE(module->find("def _flag_gems_pointwise_kernel("), std::string::npos) << *module;
    EXPECT_NE(module->find("pointwise_dynamic = _flag_gems_pointwise_dynamic.pointwise_dynamic\n"), std::string::npos)
        << *module;
  }
}

// FlagGems' runtime detects the GPU vendor when imported; its operators get our NVIDIA
// stand-ins instead of the repository's runtime, libentry and device library helper, each by
// the name the operator imports it by. The heuristics and tuned configurations it looks up by
// op name come out of the NVIDIA backend's table and YAML, entry by entry. A stand-in module
// object read for what it lacks refuses the closure, and so does the vendor backend itself.
TEST(ModuleBuilder, FlagGemsRuntimeGetsNvidiaStandIns) {
  std::vector<AnalyzedFile> files = {
      analyzed("src/flag_gems/runtime/__init__.py", "from .backend.device import DeviceDetector\n\n"
                                                    "device = DeviceDetector()\n"),
      analyzed("src/flag_gems/utils/__init__.py", "from flag_gems.utils.libentry import libentry\n"
                                                  "from flag_gems.utils.triton_lang_helper import tl_extra_shim\n"),
      analyzed("src/flag_gems/utils/libentry.py", "from flag_gems.runtime.backend import vendor_module\n\n"
                                                  "def libentry():\n    return vendor_module.cache\n"),
      analyzed("src/flag_gems/runtime/backend/_nvidia/heuristics_config_utils.py", R"(import triton


def exp3_block(args):
    return triton.next_power_of_2(args["n"])


def other_block(args):
    return 64


HEURISTICS_CONFIGS = {
    "exp3": {"BLOCK": exp3_block},
    "other": {"BLOCK": other_block},
}
)"),
      analyzed("src/flag_gems/ops/exp.py", R"(import triton
import triton.language as tl
from flag_gems import runtime
from flag_gems.runtime import torch_device_fn
from flag_gems.utils import libentry, tl_extra_shim


@libentry()
@triton.jit
def exp_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offsets, mask=offsets < n)
    tl.store(y_ptr + offsets, tl_extra_shim.exp(x), mask=offsets < n)


def exp(x):
    y = x.new_empty(x.shape)
    with torch_device_fn.device(x.device):
        exp_kernel[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), BLOCK=1024)
    return y


@triton.autotune(configs=runtime.get_tuned_config("exp2"), key=["n"])
@triton.jit
def exp2_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    pass


def exp2(x):
    y = x.new_empty(x.shape)
    with torch_device_fn.device(x.device):
        exp2_kernel[(1,)](x, y, x.numel())
    return y


@triton.heuristics(runtime.get_heuristic_config("exp3"))
@triton.jit
def exp3_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    pass


def exp3(x):
    exp3_kernel[(1,)](x, x, x.numel())
    return x


def exp4(x, op):
    return runtime.get_heuristic_config(op)


def exp5(x):
    runtime.replace_customized_ops(globals())
    return x
)"),
      analyzed("src/flag_gems/runtime/backend/_nvidia/__init__.py", ""),
      analyzed("src/flag_gems/ops/common.py", "from flag_gems import runtime\n"),
      analyzed("src/flag_gems/ops/reexported.py", R"(import triton
from .common import runtime
from flag_gems.runtime import backend
from ..runtime.backend import vendor_module


@triton.autotune(configs=runtime.get_tuned_config("exp2"), key=["n"])
@triton.jit
def k(x_ptr, n, BLOCK: tl.constexpr):
    pass


def tuned(x):
    k[(1,)](x, x.numel())
    return x


def named(x):
    return getattr(runtime, "device")


def vendor(x):
    return backend.get_tl_extra_backend_module()


def relative(x):
    return vendor_module.TOTAL_CORE_NUM
)"),
      analyzed("src/flag_gems/runtime/backend/__init__.py", "vendor_module = None\n"),
      analyzed("src/flag_gems/runtime/backend/_nvidia/tune_configs.yaml", R"(exp2:
  - META:
      BLOCK: 64
    num_warps: 8
other:
  - META:
      BLOCK: 32
)")};
  ModuleIndex index(files);
  auto exp = build_module(index, files[4], {"exp"});
  ASSERT_TRUE(exp) << exp.status().message();
  EXPECT_EQ(exp->find("vendor_module"), std::string::npos) << "the repository's libentry stays out: " << *exp;
  EXPECT_EQ(exp->find("DeviceDetector"), std::string::npos) << *exp;
  EXPECT_NE(exp->find("class _flag_gems_runtime:"), std::string::npos) << *exp;
  EXPECT_NE(exp->find("torch_device_fn = _flag_gems_runtime.torch_device_fn\n"), std::string::npos) << *exp;
  EXPECT_NE(exp->find("libentry = _flag_gems_libentry.libentry\n"), std::string::npos) << *exp;
  EXPECT_NE(exp->find("tl_extra_shim = _flag_gems_triton_lang_helper.tl_extra_shim\n"), std::string::npos) << *exp;
  EXPECT_LT(exp->find("libentry = _flag_gems_libentry.libentry\n"), exp->find("@libentry()")) << *exp;

  // Tuned configurations come out of the NVIDIA backend's YAML as its runtime reads it.
  auto exp2 = build_module(index, files[4], {"exp2"});
  ASSERT_TRUE(exp2) << exp2.status().message();
  size_t tuned = exp2->find(
      "_flag_gems_tuned_exp2 = [\n    triton.Config({\"BLOCK\": 64}, num_warps=8, num_stages=2, num_ctas=1),\n]\n");
  ASSERT_NE(tuned, std::string::npos) << *exp2;
  EXPECT_LT(tuned, exp2->find("@triton.autotune(configs=runtime.get_tuned_config(\"exp2\")")) << *exp2;
  EXPECT_EQ(exp2->find("_flag_gems_tuned_other"), std::string::npos) << *exp2;

  auto exp5 = build_module(index, files[4], {"exp5"});
  ASSERT_FALSE(exp5);
  EXPECT_NE(exp5.status().message().find("src/flag_gems/ops/exp.py:51: reads 'runtime.replace_customized_ops', which "
                                         "tritonpile's stand-in for flag_gems.runtime does not provide"),
            std::string::npos)
      << exp5.status().message();
  // Through a module re-exporting it, the stand-in still looks its entries up; used otherwise
  // than by attributes, it is refused; the vendor backend is refused by name and by path.
  const AnalyzedFile& reexported = files[7];
  ASSERT_EQ(reexported.path, "src/flag_gems/ops/reexported.py");
  auto through = build_module(index, reexported, {"tuned"});
  ASSERT_TRUE(through) << through.status().message();
  EXPECT_NE(through->find("_flag_gems_tuned_exp2 = ["), std::string::npos) << *through;
  auto named = build_module(index, reexported, {"named"});
  ASSERT_FALSE(named);
  EXPECT_NE(named.status().message().find("otherwise than by its attributes"), std::string::npos)
      << named.status().message();
  auto vendor = build_module(index, reexported, {"vendor"});
  ASSERT_FALSE(vendor);
  EXPECT_NE(vendor.status().message().find("imports 'flag_gems.runtime.backend', FlagGems' vendor backend"),
            std::string::npos)
      << vendor.status().message();
  auto relative = build_module(index, reexported, {"relative"});
  ASSERT_FALSE(relative);
  EXPECT_NE(relative.status().message().find("FlagGems' vendor backend"), std::string::npos)
      << relative.status().message();
  auto libentry = build_module(index, files[2], {"libentry"});
  ASSERT_FALSE(libentry);
  EXPECT_NE(libentry.status().message().find("src/flag_gems/utils/libentry.py:1: imports 'flag_gems.runtime.backend.vendor_module', "
                                             "FlagGems' vendor backend"),
            std::string::npos)
      << libentry.status().message();

  // A heuristic looked up by name comes as that entry alone, before the kernel reading it.
  auto exp3 = build_module(index, files[4], {"exp3"});
  ASSERT_TRUE(exp3) << exp3.status().message();
  size_t entry = exp3->find("_flag_gems_heuristics_exp3 = {\"BLOCK\": exp3_block}\n");
  ASSERT_NE(entry, std::string::npos) << *exp3;
  EXPECT_LT(exp3->find("def exp3_block(args)"), entry) << *exp3;
  EXPECT_LT(entry, exp3->find("@triton.heuristics(runtime.get_heuristic_config(\"exp3\"))")) << *exp3;
  EXPECT_EQ(exp3->find("other_block"), std::string::npos) << "only the entry looked up: " << *exp3;
  EXPECT_EQ(exp3->find("HEURISTICS_CONFIGS = "), std::string::npos) << "not the whole table: " << *exp3;
  EXPECT_FALSE(build_module(index, files[4], {"exp4"})) << "an op name known only at run time";
}

// FlagGems' ConfigLoader updates one dict of launch defaults with every configuration in
// file order, so a field left out takes the last value set, across ops too; a `gen` entry's
// products come in the order of its depth-first stack (the last values first).
TEST(FlagGemsTuneConfigs, ReadAsTheRuntimeReadsThem) {
  auto ops = flag_gems_tuned_configs(R"(mm:
  - META:
      BLOCK_M: 32
    num_warps: 8
  - META:
      BLOCK_M: 64
    num_stages: 3
sum:
  - META: {}
attention:
  - gen: true
    param_map:
      META:
        BLOCK_M: block_m
        PRE_LOAD_V: pre_load_v
      num_warps: warps
      num_stages: 1
    block_m: [32, 64]
    pre_load_v:
      - true
      - false
    warps: [4, 8]
)");
  ASSERT_TRUE(ops) << ops.status().message();
  ASSERT_EQ(ops->size(), 3u);
  EXPECT_EQ((*ops)[0].first, "mm");
  EXPECT_EQ((*ops)[0].second,
            "[\n    triton.Config({\"BLOCK_M\": 32}, num_warps=8, num_stages=2, num_ctas=1),"
            "\n    triton.Config({\"BLOCK_M\": 64}, num_warps=8, num_stages=3, num_ctas=1),\n]");
  EXPECT_EQ((*ops)[1].second, "[\n    triton.Config({}, num_warps=8, num_stages=3, num_ctas=1),\n]");
  const std::string& attention = (*ops)[2].second;
  std::vector<std::string> order;
  for (size_t at = attention.find("triton.Config("); at != std::string::npos;
       at = attention.find("triton.Config(", at + 1)) {
    order.push_back(attention.substr(at, attention.find(')', at) - at + 1));
  }
  ASSERT_EQ(order.size(), 8u) << attention;
  EXPECT_EQ(order[0], "triton.Config({\"BLOCK_M\": 64, \"PRE_LOAD_V\": False}, num_warps=8, num_stages=1, num_ctas=1)");
  EXPECT_EQ(order[1], "triton.Config({\"BLOCK_M\": 64, \"PRE_LOAD_V\": False}, num_warps=4, num_stages=1, num_ctas=1)");
  EXPECT_EQ(order[2], "triton.Config({\"BLOCK_M\": 64, \"PRE_LOAD_V\": True}, num_warps=8, num_stages=1, num_ctas=1)");
  EXPECT_EQ(order[7], "triton.Config({\"BLOCK_M\": 32, \"PRE_LOAD_V\": True}, num_warps=4, num_stages=1, num_ctas=1)");

  auto nulls = flag_gems_tuned_configs("mm:\n  - META:\n      SPLIT: null\n");
  ASSERT_TRUE(nulls) << nulls.status().message();
  EXPECT_EQ((*nulls)[0].second, "[\n    triton.Config({\"SPLIT\": None}, num_warps=4, num_stages=2, num_ctas=1),\n]");

  auto broken = flag_gems_tuned_configs("mm:\n  - num_warps: 4\n");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.status().message(), "op 'mm': a configuration without META");
  EXPECT_FALSE(flag_gems_tuned_configs("mm: [\n"));
}

// Written under postponed annotations, a class may annotate with its own name; the inlined
// copy keeps the directive, first.
TEST(ModuleBuilder, KeepsPostponedAnnotations) {
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/registry.py", R"(from __future__ import annotations

from typing import ClassVar


class Registry:
    all: ClassVar[dict[str, Registry]] = {}
)"),
      analyzed("pkg/ops.py", "from pkg.registry import Registry\n\ndef f(x):\n    return Registry.all.get(x)\n")};
  ModuleIndex index(files);
  auto f = build_module(index, files[1], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_EQ(f->rfind("from __future__ import annotations\n", 0), 0u) << *f;

  auto plain = build_module(index, files[0], {"Registry"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(f->find("from __future__"), f->rfind("from __future__")) << "once";
}

// An item reads a helper from another file that the walk already placed for another item:
// the helper still comes first, though this item's own walk placed nothing.
TEST(ModuleBuilder, WhatAnItemReadsFromAnotherFileComesBeforeIt) {
  // The walk reaches a_helper first (and big_smem for it), then blocks, which places nothing.
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/device.py", "z_arch = 90\n\n\ndef big_smem():\n    return True\n"),
      analyzed("pkg/ops.py", R"(from pkg.device import big_smem, z_arch

blocks = [64, 128] if big_smem() else [32, 64]


def a_helper():
    return big_smem()


def f(x):
    return a_helper(), blocks, z_arch
)")};
  ModuleIndex index(files);
  auto f = build_module(index, files[1], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_LT(f->find("def big_smem"), f->find("blocks = ")) << *f;
  EXPECT_LT(f->find("blocks = "), f->find("def a_helper")) << "the file's own order holds" << *f;
}

// Two inlined modules that define one name differently both stay: the later definition, and
// whatever reads it, get a name of their own. The root keeps its name.
TEST(ModuleBuilder, ANameTwoModulesDefineDifferentlyIsRenamedInTheLaterOne) {
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/utils.py", "device = 'cuda'\n\ndef on(x):\n    return x.to(device)\n"),
      analyzed("pkg/_device.py", R"(import torch

device = 'cpu' if not torch.cuda.is_available() else 'cuda'
if device == 'cpu':
    device = 'cuda'


def empty(n, device=device):
    return torch.empty(n, device=device)


class Place:
    device = 'meta'


def where(x):
    return x.device, Place.device, torch.device(device), empty(1, device=device), (lambda device: device)(1)


def f(x):
    return x
)"),
      analyzed("pkg/ops.py", R"(from pkg.utils import on
from pkg._device import where as here


def f(x):
    return on(x), here(x)
)")};
  ModuleIndex index(files);
  auto f = build_module(index, files[2], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_NE(f->find("device = 'cuda'\n"), std::string::npos) << "the first keeps its name\n" << *f;
  EXPECT_NE(f->find("device__device = 'cpu' if"), std::string::npos) << *f;
  EXPECT_NE(f->find("if device__device == 'cpu':\n    device__device = 'cuda'"), std::string::npos) << *f;
  EXPECT_NE(f->find("def empty(n, device=device__device):\n    return torch.empty(n, device=device)"),
            std::string::npos)
      << "a parameter is no global; its default is" << *f;
  EXPECT_NE(f->find("class Place:\n    device = 'meta'"), std::string::npos) << *f;
  EXPECT_NE(f->find("return x.device, Place.device, torch.device(device__device), empty(1, device=device__device), "
                    "(lambda device: device)(1)"),
            std::string::npos)
      << *f;
  EXPECT_NE(f->find("def f(x):\n    return on(x), where(x)"), std::string::npos) << "the root keeps its name\n" << *f;
  EXPECT_EQ(f->find("def f(x):\n    return x"), std::string::npos) << "_device.f is not needed" << *f;
}

// A package __init__.py that star-imports its modules (`from .softmax import *`) passes
// their names on; nvtx's profiling ranges get a no-op stand-in.
TEST(ModuleBuilder, NamesComeThroughStarImportsAndNvtxGetsAStandIn) {
  std::vector<AnalyzedFile> files = {
      analyzed("pkg/__init__.py", ""),
      analyzed("pkg/operation/__init__.py", "from .argmax import *\nfrom .softmax import *\n"),
      analyzed("pkg/operation/softmax.py", "import nvtx\n\ndef softmax(x):\n    nvtx.push_range('softmax')\n"
                                           "    y = x.softmax(-1)\n    nvtx.pop_range()\n    return y\n"),
      analyzed("pkg/operation/argmax.py", "def argmax(x):\n    return x.argmax()\n"),
      analyzed("pkg/function.py", "from pkg import operation\n\ndef f(x):\n    return operation.softmax(x)\n")};
  ModuleIndex index(files);
  auto f = build_module(index, files[4], {"f"});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_NE(f->find("class _nvtx:"), std::string::npos) << *f;
  EXPECT_NE(f->find("nvtx = _nvtx\n"), std::string::npos) << *f;
  EXPECT_NE(f->find("def softmax(x):"), std::string::npos) << *f;
  EXPECT_NE(f->find("return softmax(x)"), std::string::npos) << *f;
  EXPECT_EQ(f->find("def argmax"), std::string::npos) << *f;
}

TEST(ModuleIndex, ResolvesAbsoluteAndRelativeModules) {
  std::vector<AnalyzedFile> files = {analyzed("src/pkg/utils/op.py", ""), analyzed("src/pkg/ops/a.py", ""),
                                     analyzed("src/pkg/ops/__init__.py", "")};
  ModuleIndex index(files);
  EXPECT_EQ(index.resolve(files[1], "pkg.utils.op"), &files[0]);
  EXPECT_EQ(index.resolve(files[1], "src.pkg.utils.op"), &files[0]);
  EXPECT_EQ(index.resolve(files[1], "..utils.op"), &files[0]);
  EXPECT_EQ(index.resolve(files[1], "."), &files[2]);
  EXPECT_EQ(index.resolve(files[1], "numpy"), nullptr);
}

// A package's subpackage is never a top-level module: aiter/ops/triton/ is aiter.ops.triton, and
// `import triton` means the installed Triton, not it.
TEST(ModuleIndex, SubpackagesAreNotTopLevelModules) {
  std::vector<AnalyzedFile> files = {analyzed("aiter/__init__.py", ""), analyzed("aiter/ops/__init__.py", ""),
                                     analyzed("aiter/ops/triton/__init__.py", ""),
                                     analyzed("aiter/ops/triton/norm.py", ""), analyzed("tests/helpers.py", ""),
                                     analyzed("tests/test_norm.py", "")};
  ModuleIndex index(files);
  EXPECT_EQ(index.resolve(files[3], "triton"), nullptr);
  EXPECT_EQ(index.resolve(files[3], "ops.triton.norm"), nullptr);
  EXPECT_EQ(index.resolve(files[5], "aiter.ops.triton.norm"), &files[3]);
  EXPECT_EQ(index.resolve(files[5], "aiter.ops.triton"), &files[2]);
  EXPECT_EQ(index.resolve(files[5], "helpers"), &files[4]);  // a test directory pytest puts on sys.path
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
