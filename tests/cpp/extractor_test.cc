// One test per pattern of ../shared/real-world-patterns.md and the extractor issue: each
// asserts exactly which kernels, launchers, references and tests are found.
#include <gtest/gtest.h>

#include <algorithm>

#include "extractor/file_extractor.h"
#include "extractor/query.h"

namespace tritonpile::extractor {
namespace {

using Names = std::vector<std::string>;

template <typename T>
Names qualnames(const std::vector<T>& items) {
  Names names;
  for (const auto& item : items) names.push_back(item.qualname);
  std::sort(names.begin(), names.end());
  return names;
}

const Kernel& kernel(const FileExtraction& x, const std::string& qualname) {
  auto it = std::find_if(x.kernels.begin(), x.kernels.end(), [&](const Kernel& k) { return k.qualname == qualname; });
  if (it == x.kernels.end()) throw std::runtime_error("no kernel " + qualname);
  return *it;
}

// ---- declaring kernels ---------------------------------------------------------------------

TEST(KernelPatterns, TritonJitDecorator) {
  auto x = extract_file(R"(import triton
import triton.language as tl

@triton.jit
def add_kernel(x_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(x_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)

def not_a_kernel(x):
    return x
)");
  ASSERT_EQ(qualnames(x.kernels), Names{"add_kernel"});
  const auto& k = x.kernels[0];
  EXPECT_EQ(k.span.start_line, 4);
  EXPECT_EQ(k.span.end_line, 7);
  ASSERT_EQ(k.params.size(), 3u);
  EXPECT_FALSE(k.params[0].constexpr_);
  EXPECT_TRUE(k.params[2].constexpr_);
  EXPECT_EQ(k.tl_ops, (Names{"tl.arange", "tl.constexpr", "tl.load", "tl.program_id", "tl.store"}));
  EXPECT_TRUE(x.launchers.empty());
}

TEST(KernelPatterns, BareJitImportedFromTriton) {
  auto x = extract_file("from triton import jit\n\n@jit\ndef k(p):\n    pass\n");
  EXPECT_EQ(qualnames(x.kernels), Names{"k"});
}

TEST(KernelPatterns, JitCalledWithOptions) {
  auto x = extract_file(R"(import triton
@triton.jit(do_not_specialize=["n"])
def a(p, n):
    pass
@triton.jit(noinline=True)
def b(p):
    pass
@triton.jit()
def c(p):
    pass
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"a", "b", "c"}));
  EXPECT_EQ(kernel(x, "a").decorators, Names{"triton.jit(do_not_specialize=[\"n\"])"});
}

TEST(KernelPatterns, StackedDecoratorsInAnyOrderWithProjectWrappers) {
  auto x = extract_file(R"(import triton
from flag_gems.utils import libentry, libtuner

@triton.autotune(configs=[triton.Config({"BLOCK": 64})], key=["n"])
@triton.heuristics({"EVEN": lambda args: args["n"] % 64 == 0})
@triton.jit
def tuned(p, n, BLOCK, EVEN):
    pass

@triton.jit
@libentry()
def jit_not_innermost(p):
    pass

@libentry()
@libtuner(configs=[], key=["n"])
@triton.jit
def wrapped(p, n):
    pass
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"jit_not_innermost", "tuned", "wrapped"}));
  EXPECT_EQ(kernel(x, "tuned").decorators.size(), 3u);
  EXPECT_EQ(kernel(x, "wrapped").decorators[1], "libtuner(configs=[], key=[\"n\"])");
}

TEST(KernelPatterns, CommentLinesBetweenDecoratorAndDef) {
  auto x = extract_file("import triton\n@triton.jit\n# a note FBGEMM style\n# another\ndef k(p):\n    pass\n");
  EXPECT_EQ(qualnames(x.kernels), Names{"k"});
}

TEST(KernelPatterns, CallFormJit) {
  auto x = extract_file(R"(import triton

def _cross_entropy(p):
    pass
_cross_entropy = triton.jit(_cross_entropy)
_cross_entropy = triton.heuristics({"X": lambda a: 1})(_cross_entropy)

def _rms(p):
    pass
_rms_kernel = triton.heuristics({})(triton.jit(_rms))

def _fn(p):
    pass
compiled = triton.JITFunction(_fn)

def untouched(p):
    pass
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"_cross_entropy", "_fn", "_rms"}));
}

TEST(KernelPatterns, ClassAttributeAndStaticMethodKernels) {
  auto x = extract_file(R"(import triton
class Operator:
    @triton.jit
    def softmax_kernel(out, inp):
        pass

    @staticmethod
    @triton.jit
    def static_kernel(p):
        pass

    def softmax(self, x):
        Operator.softmax_kernel[(1,)](x, x)
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"Operator.softmax_kernel", "Operator.static_kernel"}));
  EXPECT_EQ(qualnames(x.launchers), Names{"Operator.softmax"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"softmax_kernel"});
}

TEST(KernelPatterns, KernelsNestedInFactoriesAndTests) {
  auto x = extract_file(R"(def make_kernel():
    import triton
    @triton.jit
    def inner(p):
        pass
    return inner

def test_something():
    import triton
    @triton.jit
    def kernel(X):
        pass
    kernel[(1,)](None)
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"make_kernel.inner", "test_something.kernel"}));
  EXPECT_EQ(qualnames(x.launchers), Names{"test_something"});
}

TEST(KernelPatterns, ImportAliasesAreResolvedPerFile) {
  auto x = extract_file(R"(import triton as tr
from triton import language as lang
import triton.language.core as core
import triton.language.extra.libdevice as tldevice

@tr.jit
def k(p):
    x = lang.load(p)
    y = core.sum(x, 0)
    lang.store(p, tldevice.exp(y))
)");
  ASSERT_EQ(qualnames(x.kernels), Names{"k"});
  EXPECT_EQ(x.kernels[0].tl_ops, (Names{"tl.extra.libdevice.exp", "tl.load", "tl.store", "tl.sum"}));
}

TEST(ModuleItems, ImportsAndCompoundStatementsRecordWhatTheyBind) {
  auto x = extract_file(R"(import triton.language as tl
from .utils import exp2 as e, helper
try:
    from triton.language.extra.libdevice import rsqrt
except ModuleNotFoundError:
    from triton.language.extra.cuda.libdevice import rsqrt
if True:
    SCALE = 2
)");
  ASSERT_EQ(x.items.size(), 4u);
  EXPECT_EQ(x.items[0].imports.size(), 1u);
  EXPECT_EQ(x.items[0].imports[0].module, "triton.language");
  EXPECT_EQ(x.items[1].binds, (Names{"e", "helper"}));
  EXPECT_EQ(x.items[1].imports[0].module, ".utils");
  EXPECT_EQ(x.items[1].imports[0].member, "exp2");
  EXPECT_EQ(x.items[2].kind, "compound");
  EXPECT_EQ(x.items[2].binds, Names{"rsqrt"});
  EXPECT_EQ(x.items[2].imports.size(), 2u);
  EXPECT_EQ(x.items[3].binds, Names{"SCALE"});
}

TEST(ModuleItems, StarImportsAreRecordedForTheMatcherToLookBehind) {
  auto x = extract_file("from .function import *\nfrom . import kernel\n");
  ASSERT_EQ(x.items.size(), 2u);
  ASSERT_EQ(x.items[0].imports.size(), 1u);
  EXPECT_EQ(x.items[0].imports[0].module, ".function");
  EXPECT_EQ(x.items[0].imports[0].member, "*");
  EXPECT_EQ(x.items[1].imports[0].member, "kernel");
}

TEST(KernelPatterns, ConditionalDefinitionsAreFound) {
  auto x = extract_file(R"(import triton
TRITON3 = True
if TRITON3:
    @triton.jit
    def fast(p):
        pass
else:
    @triton.jit
    def slow(p):
        pass
)");
  EXPECT_EQ(qualnames(x.kernels), (Names{"fast", "slow"}));
}

TEST(KernelPatterns, LegacyMetaParametersAreKept) {
  auto x = extract_file("import triton\n@triton.jit\ndef k(X, N, **meta):\n    BLOCK = meta['BLOCK']\n");
  ASSERT_EQ(qualnames(x.kernels), Names{"k"});
  EXPECT_EQ(x.kernels[0].params.back().name, "**meta");
}

TEST(NotKernels, StringsCommentsAndOtherJits) {
  auto x = extract_file(R"(import triton
from numba import jit as numba_jit
import jax

DISABLED = """
@triton.jit
def in_a_string(x):
    pass
"""
# @triton.jit
# def in_a_comment(x): pass

@jax.jit
def jax_function(x):
    return x

@numba_jit
def numba_function(x):
    return x
)");
  EXPECT_TRUE(x.kernels.empty());
  EXPECT_EQ(x.generated_kernel_strings, 1);
}

TEST(NotKernels, GeneratedKernelsAreCountedApart) {
  auto x = extract_file(R"(def generate(code):
    code.writeline("@triton.jit")
    code.writeline("def kernel(x):")
    return code
)");
  EXPECT_TRUE(x.kernels.empty());
  EXPECT_EQ(x.generated_kernel_strings, 1);
}

TEST(NotKernels, GluonAndOtherDslsAreTaggedAndKeptApart) {
  auto x = extract_file(R"(from triton.experimental import gluon
from triton.experimental.gluon import language as gl
import tilelang

@gluon.jit
def g(p):
    pass

@tilelang.jit
def t(p):
    pass
)");
  EXPECT_TRUE(x.kernels.empty());
  ASSERT_EQ(x.dsl_kernels.size(), 2u);
  EXPECT_EQ(x.dsl_kernels[0].qualname, "g");
  EXPECT_EQ(x.dsl_kernels[0].dsl, "triton.experimental.gluon.jit");
  EXPECT_EQ(x.dsl_kernels[1].dsl, "tilelang.jit");
}

TEST(NotKernels, ConstexprFunctionsAreHelpersNotKernels) {
  auto x = extract_file(R"(import triton
import triton.language as tl

@tl.constexpr
def cumsum_config(n):
    return n

@tl.constexpr_function
def block_for(n):
    return 64
)");
  EXPECT_TRUE(x.kernels.empty());
}

TEST(KernelDetails, HelpersGlobalsImportsAndLoops) {
  auto x = extract_file(R"(import triton
import triton.language as tl
from fla.ops.utils.op import exp2
from .common import element_mul_kernel

LOG2_E = tl.constexpr(1.4426950408889634)
BLOCK = 128

@triton.jit
def helper(x):
    return x * LOG2_E

@triton.jit
def k(p, n):
    acc = 0.0
    for i in range(0, n, BLOCK):
        acc += helper(tl.load(p + i))
    tl.store(p, exp2(acc))
    element_mul_kernel(p, acc)
)");
  const auto& k = kernel(x, "k");
  EXPECT_EQ(k.helpers, Names{"helper"});
  EXPECT_EQ(k.imported_calls, (Names{".common.element_mul_kernel", "fla.ops.utils.op.exp2"}));
  EXPECT_EQ(k.globals, Names{"BLOCK"});
  EXPECT_EQ(k.imports, (Names{"element_mul_kernel", "exp2", "tl"}));
  EXPECT_EQ(k.loops, 1);
  EXPECT_EQ(kernel(x, "helper").globals, Names{"LOG2_E"});
}

// ---- launching -----------------------------------------------------------------------------

const char* kKernels = R"(import torch
import triton
import triton.language as tl
from torch.library import wrap_triton
from .kernels import far_kernel

@triton.jit
def k(p):
    pass
)";

TEST(LauncherPatterns, SubscriptLaunchInAFunction) {
  auto x = extract_file(std::string(kKernels) + "\ndef launch(x):\n    k[(triton.cdiv(x.numel(), 128),)](x)\n");
  ASSERT_EQ(qualnames(x.launchers), Names{"launch"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"k"});
}

TEST(LauncherPatterns, LaunchThroughAnAliasVariable) {
  auto x = extract_file(std::string(kKernels) + "\ndef launch(x):\n    fx = k\n    fx[(1,)](x)\n");
  ASSERT_EQ(qualnames(x.launchers), Names{"launch"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"k"});
}

TEST(LauncherPatterns, LaunchOfAKernelImportedFromAnotherModule) {
  auto x = extract_file(std::string(kKernels) + "\ndef launch(x):\n    far_kernel[(1,)](x)\n");
  ASSERT_EQ(qualnames(x.launchers), Names{"launch"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"far_kernel"});
}

TEST(LauncherPatterns, WrapTritonAndRunLaunches) {
  auto x = extract_file(std::string(kKernels) + R"(
def op(x):
    wrap_triton(k)[(1,)](x)

def run_it(x):
    k.run(x, grid=(1,), warmup=False)
)");
  EXPECT_EQ(qualnames(x.launchers), (Names{"op", "run_it"}));
}

TEST(LauncherPatterns, LaunchesInsideOtherCallsAndGrids) {
  // k[grid](x).sum() starts where the call on it does; far_kernel's launch sits in k's grid.
  auto x = extract_file(std::string(kKernels) + "\ndef launch(x):\n    return k[(far_kernel[(1,)](x),)](x).sum()\n");
  ASSERT_EQ(qualnames(x.launchers), Names{"launch"});
  EXPECT_EQ(x.launchers[0].kernels, (Names{"far_kernel", "k"}));
}

TEST(LauncherPatterns, CallsOfAKernelAnotherDecoratorWrapsAreLaunches) {
  // FlagGems' @pointwise_dynamic makes a scalar jit function an operator Python calls. A
  // kernel only Triton decorates is no such thing: calling it plainly is a helper call.
  auto x = extract_file(std::string(kKernels) + R"(
from flag_gems.utils import pointwise_dynamic

@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def relu_func(x):
    return tl.where(x > 0, x, 0)

@triton.autotune(configs=[], key=[])
@triton.jit
def tuned(p):
    pass

def relu(x):
    return relu_func(x)

def not_a_launch(x):
    return tuned(x), k(x)

@triton.jit
def uses_it_inside(p):
    relu_func(p)

@functools.wraps(k)
def made_later(p):
    pass

made_later = triton.jit(made_later)

def calls_a_bare_kernel(x):
    return made_later(x)
)");
  ASSERT_EQ(qualnames(x.launchers), Names{"relu"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"relu_func"});
}

TEST(LauncherPatterns, TableLookupsAreNotLaunches) {
  auto x = extract_file(R"(from handlers import table
def dispatch(name, x):
    return table[name](x)
)");
  EXPECT_TRUE(x.launchers.empty());
}

TEST(LauncherPatterns, AutogradFunctionAndModuleWrappersWithTheCallGraph) {
  auto x = extract_file(std::string(kKernels) + R"(
def rms_norm(x):
    k[(1,)](x)
    return x

class RMSNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return rms_norm(x)

class RMSNorm(torch.nn.Module):
    def forward(self, x):
        return RMSNormFunction.apply(x)

class Direct(torch.nn.Module):
    def forward(self, x):
        k[(1,)](x)
        return x
)");
  EXPECT_EQ(qualnames(x.launchers), (Names{"Direct.forward", "rms_norm"}));
  ASSERT_EQ(qualnames(x.wrappers), (Names{"Direct", "RMSNormFunction"}));
  auto function = std::find_if(x.wrappers.begin(), x.wrappers.end(), [](const Wrapper& w) { return w.qualname == "RMSNormFunction"; });
  EXPECT_EQ(function->kind, "autograd.Function");
  EXPECT_EQ(function->launchers, Names{"rms_norm"});
  auto module = std::find_if(x.wrappers.begin(), x.wrappers.end(), [](const Wrapper& w) { return w.qualname == "Direct"; });
  EXPECT_EQ(module->kind, "nn.Module");
  EXPECT_EQ(module->launchers, Names{"k"});
}

// An autograd.Function whose methods reach no launcher of its own file is kept with what they
// call, for the matcher to follow into other modules; so is a launch of a kernel reached
// through an imported module (kernel.Softmax.forward[grid]).
TEST(LauncherPatterns, WrappersKeepTheirCallsAndForwardsParameters) {
  auto x = extract_file(R"(import torch
import triton
from pkg import kernel
from pkg.chunk_fwd import chunk_fwd

class ChunkFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k, scale=None):
        return chunk_fwd(q, k, scale)

class Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return Softmax.__forward(x)

    @staticmethod
    def __forward(x):
        kernel.Softmax.forward[(1,)](x)
        return x
)");
  ASSERT_EQ(qualnames(x.wrappers), (Names{"ChunkFunction", "Softmax"}));
  EXPECT_TRUE(x.wrappers[0].launchers.empty());
  EXPECT_EQ(x.wrappers[0].calls, Names{"chunk_fwd"});
  ASSERT_EQ(x.wrappers[0].params.size(), 4u);
  EXPECT_EQ(x.wrappers[0].params[3].default_value, "None");
  EXPECT_EQ(qualnames(x.launchers), Names{"Softmax.__forward"});
  EXPECT_EQ(x.launchers[0].kernels, Names{"kernel.Softmax.forward"});
}

// ---- references ----------------------------------------------------------------------------

TEST(ReferencePatterns, TorchOnlyFunctionsAndNamingConventions) {
  auto x = extract_file(R"(import torch
import triton

def add_ref(x, y):
    return x + y

def ref_mul(x, y):
    return x * y

def torch_softmax(x):
    return torch.softmax(x, -1)

def naive_gla(q, k):
    return q @ k

def layer_norm_reference(x):
    return x

def add_spec(x, y):
    return x + y

def helper(x):
    return torch.relu(x)

def uses_triton(x):
    return triton.testing.do_bench(lambda: torch.relu(x))

def padded(x):
    return torch.zeros(triton.next_power_of_2(x.shape[0]), triton.cdiv(x.shape[1], 2))

def plain(x):
    return x
)");
  std::vector<std::string> found;
  for (const auto& r : x.references) found.push_back(r.name + ":" + r.why);
  EXPECT_EQ(found, (Names{"add_ref:name", "ref_mul:name", "torch_softmax:name", "naive_gla:name",
                          "layer_norm_reference:name", "add_spec:name", "helper:torch", "padded:torch"}))
      << "triton.cdiv and triton.next_power_of_2 are host arithmetic; triton.testing is not";
}

TEST(ReferencePatterns, NaiveModuleFunctionsAreReferences) {
  auto x = extract_file("def chunk_gla(q, k, v):\n    return q\n", "fla/ops/gla/naive.py");
  ASSERT_EQ(x.references.size(), 1u);
  EXPECT_EQ(x.references[0].why, "naive-module");
  EXPECT_TRUE(extract_file("def chunk_gla(q, k, v):\n    return q\n", "fla/ops/gla/chunk.py").references.empty());
}

TEST(ReferencePatterns, TorchOnlyModulesAreReferenceClasses) {
  auto x = extract_file(R"(import torch
from torch import nn

class LlamaRMSNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True))
)");
  ASSERT_EQ(x.references.size(), 2u);  // the forward method computes with torch too
  auto module = std::find_if(x.references.begin(), x.references.end(), [](const Reference& r) { return r.kind == "class"; });
  ASSERT_NE(module, x.references.end());
  EXPECT_EQ(module->qualname, "LlamaRMSNorm");
}

// ---- comparing tests -----------------------------------------------------------------------

TEST(TestPatterns, AssertCloseWithInputsReadFromConstructors) {
  auto x = extract_file(R"(import torch
from ops import add, add_reference

def test_add():
    x = torch.randn(1000, device="cuda")
    y = torch.rand((37, 129), dtype=torch.float16) + 0.5
    out = add(x, y, 2)
    torch.testing.assert_close(out, add_reference(x, y, 2), rtol=1e-4)
)");
  ASSERT_EQ(x.tests.size(), 1u);
  ASSERT_EQ(x.tests[0].comparisons.size(), 1u);
  const auto& c = x.tests[0].comparisons[0];
  EXPECT_EQ(c.assertion, "torch.testing.assert_close");
  EXPECT_EQ(c.actual.callee, "add");
  EXPECT_EQ(c.expected.callee, "add_reference");
  ASSERT_EQ(c.actual.args.size(), 3u);
  EXPECT_EQ(c.actual.args[0].tensor.shape, std::vector<int64_t>{1000});
  EXPECT_EQ(c.actual.args[1].tensor.shape, (std::vector<int64_t>{37, 129}));
  EXPECT_EQ(c.actual.args[1].tensor.dtype, "float16");
  EXPECT_EQ(c.actual.args[1].tensor.offset, 0.5);
  EXPECT_EQ(c.actual.args[2].kind, "int");
}

TEST(TestPatterns, AllcloseInAssertAndRepoWrappersAreComparisons) {
  auto x = extract_file(R"(import torch
from utils import assert_verbose_allclose, gems_assert_close
from ops import f, f_ref

def test_allclose():
    x = torch.randn(8)
    assert torch.allclose(f(x), f_ref(x))

def test_liger_wrapper():
    x = torch.randn(8)
    assert_verbose_allclose(f(x), f_ref(x))

def test_gems_wrapper():
    x = torch.randn(8)
    gems_assert_close(f(x), torch.abs(x), dtype=torch.float32)

def test_inline_expression():
    x = torch.randn(8)
    torch.testing.assert_close(f(x), x * 2 + 1)

def test_nothing_compared():
    f(torch.randn(3))

def test_equal_helpers():
    x = torch.randn(8)
    assert util.equal(f(x), f_ref(x))
    assert torch.equal(f(x), f_ref(x))
    check_close(f(x), f_ref(x))
    x.close()
    torch.equal(f(x), x)
)");
  ASSERT_EQ(x.tests.size(), 6u);
  ASSERT_EQ(x.tests[5].comparisons.size(), 3u)
      << "util.equal, torch.equal and check_close; x.close() compares nothing, nor does a dropped torch.equal";
  EXPECT_EQ(x.tests[5].comparisons[0].assertion, "util.equal");
  EXPECT_EQ(x.tests[0].comparisons[0].assertion, "torch.allclose");
  EXPECT_EQ(x.tests[1].comparisons[0].assertion, "utils.assert_verbose_allclose");
  EXPECT_EQ(x.tests[2].comparisons[0].expected.callee, "torch.abs");
  EXPECT_EQ(x.tests[3].comparisons[0].expected.callee, "");
  EXPECT_EQ(x.tests[3].comparisons[0].expected.text, "x * 2 + 1");
  EXPECT_TRUE(x.tests[4].comparisons.empty());
}

// Compared values are followed to the call that computed them: through tuple unpacking and
// through conversions that only change dtype or device; a wrapper may lead with a label.
// A helper that compares (called by tests, or by the file's own main) and a script's top
// level are evidence too; a helper that only computes stays a function. A compared variable
// that a statement call was given is what that call wrote.
TEST(TestPatterns, HelpersScriptsAndWrittenArgumentsCompare) {
  auto x = extract_file(R"(import torch
from ops import add, add_into, f_ref

def _check(n):
    x = torch.randn(n)
    torch.testing.assert_close(add(x, x), f_ref(x))

def ref_only(x):
    return add(x, x)

def test_into():
    x = torch.randn(8)
    out = torch.empty_like(x)
    add_into(x, x, out)
    print(out)
    torch.testing.assert_close(out, x * 2)

if __name__ == "__main__":
    y = torch.randn(16)
    assert torch.allclose(add(y, y), y * 2)
)");
  std::map<std::string, const RepoTest*> tests;
  for (const auto& t : x.tests) tests[t.qualname] = &t;
  ASSERT_EQ(tests.size(), 3u);
  ASSERT_TRUE(tests.count("_check"));
  EXPECT_EQ(tests["_check"]->comparisons[0].actual.callee, "add");
  ASSERT_TRUE(tests.count("<module>"));
  EXPECT_EQ(tests["<module>"]->comparisons[0].actual.callee, "add");
  EXPECT_EQ(tests["<module>"]->comparisons[0].actual.args[0].text, "y");
  const auto& into = tests["test_into"]->comparisons[0].actual;
  EXPECT_EQ(into.callee, "add_into");
  EXPECT_EQ(into.result_argument, 2);
  EXPECT_EQ(tests["test_into"]->comparisons[0].expected.result_argument, -1);
  bool helper_is_function = false;
  for (const auto& f : x.functions) helper_is_function = helper_is_function || f.name == "ref_only";
  EXPECT_TRUE(helper_is_function);
}

TEST(TestPatterns, ComparedValuesAreFollowedToTheirCalls) {
  auto x = extract_file(R"(import torch
from ops import quant, quant_ref, f, f_ref
from utils import assert_close

def test_unpacked_and_converted():
    x = torch.randn(64, 32)
    out, scale = quant(x, block=32)
    ref_out, ref_scale = quant_ref(x, 32)
    torch.testing.assert_close(out.to(torch.float32), ref_out.float().cpu())

def test_labelled_wrapper():
    x = torch.randn(8)
    tri = f(x)
    ref = f_ref(x)
    assert_close("o", ref, tri, 0.005)
)");
  ASSERT_EQ(x.tests.size(), 2u);
  ASSERT_EQ(x.tests[0].comparisons.size(), 1u);
  EXPECT_EQ(x.tests[0].comparisons[0].actual.callee, "quant");
  EXPECT_EQ(x.tests[0].comparisons[0].expected.callee, "quant_ref");
  ASSERT_EQ(x.tests[0].comparisons[0].actual.args.size(), 2u);
  EXPECT_EQ(x.tests[0].comparisons[0].actual.args[1].keyword, "block");
  ASSERT_EQ(x.tests[1].comparisons.size(), 1u);
  EXPECT_EQ(x.tests[1].comparisons[0].actual.callee, "f_ref");
  EXPECT_EQ(x.tests[1].comparisons[0].expected.callee, "f");
}

// Op tables: ("aten op", function) rows, at least three, a commented-out row allowed; a list
// with other rows, or too few, is data.
TEST(RegistrationPatterns, OpTablesNameTheAtenOpOfEachFunction) {
  auto x = extract_file(R"(from .ops import *

def enable(lib):
    register(
        (
            ("abs", abs),
            ("add.Tensor", add),
            # ("index.Tensor", index),
            ("mul.Tensor", mul),
        ),
        lib,
    )

PAIRS = [("a", a), ("b", b)]
MIXED = [("a", a), ("b", b), ("c", c, 3), ("d", d)]
LABELS = (("x", "y"), ("z", "w"), ("u", "v"))
)");
  ASSERT_EQ(x.registrations.size(), 3u);
  EXPECT_EQ(x.registrations[0].op, "abs");
  EXPECT_EQ(x.registrations[1].op, "add.Tensor");
  EXPECT_EQ(x.registrations[1].name, "add");
  EXPECT_EQ(x.registrations[1].line, 7);
  EXPECT_EQ(x.registrations[2].name, "mul");
}

TEST(TestPatterns, ParametrizeValuesAndSymbolicShapes) {
  auto x = extract_file(R"(import pytest
import torch
from ops import f, f_ref

@pytest.mark.parametrize("M, N", [(128, 256), (37, 1000)])
@pytest.mark.parametrize("dtype", [torch.float16, torch.float32])
def test_f(M, N, dtype):
    x = torch.randn(M, N, dtype=dtype)
    torch.testing.assert_close(f(x), f_ref(x))
)");
  ASSERT_EQ(x.tests.size(), 1u);
  const auto& t = x.tests[0];
  ASSERT_EQ(t.parametrize.size(), 2u);
  EXPECT_EQ(t.parametrize[0].names, (Names{"M", "N"}));
  EXPECT_EQ(t.parametrize[0].cases, (std::vector<Names>{{"128", "256"}, {"37", "1000"}}));
  EXPECT_EQ(t.parametrize[1].names, Names{"dtype"});
  EXPECT_EQ(t.parametrize[1].cases.size(), 2u);
  const auto& arg = t.comparisons[0].actual.args[0];
  ASSERT_EQ(arg.kind, "tensor");
  EXPECT_EQ(arg.tensor.dims, (Names{"M", "N"}));
  EXPECT_TRUE(arg.tensor.shape.empty()) << "not literal: the matcher fills it from parametrize";
  EXPECT_EQ(arg.tensor.dtype, "dtype");
}

// Cases a module function spells out and returns (`get_params()`, directly or through a local
// name) are the parametrize cases; a function that computes them is not read.
TEST(TestPatterns, ParametrizeCasesFromAFunctionThatListsThem) {
  auto x = extract_file(R"(import pytest
import torch
from ops import f, f_ref

def get_params():
    shapes = [(6, 128), (4, 8, 256)]
    return shapes

def computed():
    return [(n, n) for n in range(3)]

@pytest.mark.parametrize("shape", get_params())
@pytest.mark.parametrize("other", computed())
def test_f(shape, other):
    x = torch.randn(shape)
    torch.testing.assert_close(f(x), f_ref(x))
)");
  ASSERT_EQ(x.tests.size(), 1u);
  const auto& t = x.tests[0];
  ASSERT_EQ(t.parametrize.size(), 1u) << "computed cases are not read";
  EXPECT_EQ(t.parametrize[0].names, Names{"shape"});
  EXPECT_EQ(t.parametrize[0].cases, (std::vector<Names>{{"(6, 128)"}, {"(4, 8, 256)"}}));
}

// Inputs as tests really build them: a copy converted on its way (x.clone().half()), a
// randn_like, a shape splatted from a module constant's parametrize cases, and dimensions the
// test binds to numbers first.
TEST(TestPatterns, InputsThroughConversionsLikesSplatsAndLocalNumbers) {
  auto x = extract_file(R"(import pytest
import torch
from ops import f, f_ref

SHAPES = [(4, 16), (8, 32)]

@pytest.mark.parametrize("shape", SHAPES)
def test_f(shape):
    M, K = 4096, 1024
    base = torch.randn(*shape, dtype=torch.float32)
    x = base.clone().requires_grad_(True).half()
    y = torch.rand_like(x)
    w = torch.randn(M, K).to(dtype=torch.bfloat16)
    torch.testing.assert_close(f(x, y, w), f_ref(x, y, w))
)");
  ASSERT_EQ(x.tests.size(), 1u);
  const auto& t = x.tests[0];
  ASSERT_EQ(t.parametrize.size(), 1u);
  EXPECT_EQ(t.parametrize[0].cases, (std::vector<Names>{{"(4, 16)"}, {"(8, 32)"}}));
  const auto& args = t.comparisons[0].actual.args;
  ASSERT_EQ(args.size(), 3u);
  ASSERT_EQ(args[0].kind, "tensor");
  EXPECT_EQ(args[0].tensor.dims, Names{"shape"});
  EXPECT_EQ(args[0].tensor.dtype, "float16");
  ASSERT_EQ(args[1].kind, "tensor");
  EXPECT_EQ(args[1].tensor.constructor, "rand");
  EXPECT_EQ(args[1].tensor.dtype, "float16");
  ASSERT_EQ(args[2].kind, "tensor");
  EXPECT_EQ(args[2].tensor.shape, (std::vector<int64_t>{4096, 1024}));
  EXPECT_EQ(args[2].tensor.dtype, "bfloat16");
}

// ---- robustness ----------------------------------------------------------------------------

TEST(Robustness, SyntaxErrorsKeepWhatParses) {
  auto x = extract_file(R"(import triton
@triton.jit
def good(p):
    pass

def broken(:
    return

@triton.jit
def also_good(p):
    pass
)");
  EXPECT_GT(x.syntax_errors, 0);
  EXPECT_EQ(qualnames(x.kernels), (Names{"also_good", "good"}));
}

TEST(Robustness, EmptyBinaryHugeAndDeeplyNestedInputNeverCrash) {
  EXPECT_TRUE(extract_file("").kernels.empty());
  EXPECT_NO_THROW(extract_file(std::string("\xff\xfe\x00 def f(:", 10)));
  EXPECT_TRUE(extract_file(std::string(kMaxFileBytes + 1, '#')).too_large);
  std::string deep = "x = " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  EXPECT_NO_THROW(extract_file(deep));
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += std::string(i * 4, ' ') + "def f" + std::to_string(i) + "():\n";
  nested += std::string(800, ' ') + "pass\n";
  EXPECT_NO_THROW(extract_file(nested));
}

// Queries run only at the nodes their patterns start at, so each must start at one kind.
TEST(Robustness, QueryPatternsThatStartAtNoOneNodeKindAreRefused) {
  EXPECT_DEATH(Query("alternation.scm", "[(identifier) (call)] @node"), "alternation.scm");
  EXPECT_DEATH(Query("wildcard.scm", "(_) @node"), "wildcard.scm");
  EXPECT_DEATH(Query("siblings.scm", "((identifier) (call)) @pair"), "siblings.scm");
}

}  // namespace
}  // namespace tritonpile::extractor
