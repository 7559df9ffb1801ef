// What the extractor finds in one Python file: plain data, serialisable to JSON so storage can
// keep it per blob and a blob is never parsed twice.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <map>
#include <string>
#include <vector>

namespace tritonpile::extractor {

struct Span {
  int start_line = 0;  // 1-based, inclusive
  int end_line = 0;
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
};

struct Parameter {
  std::string name;
  std::string annotation;     // source text, empty when absent
  std::string default_value;  // source text, empty when absent
  bool constexpr_ = false;    // annotated tl.constexpr
};

// A top-level statement of the module: what it binds and which names it reads. The matcher
// builds self-contained modules from these.
// One name an import statement binds: `from .utils import exp2 as e` is {e, ".utils", "exp2"},
// `import triton.language as tl` is {tl, "triton.language", ""}.
struct ImportBinding {
  std::string local;
  std::string module;
  std::string member;
};

struct ModuleItem {
  std::string kind;  // import | assignment | function | class | compound (if/try/with) | other
  Span span;
  std::vector<std::string> binds;
  std::vector<std::string> uses;
  std::vector<ImportBinding> imports;  // import items, and imports inside compound items
};

struct Kernel {
  std::string name;
  std::string qualname;  // Class.name or outer.name for nested definitions
  Span span;             // the definition including its decorators
  std::vector<std::string> decorators;  // source text of each decorator expression
  std::vector<Parameter> params;
  std::vector<std::string> tl_ops;      // e.g. "tl.load", "tl.dot", sorted and unique
  std::vector<std::string> calls;       // names called from the body
  int loops = 0;                        // for/while statements in the body
  std::vector<std::string> helpers;     // @triton.jit functions of this file it calls
  std::vector<std::string> imported_calls;  // calls of imported names, qualified (".utils.exp2")
  std::vector<std::string> globals;     // module-level names it reads (constants, constexpr globals)
  std::vector<std::string> imports;     // import-bound names it reads
};

// A kernel of another DSL (@gluon.jit, tilelang, ...): recorded apart, never a Triton kernel.
struct DslKernel {
  std::string qualname;
  std::string dsl;  // the qualified decorator, e.g. triton.experimental.gluon.jit
  Span span;
};

struct Launcher {
  std::string name;
  std::string qualname;
  Span span;
  std::vector<Parameter> params;
  std::vector<std::string> kernels;  // kernels it launches, by name (aliases resolved)
  std::vector<std::string> calls;    // names it calls: the call graph above the kernels
};

// Any other module-level function, with what it calls: a function that reaches a launcher
// through calls (functional wrappers such as liger_rms_norm -> Function.apply) is a callable too.
struct PlainFunction {
  std::string name;
  Span span;
  std::vector<Parameter> params;
  std::vector<std::string> calls;
};

// A torch.autograd.Function or nn.Module class whose methods launch kernels or call launchers of
// its file, or an autograd.Function whose methods call anything (they may reach a launcher
// elsewhere).
struct Wrapper {
  std::string qualname;
  std::string kind;  // autograd.Function | nn.Module
  Span span;
  std::vector<std::string> launchers;  // launcher or kernel names of this file its methods reach
  // What its methods call, as written; the matcher follows these across files to launchers
  // (ChunkFunction.forward -> chunk_fwd -> a launcher in another module).
  std::vector<std::string> calls;
  std::vector<Parameter> params;  // forward's, ctx included; empty without a forward
};

struct Reference {
  std::string name;
  std::string qualname;
  Span span;
  std::vector<Parameter> params;
  std::string why;   // "name" (naming convention), "torch" (computes with torch), "naive-module"
  std::string kind = "function";  // function | class (an nn.Module computing with torch only)
};

// A tensor an argument was bound to in a test, e.g. torch.randn(37, 129) + 0.5.
struct TensorSpec {
  std::string constructor;       // randn | rand | ones | zeros | randint | ...
  std::vector<int64_t> shape;    // when every dimension is a literal
  std::vector<std::string> dims; // each dimension's source text (names from parametrize, ...)
  std::string dtype = "float32";  // a torch dtype name, or the source text when it is not one
  double scale = 1.0;   // value = constructor(...) * scale + offset
  double offset = 0.0;
};

struct CallArg {
  std::string text;     // source text of the argument
  std::string keyword;  // empty for positional
  std::string kind;     // tensor | int | float | bool | other
  TensorSpec tensor;    // when kind == tensor
};

struct CallSite {
  std::string text;    // source text of the whole side
  std::string callee;  // dotted name as written; empty when the side is not a call
  std::vector<CallArg> args;
  int line = 0;
  // Which element of the call's result the compared value is, when the test unpacked it
  // (out, scale = quantize(x) makes scale part 1 of 2 parts); -1 for the whole result.
  int part = -1;
  int parts = 0;
  // A compared variable the call wrote into rather than returned (add_in_place(x, y) and then
  // x is compared; kernel(x, out) and then out): which of args it was passed as; -1 otherwise.
  int result_argument = -1;
  // The test changed the compared variable after computing it (ref[:, n:] = 0, ref.zero_()):
  // the call alone is not what was compared.
  bool mutated = false;
  // A variable this call reads is bound anew before the other side's call (streamk =
  // matmul(a, b); b = b.T; launcher(a, b)): the two sides read different values by one name.
  bool inputs_rebound = false;
};

// An assertion in a test that compares two computations.
struct Comparison {
  std::string assertion;  // e.g. torch.testing.assert_close
  CallSite actual;
  CallSite expected;
  int line = 0;
  // Variables of the test that are copies of another (x_ref = x.detach().clone()): name ->
  // the variable copied, so a reference call on the copy can be lifted onto the original.
  std::map<std::string, std::string> copies;
  // Variables bound to a call of a plain-named function on another variable, the first
  // argument (ref = to_reference(x, True)): name -> {function, the variable}. Whether the
  // function returns its argument converted is for the matcher, which can read it, to say.
  std::map<std::string, std::vector<std::string>> helper_copies;
};

// @pytest.mark.parametrize("a, b", [(1, 2), ...]): names and each case's values as source text.
struct Parametrize {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cases;
};

struct RepoTest {
  std::string name;
  std::string qualname;
  Span span;
  std::vector<Comparison> comparisons;
  std::vector<Parametrize> parametrize;
};

// One row of an op table: the project registers `name` as its implementation of ATen's `op`
// ("add.Tensor": the overload Tensor of aten::add).
struct Registration {
  std::string op;
  std::string name;
  int line = 0;
};

struct FileExtraction {
  std::vector<ModuleItem> items;
  std::vector<Kernel> kernels;
  std::vector<Launcher> launchers;
  std::vector<Reference> references;
  std::vector<RepoTest> tests;
  std::vector<Wrapper> wrappers;
  std::vector<PlainFunction> functions;
  std::vector<DslKernel> dsl_kernels;
  std::vector<Registration> registrations;
  int generated_kernel_strings = 0;  // string literals that assemble a @triton.jit kernel
  int syntax_errors = 0;             // ERROR and MISSING nodes tree-sitter recovered with
  int skipped_definitions = 0;       // definitions dropped because they did not parse
  bool too_large = false;            // over the size cap: not parsed at all
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Span, start_line, end_line, start_byte, end_byte)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Parameter, name, annotation, default_value, constexpr_)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ImportBinding, local, module, member)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ModuleItem, kind, span, binds, uses, imports)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Kernel, name, qualname, span, decorators, params, tl_ops, calls, loops,
                                                helpers, imported_calls, globals, imports)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DslKernel, qualname, dsl, span)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Wrapper, qualname, kind, span, launchers, calls, params)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PlainFunction, name, span, params, calls)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Parametrize, names, cases)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Launcher, name, qualname, span, params, kernels, calls)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Reference, name, qualname, span, params, why, kind)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TensorSpec, constructor, shape, dims, dtype, scale, offset)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CallArg, text, keyword, kind, tensor)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CallSite, text, callee, args, line, part, parts, result_argument,
                                                mutated, inputs_rebound)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Comparison, assertion, actual, expected, line, copies, helper_copies)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RepoTest, name, qualname, span, comparisons, parametrize)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Registration, op, name, line)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FileExtraction, items, kernels, launchers, references, tests, wrappers,
                                                functions, dsl_kernels, registrations, generated_kernel_strings,
                                                syntax_errors, skipped_definitions, too_large)

}  // namespace tritonpile::extractor
