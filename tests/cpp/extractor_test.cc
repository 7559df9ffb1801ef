#include <gtest/gtest.h>

#include <algorithm>

#include "extractor/file_extractor.h"

namespace tritonpile::extractor {
namespace {

std::vector<std::string> kernel_names(const FileExtraction& x) {
  std::vector<std::string> names;
  for (const auto& k : x.kernels) names.push_back(k.qualname);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Extractor, DecoratedJitFunctionsAreKernels) {
  auto x = extract_file(R"(
import triton
import triton.language as tl

@triton.jit
def add_kernel(x_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(x_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)

def not_a_kernel(x):
    return x
)");
  ASSERT_EQ(kernel_names(x), std::vector<std::string>{"add_kernel"});
  const auto& k = x.kernels[0];
  EXPECT_EQ(k.span.start_line, 5);
  ASSERT_EQ(k.params.size(), 3u);
  EXPECT_FALSE(k.params[0].constexpr_);
  EXPECT_TRUE(k.params[2].constexpr_);
  EXPECT_EQ(k.tl_ops, (std::vector<std::string>{"tl.arange", "tl.constexpr", "tl.load", "tl.program_id", "tl.store"}));
}

TEST(Extractor, ImportAliasesAndBareJitAreResolved) {
  auto x = extract_file(R"(
import triton as tr
from triton import jit
from triton import language as lang

@tr.jit(do_not_specialize=["n"])
def a(p, n):
    lang.store(p, lang.load(p))

@jit
def b(p):
    pass

@tr.autotune(configs=[], key=["n"])
@tr.jit
def c(p, n):
    pass
)");
  EXPECT_EQ(kernel_names(x), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(x.kernels[0].tl_ops, (std::vector<std::string>{"tl.load", "tl.store"}));
  EXPECT_EQ(x.kernels[2].decorators.size(), 2u);
}

TEST(Extractor, StringsCommentsAndOtherJitsAreNotKernels) {
  auto x = extract_file(R"(
import triton
from numba import jit as numba_jit
import jax

SOURCE = """
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
}

TEST(Extractor, CallFormAndNestedAndClassKernelsAreFound) {
  auto x = extract_file(R"(
import triton

def _kernel(p):
    pass
_kernel = triton.jit(_kernel)

class Op:
    @triton.jit
    def method_kernel(p):
        pass

    @staticmethod
    @triton.jit
    def static_kernel(p):
        pass

def factory():
    @triton.jit
    def inner(p):
        pass
    return inner
)");
  EXPECT_EQ(kernel_names(x), (std::vector<std::string>{"Op.method_kernel", "Op.static_kernel", "_kernel",
                                                       "factory.inner"}));
}

TEST(Extractor, LaunchersAreFunctionsThatLaunchKernels) {
  auto x = extract_file(R"(
import torch
import triton
from .kernels import imported_kernel

@triton.jit
def k(p):
    pass

def launch(x):
    k[(1,)](x)
    return x

def launch_imported(x):
    imported_kernel[(triton.cdiv(x.numel(), 128),)](x)

class Holder:
    def forward(self, x):
        Holder.kern[(1,)](x)

def not_a_launch(table, i):
    return table[i](3)
)");
  std::vector<std::string> launchers;
  for (const auto& l : x.launchers) launchers.push_back(l.qualname);
  EXPECT_EQ(launchers, (std::vector<std::string>{"launch", "launch_imported"}));
  EXPECT_EQ(x.launchers[0].kernels, std::vector<std::string>{"k"});
}

TEST(Extractor, ReferencesAreTorchOnlyFunctions) {
  auto x = extract_file(R"(
import torch
import triton

def add_reference(x, y):
    return x + y

def torch_softmax(x):
    return torch.softmax(x, -1)

def helper(x):
    return torch.relu(x)

def uses_triton(x):
    return triton.cdiv(x, 2)

def plain(x):
    return x
)");
  std::vector<std::string> names;
  for (const auto& r : x.references) names.push_back(r.name + ":" + r.why);
  EXPECT_EQ(names, (std::vector<std::string>{"add_reference:name", "torch_softmax:name", "helper:torch"}));
}

TEST(Extractor, ComparingTestsRecordBothSidesAndTheirInputs) {
  auto x = extract_file(R"(
import torch
from ops import add, add_reference

def test_add():
    x = torch.randn(1000, device="cuda")
    y = torch.rand((37, 129), dtype=torch.float16) + 0.5
    out = add(x, y, 2)
    torch.testing.assert_close(out, add_reference(x, y, 2), rtol=1e-4)

def test_nothing_compared():
    add(torch.randn(3), torch.randn(3))
)");
  ASSERT_EQ(x.tests.size(), 2u);
  ASSERT_EQ(x.tests[0].comparisons.size(), 1u);
  const auto& c = x.tests[0].comparisons[0];
  EXPECT_EQ(c.assertion, "torch.testing.assert_close");
  EXPECT_EQ(c.actual.callee, "add");
  EXPECT_EQ(c.expected.callee, "add_reference");
  ASSERT_EQ(c.actual.args.size(), 3u);
  EXPECT_EQ(c.actual.args[0].kind, "tensor");
  EXPECT_EQ(c.actual.args[0].tensor.shape, std::vector<int64_t>{1000});
  EXPECT_EQ(c.actual.args[1].tensor.shape, (std::vector<int64_t>{37, 129}));
  EXPECT_EQ(c.actual.args[1].tensor.dtype, "float16");
  EXPECT_EQ(c.actual.args[1].tensor.offset, 0.5);
  EXPECT_EQ(c.actual.args[2].kind, "int");
  EXPECT_TRUE(x.tests[1].comparisons.empty());
}

TEST(Extractor, BrokenAndOddInputNeverCrashes) {
  EXPECT_TRUE(extract_file("").kernels.empty());
  auto broken = extract_file(R"(
import triton
@triton.jit
def good(p):
    pass

def broken(:
    return
)");
  EXPECT_GT(broken.syntax_errors, 0);
  EXPECT_EQ(kernel_names(broken), std::vector<std::string>{"good"});
  EXPECT_NO_THROW(extract_file(std::string("\xff\xfe\x00 def f(:", 10)));
  EXPECT_NO_THROW(extract_file(std::string(5000, '(')));
}

}  // namespace
}  // namespace tritonpile::extractor
