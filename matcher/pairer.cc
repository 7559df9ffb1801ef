#include "matcher/pairer.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

#include "extractor/file_extractor.h"
#include "extractor/syntax_tree.h"
#include "matcher/classifier.h"
#include "matcher/identifier_renamer.h"
#include "matcher/input_converter.h"
#include "matcher/module_builder.h"
#include "matcher/module_index.h"
#include "matcher/normalizer.h"
#include "matcher/recipe_inference.h"
#include "matcher/recipe_reader.h"
#include "matcher/reference_lifter.h"
#include "matcher/registration.h"
#include "matcher/signature.h"

namespace tritonpile::matcher {
namespace {

using extractor::CallSite;
using extractor::Comparison;
using extractor::RepoTest;

std::vector<std::string> split_dots(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', start)) {
    parts.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(dotted.substr(start));
  return parts;
}

// A name a call reaches: a top-level definition of a file, plus what follows it (".apply").
struct Target {
  const AnalyzedFile* file = nullptr;
  std::string name;
  std::string rest;
  bool torch = false;  // the callee resolves into torch
};

// Something a test can call that runs Triton code.
struct Callable {
  const AnalyzedFile* file;
  std::string root;   // top-level definition to cut out
  std::string entry;  // what the test calls: "add" or "RMSNormFunction.apply"
  const std::vector<extractor::Parameter>* params;
  extractor::Span span;
};

struct TestUse {
  const AnalyzedFile* file;
  const RepoTest* test;
  const Comparison* comparison;
  const CallSite* call;   // the side that calls the callable
  const CallSite* other;  // the side that computes the reference
};

class Matcher {
 public:
  explicit Matcher(const std::vector<AnalyzedFile>& files) : files_(files), index_(files) {
    for (const auto& file : files_) {
      for (const auto& r : file.extraction.references) {
        if (r.kind == "function" && r.qualname == r.name) references_.emplace(r.name, &file);
      }
      for (const auto& l : file.extraction.launchers) triton_names_.insert({&file, l.name});
      for (const auto& k : file.extraction.kernels) triton_names_.insert({&file, k.name});
      for (const auto& r : file.extraction.registrations) registrations_.emplace(r.name, RegistrationSite{&file, &r});
    }
  }

  MatchResult run() {
    MatchResult result;
    auto all = callables();
    for (const auto& callable : all) {
      callable_roots_.insert(callable.root);
      callable_entries_.insert(callable.entry);
      triton_names_.insert({callable.file, callable.root});
    }
    // Callables whose tests compare them with another Triton path wait for that path's pair:
    // matched again while pairs keep coming, they may take its reference one step removed.
    std::vector<std::pair<const Callable*, std::string>> waiting;
    auto try_match = [&](const Callable& callable) {
      std::string reason;
      if (auto pair = match(callable, &reason)) {
        paired_.emplace(std::make_pair(callable.file, callable.root), *pair);
        result.pairs.push_back(std::move(*pair));
        return true;
      }
      if (refused_triton_) {
        waiting.emplace_back(&callable, reason);
      } else {
        result.unpaired.push_back({callable.file->path, callable.entry, reason});
      }
      return false;
    };
    for (const auto& callable : all) try_match(callable);
    for (bool grew = true; grew;) {
      grew = false;
      auto round = std::move(waiting);
      waiting.clear();
      for (const auto& [callable, reason] : round) grew = try_match(*callable) || grew;
    }
    for (const auto& [callable, reason] : waiting) result.unpaired.push_back({callable->file->path, callable->entry, reason});
    return result;
  }

 private:
  std::vector<Callable> callables() const {
    std::vector<Callable> out;
    std::set<std::pair<const AnalyzedFile*, std::string>> launching;  // (file, entry) of each callable
    auto add = [&](Callable callable) {
      launching.insert({callable.file, callable.entry});
      out.push_back(std::move(callable));
    };
    auto calls_callable = [&](const AnalyzedFile& file, const std::vector<std::string>& calls) {
      for (const auto& call : calls) {
        Target target = resolve(file, call);
        if (target.file && launching.count({target.file, target.rest.empty() ? target.name : target.name + "." + target.rest})) {
          return true;
        }
      }
      return false;
    };
    auto autograd_function = [](const extractor::Wrapper& w) {
      return w.kind == "autograd.Function" && w.qualname.find('.') == std::string::npos;
    };
    // The parameters of an autograd.Function are forward's, after ctx.
    auto wrapper_callable = [](const AnalyzedFile& file, const extractor::Wrapper& w) {
      return Callable{&file, w.qualname, w.qualname + ".apply", w.params.empty() ? nullptr : &w.params, w.span};
    };
    for (const auto& file : files_) {
      for (const auto& l : file.extraction.launchers) {
        if (l.qualname == l.name) add({&file, l.name, l.name, &l.params, l.span});
      }
      for (const auto& w : file.extraction.wrappers) {
        if (autograd_function(w) && !w.launchers.empty()) add(wrapper_callable(file, w));
      }
    }
    // Functional wrappers (module-level functions) and autograd.Functions that reach a callable
    // through calls, across modules, until nothing more is found.
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& file : files_) {
        for (const auto& f : file.extraction.functions) {
          if (launching.count({&file, f.name}) || !calls_callable(file, f.calls)) continue;
          add({&file, f.name, f.name, &f.params, f.span});
          grew = true;
        }
        for (const auto& w : file.extraction.wrappers) {
          if (!autograd_function(w) || launching.count({&file, w.qualname + ".apply"}) || !calls_callable(file, w.calls)) {
            continue;
          }
          add(wrapper_callable(file, w));
          grew = true;
        }
      }
    }
    return out;
  }

  // What callee (as written in file) reaches, following file's imports into the snapshot.
  Target resolve(const AnalyzedFile& file, const std::string& callee) const {
    Target target;
    if (callee.empty()) return target;
    auto parts = split_dots(callee);
    for (const auto& item : file.extraction.items) {
      for (const auto& binding : item.imports) {
        if (binding.local != parts[0]) continue;
        std::string qualified = binding.member.empty() ? binding.module : binding.module + "." + binding.member;
        if (qualified.rfind("torch", 0) == 0) target.torch = true;
        const AnalyzedFile* module = index_.resolve(file, binding.module);
        if (!module) return target;
        size_t next = 1;
        target.file = module;
        if (binding.member.empty()) {
          if (parts.size() < 2) return Target{};
          target.name = parts[1];
          next = 2;
        } else {
          target.name = binding.member;
        }
        for (size_t i = next; i < parts.size(); ++i) target.rest += (target.rest.empty() ? "" : ".") + parts[i];
        return follow_reexports(target);
      }
      for (const auto& b : item.binds) {
        if (b == parts[0] && item.kind != "import") {
          target.file = &file;
          target.name = parts[0];
          for (size_t i = 1; i < parts.size(); ++i) target.rest += (target.rest.empty() ? "" : ".") + parts[i];
          return target;
        }
      }
    }
    return target;
  }

  // Follows a name to the module that defines it, through modules that only import it: a
  // package re-exporting it (`from .chunk import chunk_gla`), a package's submodule
  // (`from . import function` and then `function.softmax`) and star imports
  // (`from .function import *`).
  Target follow_reexports(Target target) const {
    auto split_rest = [](Target* t) {
      size_t dot = t->rest.find('.');
      t->name = t->rest.substr(0, dot);
      t->rest = dot == std::string::npos ? "" : t->rest.substr(dot + 1);
    };
    for (int depth = 0; depth < 8 && target.file; ++depth) {
      if (defines(*target.file, target.name)) return target;
      const extractor::ImportBinding* binding = nullptr;
      std::vector<const extractor::ImportBinding*> stars;
      for (const auto& item : target.file->extraction.items) {
        for (const auto& b : item.imports) {
          if (b.local == target.name) binding = &b;
          if (b.member == "*") stars.push_back(&b);
        }
      }
      if (binding) {
        std::string submodule = binding->member.empty() ? binding->module
                                : binding->module.back() == '.' ? binding->module + binding->member
                                                                : binding->module + "." + binding->member;
        if (const AnalyzedFile* module = index_.resolve(*target.file, submodule)) {
          if (target.rest.empty()) return target;  // the module itself: nothing to call
          target.file = module;
          split_rest(&target);
          continue;
        }
        const AnalyzedFile* module = binding->member.empty() ? nullptr : index_.resolve(*target.file, binding->module);
        if (!module) return target;
        target.file = module;
        target.name = binding->member;
        continue;
      }
      const AnalyzedFile* found = nullptr;
      for (const auto* star : stars) {
        const AnalyzedFile* module = index_.resolve(*target.file, star->module);
        if (module && module != target.file && (defines(*module, target.name) || exports(*module, target.name))) {
          found = module;
          break;
        }
      }
      if (!found) {
        // pkg.sub.name where pkg/__init__.py never imports sub: the submodule itself.
        const std::string init = "__init__.py";
        const std::string& path = target.file->path;
        bool package = path.size() >= init.size() && path.compare(path.size() - init.size(), init.size(), init) == 0;
        const AnalyzedFile* sub = package && !target.rest.empty() ? index_.resolve(*target.file, "." + target.name) : nullptr;
        if (!sub) return target;
        target.file = sub;
        split_rest(&target);
        continue;
      }
      target.file = found;
    }
    return target;
  }

  // True when a top-level statement of file other than an import binds name.
  static bool defines(const AnalyzedFile& file, const std::string& name) {
    for (const auto& item : file.extraction.items) {
      if (item.kind == "import" || item.kind == "other") continue;
      if (std::find(item.binds.begin(), item.binds.end(), name) != item.binds.end()) return true;
    }
    return false;
  }

  // True when file imports name (so a star import of file passes it on).
  static bool exports(const AnalyzedFile& file, const std::string& name) {
    for (const auto& item : file.extraction.items) {
      for (const auto& b : item.imports) {
        if (b.local == name) return true;
      }
    }
    return false;
  }

  bool reaches(const AnalyzedFile& test_file, const CallSite& site, const Callable& callable) const {
    if (site.callee.empty()) return false;
    Target target = resolve(test_file, site.callee);
    std::string expected_rest = callable.entry.size() > callable.root.size() ? callable.entry.substr(callable.root.size() + 1) : "";
    if (target.file) return target.file == callable.file && target.name == callable.root && target.rest == expected_rest;
    if (target.torch) return false;  // torch.nn.functional.softmax is never the repository's softmax
    // Unresolved (star imports, conftest magic, a parametrized function): the last segments
    // must still agree, and name no other callable (scalar.scan and complex.scan).
    if (callable_entries_.count(callable.entry) != 1) return false;
    return site.callee == callable.entry ||
           (site.callee.size() > callable.entry.size() &&
            site.callee.compare(site.callee.size() - callable.entry.size() - 1, std::string::npos,
                                "." + callable.entry) == 0);
  }

  std::vector<TestUse> test_uses(const Callable& callable) const {
    std::vector<TestUse> uses;
    for (const auto& file : files_) {
      for (const auto& test : file.extraction.tests) {
        for (const auto& c : test.comparisons) {
          if (reaches(file, c.actual, callable)) uses.push_back({&file, &test, &c, &c.actual, &c.expected});
          else if (reaches(file, c.expected, callable)) uses.push_back({&file, &test, &c, &c.expected, &c.actual});
        }
      }
    }
    return uses;
  }

  std::optional<Pair> match(const Callable& callable, std::string* reason) {
    auto uses = test_uses(callable);
    miss_.clear();
    uses_ = &uses;
    bool refused_triton = false;
    bool found = false;
    std::string refusal;  // why the first reference found made no pair
    std::optional<StatusOr<std::string>> triton_code;  // the launcher's module, cut once
    // Each reference found is checked in turn, strongest evidence first: one the checks refuse
    // (a test's first comparison leaves out an argument its second passes) gives the next its
    // chance.
    auto fresh = [&] {
      Pair pair;
      pair.path = callable.file->path;
      pair.launcher = callable.entry;
      pair.launcher_span = callable.span;
      recipe_use_ = nullptr;
      evidence_use_ = nullptr;
      registered_op_.clear();
      return pair;
    };
    auto checked = [&](Pair pair) -> std::optional<Pair> {
      found = true;
      std::string why;
      if (auto done = complete(callable, uses, std::move(pair), &triton_code, &why)) return done;
      if (refusal.empty()) refusal = why;
      return std::nullopt;
    };
    // A function an op table registers as an ATen op's implementation pairs with that op first:
    // the op says what it computes, where a test's expression is one use of it.
    {
      Pair pair = fresh();
      if (reference_by_registration(callable, &pair)) {
        if (auto done = checked(std::move(pair))) return done;
      }
    }
    // Whole results first, then every element as one tuple, then one element alone.
    for (bool alone : {false, true}) {
      element_alone_ = alone;
      if (alone) {
        Pair pair = fresh();
        if (reference_from_elements(callable, uses, &pair)) {
          if (auto done = checked(std::move(pair))) return done;
        }
      }
      for (const auto& use : uses) {
        // The second pass is for one element against a whole value; the rest had theirs.
        if (alone && !(use.call->part >= 0 && use.other->part < 0)) continue;
        Pair pair = fresh();
        if (!reference_from_test(callable, use, &pair, &refused_triton)) continue;
        evidence_use_ = &use;
        if (auto done = checked(std::move(pair))) return done;
      }
    }
    refused_triton_ = refused_triton && !found;
    for (auto by : {&Matcher::reference_by_name, &Matcher::reference_by_wrapper_name}) {
      Pair pair = fresh();
      if (!(this->*by)(callable, &pair)) continue;
      if (auto done = checked(std::move(pair))) return done;
    }
    *reason = !refusal.empty() ? refusal
              : refused_triton ? "its tests compare it with Triton code, not PyTorch"
              : miss_.empty()  ? "no PyTorch reference found"
                               : "no PyTorch reference found; closest: " + miss_;
    return std::nullopt;
  }

  // The pair a reference found makes, once its recipe is read and the precision checks pass;
  // nothing, and *why, when they do not.
  std::optional<Pair> complete(const Callable& callable, const std::vector<TestUse>& uses, Pair pair,
                               std::optional<StatusOr<std::string>>* triton_code, std::string* why) {
    // The comparison that gave the reference gives its inputs first: a lifted reference takes
    // that call's arguments, and a reference function met there was called on them.
    const TestUse* first = recipe_use_ ? recipe_use_ : evidence_use_;
    if (!first || !read_recipe(callable, *first, &pair.recipe)) {
      for (const auto& use : uses) {
        if (read_recipe(callable, use, &pair.recipe)) break;
      }
    }
    if (pair.recipe.origin.empty() && callable.params) {
      auto inferred = infer_recipe(*callable.params, callable.file->path + ":" + std::to_string(callable.span.start_line),
                                   registered_op_);
      if (inferred) pair.recipe = std::move(*inferred);
    }
    // The reference module as the checks below read it: parsed once.
    const auto reference_module = extractor::extract_file(pair.python_code);
    const extractor::Reference* reference_function = nullptr;
    for (const auto& r : reference_module.references) {
      if (r.kind == "function" && r.qualname == pair.reference) reference_function = &r;
    }
    std::optional<Arity> reference;
    if (reference_function) reference = arity(reference_function->params);
    if (recipe_use_ && !accepts(reference, callable, pair.recipe)) {
      // Lifted from a test whose own inputs could not be rebuilt: no inputs rather than others.
      pair.recipe = InputRecipe{};
    }
    if (!accepts(reference, callable, pair.recipe)) {
      *why = "its reference " + pair.reference + " (" + pair.reference_path +
             ") takes other arguments than the launcher is called with";
      return std::nullopt;
    }
    // Whatever the evidence, a reference whose closure defines a Triton kernel is no PyTorch
    // reference (a naive.py helper that calls the repository's Triton cumsum).
    if (!reference_module.kernels.empty()) {
      *why = "its reference " + pair.reference + " (" + pair.reference_path + ") runs Triton kernels itself";
      return std::nullopt;
    }
    // A test that compared one element of the launcher's result with the whole reference.
    if (evidence_use_ && evidence_use_->call->part >= 0 && evidence_use_->other->part < 0) {
      pair.recipe.result_element = evidence_use_->call->part;
    }
    // A launcher that writes its result into an input: the validator compares that input.
    if (evidence_use_ && evidence_use_->call->result_argument >= 0 && !pair.recipe.origin.empty()) {
      std::string written = written_parameter(callable, *evidence_use_->call);
      for (size_t i = 0; i < pair.recipe.args.size(); ++i) {
        if (!written.empty() && pair.recipe.args[i].name == written) pair.recipe.result_input = static_cast<int>(i);
      }
      if (pair.recipe.result_input < 0) pair.recipe = InputRecipe{};  // that input is not passed: nothing to compare
    }
    if (!*triton_code) *triton_code = build_module(index_, *callable.file, {callable.root});
    const auto& code = **triton_code;
    if (!code) {
      *why = code.status().message();
      return std::nullopt;
    }
    if (std::string refused = mismatch(callable, pair, reference_module, reference_function, code.value()); !refused.empty()) {
      *why = refused;
      return std::nullopt;
    }
    pair.triton_code = normalize_layout(code.value());
    pair.python_code = normalize_layout(pair.python_code);
    pair.canonical_hash = canonical_hash(pair.python_code, pair.triton_code);
    pair.classification = classify(pair.triton_code);
    return pair;
  }

  // How many values a function returns when every return statement agrees (a tuple counts
  // its elements, a name or expression one); 0 when unknown. A returned call of a function or
  // autograd.Function of the same module counts what that returns (layer_norm_triton's
  // `return NormFn.apply(...)`). In a class, its forward's.
  // *varies is set when two return statements give known, different counts (a tuple when a
  // flag asks for one, a single value otherwise).
  static int returned_values(const std::string& source, const extractor::FileExtraction& module,
                             const extractor::Span& span, bool class_forward, int depth = 0,
                             bool* varies = nullptr) {
    if (depth > 4) return 0;
    std::string text = source.substr(span.start_byte, span.end_byte - span.start_byte);
    extractor::SyntaxTree tree(text);
    TSNode function{};
    extractor::walk_descendants(tree.root(), [&](TSNode node) {
      if (!ts_node_is_null(function)) return false;
      if (extractor::SyntaxTree::type(node) != "function_definition") return true;
      if (!class_forward || tree.text(extractor::SyntaxTree::field(node, "name")) == "forward") function = node;
      return false;
    });
    if (ts_node_is_null(function)) return 0;
    int count = 0;
    bool agree = true;
    extractor::walk_descendants(extractor::SyntaxTree::field(function, "body"), [&](TSNode node) {
      auto type = extractor::SyntaxTree::type(node);
      if (type == "function_definition" || type == "lambda" || type == "class_definition") return false;
      if (type != "return_statement") return true;
      TSNode value = ts_node_named_child(node, 0);
      auto value_type = ts_node_is_null(value) ? std::string_view() : extractor::SyntaxTree::type(value);
      // `return loss if not save_kl else (loss, kl)`: one count per branch.
      if (value_type == "conditional_expression" && ts_node_named_child_count(value) == 3) {
        auto branch = [&](uint32_t i) {
          TSNode b = ts_node_named_child(value, i);
          auto t = extractor::SyntaxTree::type(b);
          return t == "tuple" || t == "expression_list" ? static_cast<int>(ts_node_named_child_count(b)) : 1;
        };
        if (branch(0) != branch(2)) {
          if (varies) *varies = true;
          agree = false;
          return false;
        }
        agree = agree && (count == 0 || count == branch(0));
        count = branch(0);
        return false;
      }
      int values = value_type == "expression_list" || value_type == "tuple"
                       ? static_cast<int>(ts_node_named_child_count(value))
                   : value_type == "call"
                       ? returned_by_call(source, module,
                                          std::string(tree.text(extractor::SyntaxTree::field(value, "function"))), depth)
                       : 1;
      if (varies && values > 0 && count > 0 && count != values) *varies = true;
      agree = agree && values > 0 && (count == 0 || count == values);
      count = values;
      return false;
    });
    return agree ? count : 0;
  }

  static int returned_by_call(const std::string& source, const extractor::FileExtraction& module,
                              const std::string& callee, int depth) {
    const std::string apply = ".apply";
    if (callee.size() > apply.size() && callee.compare(callee.size() - apply.size(), apply.size(), apply) == 0) {
      std::string cls = callee.substr(0, callee.size() - apply.size());
      for (const auto& w : module.wrappers) {
        if (w.qualname == cls) return returned_values(source, module, w.span, true, depth + 1);
      }
      return 0;
    }
    for (const auto& f : module.functions) {
      if (f.name == callee) return returned_values(source, module, f.span, false, depth + 1);
    }
    for (const auto& l : module.launchers) {
      if (l.qualname == callee) return returned_values(source, module, l.span, false, depth + 1);
    }
    for (const auto& r : module.references) {
      if (r.kind == "function" && r.qualname == callee) return returned_values(source, module, r.span, false, depth + 1);
    }
    return 0;
  }

  // Why the pair is no pair though a reference was found: the precision rules the hand-checked
  // samples led to. Empty when none applies.
  std::string mismatch(const Callable& callable, const Pair& pair, const extractor::FileExtraction& reference_module,
                       const extractor::Reference* reference_function, const std::string& triton_code) const {
    const auto& span = callable.span;
    bool class_forward = callable.entry != callable.root;
    auto launcher_reads =
        body_names(callable.file->source.substr(span.start_byte, span.end_byte - span.start_byte), class_forward);
    std::set<std::string> reference_reads;
    if (reference_function) {
      const auto& r = reference_function->span;
      reference_reads = body_names(pair.python_code.substr(r.start_byte, r.end_byte - r.start_byte));
    }
    // An option the launcher never reads (index_select_3d_dim0's dim) cannot change its
    // result: a reference that reads it computes something else whenever it is not the test's.
    // Options are what the recipe passes as numbers or flags; a class's forward is read with
    // the class's other methods, so nothing is said of it.
    if (callable.params && !class_forward) {
      for (const auto* p : passed_parameters(*callable.params)) {
        bool option = false;
        for (const auto& arg : pair.recipe.args) option = option || (arg.name == p->name && arg.kind != "tensor");
        if (option && !launcher_reads.count(p->name) && reference_reads.count(p->name)) {
          return "the launcher ignores its argument '" + p->name + "', which its reference " + pair.reference + " reads";
        }
      }
    }
    // A reference that takes a parameter the launcher reads and never reads it (a lifted
    // `scale=None` kept for its position, rms_norm_torch's dim) computes the same only where
    // that parameter does not matter. Tuning knobs aside.
    if (reference_function) {
      std::string written = evidence_use_ ? written_parameter(callable, *evidence_use_->call) : std::string();
      for (const auto* p : passed_parameters(reference_function->params)) {
        if (!reference_reads.count(p->name) && launcher_reads.count(p->name) && !tuning_knob(p->name) &&
            p->name != written) {
          return "its reference " + pair.reference + " takes '" + p->name + "' and ignores it, which the launcher reads";
        }
      }
      // The same one call down: a lifted reference passing the parameter on to a function
      // that ignores it (krcl_torch(..., cu_seqlens=cu_seqlens) never reads cu_seqlens).
      std::string dropped = dropped_on_call(pair.python_code, reference_module, *reference_function, launcher_reads);
      if (!dropped.empty()) {
        return "its reference " + pair.reference + " passes '" + dropped +
               "' to a function that ignores it, which the launcher reads";
      }
    }
    // A kernel that draws random numbers (tl.rand, a philox stream) has no values a reference
    // could compute.
    for (const char* draw : {"tl.rand(", "tl.randn(", "tl.randint(", "tl.randint4x(", "tl.philox("}) {
      if (triton_code.find(draw) != std::string::npos) return std::string("its kernels draw random numbers (") + draw + "...)";
    }
    // By name alone, or a reference function the test calls whole: it must return as many
    // values as the launcher (layer_norm_torch's (o, None) is not layer_norm_triton's o).
    if (reference_function && pair.reference != reference_name(callable) && pair.recipe.result_element < 0) {
      int ours = returned_values(callable.file->source, callable.file->extraction, span, class_forward);
      bool varies = false;
      int theirs = returned_values(pair.python_code, reference_module, reference_function->span, false, 0, &varies);
      if (ours > 0 && theirs > 0 && ours != theirs) {
        return "its reference " + pair.reference + " returns " + std::to_string(theirs) + " values, the launcher " +
               std::to_string(ours);
      }
      // One that returns a tuple for some arguments and a single value for others cannot meet
      // a launcher that always returns the same (grpo_loss_torch's (loss, kl) under save_kl).
      if (ours > 0 && varies) {
        return "its reference " + pair.reference + " returns more or fewer values by its arguments, the launcher " +
               std::to_string(ours) + " always";
      }
    }
    // A parameter both default to None that the launcher checks for (`if beta is None: beta =
    // ones`) and the reference computes with as a tensor without ever checking: at the
    // launcher's default the reference fails on None (naive_chunk_comba's `v * beta[..., None]`,
    // a lifted `normed * weight + bias`). Passing it on to torch (F.linear(x, w, bias)) is no
    // such use: torch takes None there.
    if (reference_function && callable.params) {
      for (const auto& p : reference_function->params) {
        if (p.default_value != "None" || !reference_reads.count(p.name)) continue;
        bool launcher_default_none = false;
        for (const auto& q : *callable.params) launcher_default_none |= q.name == p.name && q.default_value == "None";
        if (launcher_default_none && checks_none(triton_code, p.name) && !checks_none(pair.python_code, p.name) &&
            computes_with(pair.python_code, p.name)) {
          return "its reference " + pair.reference + " reads '" + p.name +
                 "' without the check for None the launcher makes, which is its default";
        }
      }
    }
    return {};
  }

  // Whether module computes with `name` as a tensor somewhere: an attribute (`name.shape`), an
  // index (`name[...]`) or an arithmetic operand (`x * name`, `name + b`).
  static bool computes_with(const std::string& module, const std::string& name) {
    const std::regex use("\\b" + name + "\\s*(\\.\\s*[A-Za-z_]|\\[|[-+*/@%](?!=))|(^|[^=!<>*])[-+*/@%]\\s*" + name +
                         "\\b(?!\\s*=[^=])");
    return std::regex_search(module, use);
  }

  // Whether module checks `name` for None anywhere: `name is None`, `name is not None`,
  // `name == None`, `if name`, `elif not name`, `name or ...`, `name and ...`,
  // `isinstance(name, ...)`.
  static bool checks_none(const std::string& module, const std::string& name) {
    const std::regex check("\\b" + name + "\\s+is\\s+(not\\s+)?None\\b|\\b" + name +
                           "\\s*[!=]=\\s*None\\b|\\b(el)?if\\s+(not\\s+)?" + name + "\\b|\\b" + name +
                           "\\s+(or|and)\\b|\\bNone\\s+if\\s+" + name + "\\b|\\bisinstance\\(\\s*" + name + "\\b");
    return std::regex_search(module, check);
  }

  // A parameter of `reference` (a function of `module`) that it passes, as a bare name, to a
  // function of `module` whose body never names the receiving parameter, while the launcher
  // reads it; empty when there is none.
  static std::string dropped_on_call(const std::string& module, const extractor::FileExtraction& extraction,
                                     const extractor::Reference& reference, const std::set<std::string>& launcher_reads) {
    std::map<std::string, const extractor::Reference*> functions;
    for (const auto& r : extraction.references) {
      if (r.kind == "function" && r.qualname == r.name) functions[r.name] = &r;
    }
    std::set<std::string> params;
    for (const auto* p : passed_parameters(reference.params)) params.insert(p->name);
    std::string text = module.substr(reference.span.start_byte, reference.span.end_byte - reference.span.start_byte);
    extractor::SyntaxTree tree(text);
    std::string dropped;
    extractor::walk_descendants(tree.root(), [&](TSNode node) {
      if (!dropped.empty() || extractor::SyntaxTree::type(node) != "call") return dropped.empty();
      auto callee = functions.find(std::string(tree.text(extractor::SyntaxTree::field(node, "function"))));
      if (callee == functions.end()) return true;
      const extractor::Reference& f = *callee->second;
      auto f_params = passed_parameters(f.params);
      auto f_reads = body_names(module.substr(f.span.start_byte, f.span.end_byte - f.span.start_byte));
      TSNode args = extractor::SyntaxTree::field(node, "arguments");
      size_t position = 0;
      for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
        TSNode arg = ts_node_named_child(args, i);
        std::string receiving;
        if (extractor::SyntaxTree::type(arg) == "keyword_argument") {
          receiving = std::string(tree.text(extractor::SyntaxTree::field(arg, "name")));
          arg = extractor::SyntaxTree::field(arg, "value");
        } else if (position < f_params.size()) {
          receiving = f_params[position++]->name;
        } else {
          continue;
        }
        std::string passed(tree.text(arg));
        if (params.count(passed) && launcher_reads.count(passed) && !tuning_knob(passed) && !f_reads.count(receiving)) {
          dropped = passed;
          return false;
        }
      }
      return true;
    });
    return dropped;
  }

  // The identifiers the body of the first function in `text` (in a class, its forward) names,
  // nested scopes included.
  static std::set<std::string> body_names(const std::string& text, bool class_forward = false) {
    extractor::SyntaxTree tree(text);
    std::set<std::string> names;
    TSNode body{};
    extractor::walk_descendants(tree.root(), [&](TSNode node) {
      if (!ts_node_is_null(body)) return false;
      if (extractor::SyntaxTree::type(node) == "function_definition" &&
          (!class_forward || tree.text(extractor::SyntaxTree::field(node, "name")) == "forward")) {
        body = extractor::SyntaxTree::field(node, "body");
      }
      return ts_node_is_null(body);
    });
    if (ts_node_is_null(body)) return names;
    extractor::walk_descendants(body, [&](TSNode node) {
      if (extractor::SyntaxTree::type(node) == "identifier") names.emplace(tree.text(node));
      return true;
    });
    return names;
  }

  // The validator calls the reference with the recipe's arguments (or, without one, the
  // launcher's required ones), positionally.
  static bool accepts(const std::optional<Arity>& reference, const Callable& callable, const InputRecipe& recipe) {
    if (!reference || !callable.params) return true;
    size_t passed = recipe.origin.empty() ? arity(*callable.params).required : recipe.args.size();
    return reference->accepts(passed);
  }

  // The name of a reference the matcher writes itself (lifted or registered).
  static std::string reference_name(const Callable& callable) { return callable.root + "_reference"; }

  // From a comparison: the other side is a reference function, a torch call or an inline
  // expression; Triton on the other side is refused.
  bool reference_from_test(const Callable& callable, const TestUse& use, Pair* pair, bool* refused_triton) {
    const CallSite& other = *use.other;
    std::string where = use.file->path + ":" + std::to_string(use.comparison->line);
    // One element of what the launcher returns (out, scale = launcher(x)) is its reference's
    // only when the reference returns the same tuple: a reference function's result unpacked
    // at the same position. A lifted expression computes that element alone.
    bool partial = use.call->part >= 0 || other.part >= 0;
    // One element of the launcher's result against a whole value: the reference computes that
    // element, and the recipe says which (result_element).
    bool element = use.call->part >= 0 && other.part < 0;
    if (element && !element_alone_) return false;
    if (partial && use.call->part != other.part && !element) {
      return missed(where, "it compares one element of what the launcher returns with one of another result");
    }
    if (other.result_argument >= 0) return missed(where, "the other side is what a call wrote into its argument");
    if (other.mutated || use.call->mutated) {
      return missed(where, "the test changes the compared value after computing it");
    }
    if (other.inputs_rebound || use.call->inputs_rebound) {
      return missed(where, "the test binds an input anew between computing the two sides");
    }
    // torch.ops.<library> is a compiled extension's op, not PyTorch; only aten's are.
    if (other.callee.rfind("torch.ops.", 0) == 0 && other.callee.rfind("torch.ops.aten.", 0) != 0) {
      return missed(where, "the other side calls the compiled op '" + other.callee + "'");
    }
    // A reference the test defines for itself (def ref(x): ... inside it) is the one its
    // comparisons call by that name, whatever the module defines at the top level.
    if (is_identifier(other.callee)) {
      std::string why;
      if (const AnalyzedFile* hoisted = hoist_test_reference(use, other.callee, &why)) {
        if (same_arguments(*use.call, other)) {
          auto code = build_module(index_, *hoisted, {other.callee});
          if (!code) return missed(where, code.status().message());
          pair->python_code = *code;
          pair->reference = other.callee;
          pair->reference_path = use.file->path;
          return set_evidence(pair, "test-compare", where, 0.95);
        }
        return lift_call_to_reference(callable, use, where, pair, *hoisted);
      }
      if (!why.empty()) return missed(where, why);
    }
    Target target = resolve(*use.file, other.callee);
    if (!other.callee.empty()) {
      if (target.file && triton_names_.count({target.file, target.name})) {
        if (reference_through_partner(callable, use, target, where, pair)) return true;
        *refused_triton = true;
        return false;
      }
      if (target.file && target.rest.empty() && is_reference(*target.file, target.name)) {
        if (same_arguments(*use.call, other)) {
          auto code = build_module(index_, *target.file, {target.name});
          if (!code) return missed(where, code.status().message());
          pair->python_code = *code;
          pair->reference = target.name;
          pair->reference_path = target.file->path;
          return set_evidence(pair, "test-compare", where, 0.95);
        }
        // The test calls the reference with other arguments (transposed, reordered, fewer):
        // the call as written is lifted, with the reference function's closure beside it.
        return lift_call_to_reference(callable, use, where, pair, *use.file);
      }
    }
    if (partial && !element) return missed(where, "it compares one element of what the launcher returns");
    if (!other.callee.empty() && !target.torch && other.callee.rfind("torch.", 0) != 0 &&
        other.callee.rfind("F.", 0) != 0) {
      return missed(where, "the other side calls '" + other.callee + "', neither torch nor a reference function");
    }
    if (other.callee.empty() && is_identifier(other.text)) return reference_from_fixture(callable, use, where, pair);
    LiftContext context;
    if (!lifted_signature(callable, use, &context)) return missed(where, "the launcher's arguments cannot be named");
    auto lifted = lift_reference(*use.file, other.text, reference_name(callable), context);
    if (!lifted) return missed(where, lifted.status().message());
    recipe_use_ = &use;
    pair->python_code = *lifted;
    pair->reference = reference_name(callable);
    pair->reference_path = use.file->path;
    return set_evidence(pair, "test-compare", where, other.callee.empty() ? 0.85 : 0.9);
  }

  // The other side is another Triton path (chunk_gla against fused_recurrent_gla) that has a
  // pair of its own: its reference, called as the test calls that path, is this callable's
  // too. When the test unpacks both results, every element must meet its counterpart, since
  // the reference returns them all.
  bool reference_through_partner(const Callable& callable, const TestUse& use, const Target& target,
                                 const std::string& where, Pair* pair) {
    if (target.file == callable.file && target.name == callable.root) return false;
    auto found = paired_.find({target.file, target.name});
    if (found == paired_.end()) return false;
    const Pair& partner = found->second;
    const CallSite& other = *use.other;
    if (other.text.rfind(other.callee, 0) != 0) return missed(where, "the other Triton path is not called directly");
    if (use.call->part >= 0 && !every_part_meets_its_counterpart(use)) {
      return missed(where, "it compares some elements of what the launcher returns with the other Triton path's");
    }
    if (!accepts_call(partner, other)) {
      return missed(where, "the other Triton path's reference " + partner.reference + " takes other arguments");
    }
    LiftContext context;
    if (!lifted_signature(callable, use, &context)) return missed(where, "the launcher's arguments cannot be named");
    context.provided = {partner.reference};
    std::string expression = partner.reference + other.text.substr(other.callee.size());
    auto lifted = lift_reference(*use.file, expression, reference_name(callable), context);
    if (!lifted) return missed(where, lifted.status().message());
    recipe_use_ = &use;
    pair->python_code = partner.python_code + "\n\n" + *lifted;
    pair->reference = reference_name(callable);
    pair->reference_path = use.file->path;
    return set_evidence(pair, "test-compare", where + " through " + partner.where, 0.8);
  }

  // Each element of the launcher's unpacked call is compared with the same element of one
  // call of the other side.
  bool every_part_meets_its_counterpart(const TestUse& use) const {
    std::set<int> met;
    for (const auto& u : *uses_) {
      if (u.test == use.test && u.call->line == use.call->line && u.other->line == use.other->line &&
          u.call->part == u.other->part) {
        met.insert(u.call->part);
      }
    }
    return static_cast<int>(met.size()) == use.call->parts && use.other->parts == use.call->parts;
  }

  // The partner's reference can be called as the test calls the partner: as many positional
  // arguments as it takes, and keywords it names.
  static bool accepts_call(const Pair& partner, const CallSite& call) {
    auto module = extractor::extract_file(partner.python_code);
    for (const auto& r : module.references) {
      if (r.kind != "function" || r.qualname != partner.reference) continue;
      size_t positional = 0;
      bool any_keyword = false;
      for (const auto& p : r.params) any_keyword = any_keyword || p.name.rfind("**", 0) == 0;
      auto names = passed_parameters(r.params);
      for (const auto& arg : call.args) {
        if (arg.keyword.empty()) {
          ++positional;
          continue;
        }
        bool named = any_keyword;
        for (const auto* p : names) named = named || p->name == arg.keyword;
        if (!named) return false;
      }
      return positional <= arity(r.params).all;
    }
    return false;
  }

  // A test that unpacks the launcher's result (out, scale = launcher(x)) and compares every
  // element with a torch computation: the reference returns those computations as one tuple.
  // Each element must be liftable on its own (it reads the launcher's inputs), so a constant
  // the test expects for one element is no part of a reference.
  bool reference_from_elements(const Callable& callable, const std::vector<TestUse>& uses, Pair* pair) {
    // The compared elements of each unpacked launcher call, by position.
    std::map<std::tuple<const AnalyzedFile*, const RepoTest*, int>, std::map<int, const TestUse*>> calls;
    for (const auto& use : uses) {
      if (use.call->part >= 0 && use.call->parts >= 2 && use.other->part < 0) {
        calls[{use.file, use.test, use.call->line}].emplace(use.call->part, &use);
      }
    }
    for (const auto& [call, elements] : calls) {
      const TestUse& first = *elements.begin()->second;
      std::string where = first.file->path + ":" + std::to_string(first.comparison->line);
      if (static_cast<int>(elements.size()) != first.call->parts) {
        missed(where, "the test compares " + std::to_string(elements.size()) + " of the " +
                          std::to_string(first.call->parts) + " elements the launcher returns");
        continue;
      }
      LiftContext context;
      if (!lifted_signature(callable, first, &context)) continue;
      std::vector<std::string> roots;  // repository reference functions the elements call
      std::string tuple;
      bool liftable = true;
      for (const auto& [part, use] : elements) {
        const CallSite& other = *use->other;
        Target target = resolve(*use->file, other.callee);
        if (target.file && triton_names_.count({target.file, target.name})) liftable = false;
        if (other.mutated || use->call->mutated || other.result_argument >= 0) liftable = false;
        if (target.file && target.rest.empty() && is_reference(*target.file, target.name)) {
          roots.push_back(other.callee.substr(0, other.callee.find('.')));
        } else if (!other.callee.empty() && !target.torch && other.callee.rfind("torch.", 0) != 0 &&
                   other.callee.rfind("F.", 0) != 0) {
          liftable = false;
        }
        LiftContext alone = context;
        alone.provided = roots;
        liftable = liftable && lift_reference(*use->file, other.text, reference_name(callable), alone).is_ok();
        if (!liftable) break;
        tuple += (tuple.empty() ? "" : ",\n") + other.text;
      }
      if (!liftable) {
        missed(where, "an element the test compares is no torch computation of the launcher's inputs");
        continue;
      }
      std::string closure;
      if (!roots.empty()) {
        auto built = build_module(index_, *first.file, roots);
        if (!built) {
          missed(where, built.status().message());
          continue;
        }
        closure = *built + "\n\n";
        context.provided = roots;
      }
      auto lifted = lift_reference(*first.file, tuple, reference_name(callable), context);
      if (!lifted) continue;
      recipe_use_ = &first;
      pair->python_code = closure + *lifted;
      pair->reference = reference_name(callable);
      pair->reference_path = first.file->path;
      return set_evidence(pair, "test-compare", where, 0.85);
    }
    return false;
  }

  // A compared name that is a pytest fixture of the test's class or module (`gt`, computed
  // from the fixtures the launcher is given): its body, yield made return, is the reference.
  bool reference_from_fixture(const Callable& callable, const TestUse& use, const std::string& where, Pair* pair) {
    const std::string& name = use.other->text;
    const std::string& test = use.test->qualname;
    std::string scope = test.substr(0, test.rfind('.') == std::string::npos ? 0 : test.rfind('.') + 1);
    for (const auto& r : use.file->extraction.references) {
      if (r.kind != "function" || r.name != name || (r.qualname != scope + name && r.qualname != name)) continue;
      std::string body = fixture_body(use.file->source.substr(r.span.start_byte, r.span.end_byte - r.span.start_byte));
      if (body.empty()) continue;
      LiftContext context;
      if (!lifted_signature(callable, use, &context)) return missed(where, "the launcher's arguments cannot be named");
      auto lifted = lift_statements(*use.file, body, reference_name(callable), context);
      if (!lifted) return missed(where, lifted.status().message());
      recipe_use_ = &use;
      pair->python_code = *lifted;
      pair->reference = reference_name(callable);
      pair->reference_path = use.file->path;
      return set_evidence(pair, "test-compare", where, 0.85);
    }
    return missed(where, "'" + name + "' is neither a call nor a fixture of the test");
  }

  // The statements of a function decorated as a pytest fixture, dedented, each `yield`
  // statement made a `return`; empty when the text is no fixture.
  static std::string fixture_body(const std::string& text) {
    std::vector<std::string> lines;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    auto stripped = [](const std::string& line) {
      size_t first = line.find_first_not_of(" \t");
      return first == std::string::npos ? std::string() : line.substr(first);
    };
    size_t at = 0;
    bool fixture = false;
    for (; at < lines.size() && stripped(lines[at]).rfind("def ", 0) != 0; ++at) {
      fixture = fixture || (stripped(lines[at]).rfind("@", 0) == 0 && lines[at].find("fixture") != std::string::npos);
    }
    if (!fixture || at == lines.size()) return {};
    int depth = 0;  // the signature ends at the first line outside its parentheses that ends with ':'
    for (; at < lines.size(); ++at) {
      for (char c : lines[at]) depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
      size_t last = lines[at].find_last_not_of(" \t");
      if (depth == 0 && last != std::string::npos && lines[at][last] == ':') break;
    }
    if (++at >= lines.size()) return {};
    size_t indent = std::string::npos;
    for (size_t i = at; i < lines.size(); ++i) {
      if (!stripped(lines[i]).empty()) indent = std::min(indent, lines[i].find_first_not_of(" \t"));
    }
    std::string body;
    for (size_t i = at; i < lines.size(); ++i) {
      std::string line = lines[i].size() > indent ? lines[i].substr(indent) : stripped(lines[i]);
      size_t first = line.find_first_not_of(" \t");
      if (first != std::string::npos && line.compare(first, 6, "yield ") == 0) line.replace(first, 5, "return");
      body += line + "\n";
    }
    return body;
  }

  // The same arguments, all positional: the validator's positional call then means what the
  // test's calls meant. Keywords may land in other positions of the two signatures.
  static bool same_arguments(const CallSite& a, const CallSite& b) {
    if (a.args.size() != b.args.size()) return false;
    for (size_t i = 0; i < a.args.size(); ++i) {
      if (a.args[i].text != b.args[i].text || !a.args[i].keyword.empty() || !b.args[i].keyword.empty()) return false;
    }
    return true;
  }

  // The parameters of a reference lifted from a test's call: the launcher's, for the arguments
  // the test gives it, in the launcher's order (the order the validator passes the recipe's
  // inputs in). The test's variables become copies of them: launcher(h1, w) makes h1 the
  // first parameter's value, and so is x_ref = h1.clone(). Parameters keep the launcher's
  // defaults.
  bool lifted_signature(const Callable& callable, const TestUse& use, LiftContext* context) const {
    context->copies = use.comparison->copies;
    // ref_inp = to_reference(inp, True): a repository helper returning its argument converted
    // makes a copy too.
    for (const auto& [name, helper] : use.comparison->helper_copies) {
      if (helper.size() == 2 && !context->copies.count(name) && returns_argument(*use.file, helper[0])) {
        context->copies[name] = helper[1];
      }
    }
    std::vector<std::string> order;
    if (callable.params) {
      for (const auto* p : passed_parameters(*callable.params)) {
        order.push_back(p->name);
        if (!p->default_value.empty()) context->defaults[p->name] = p->default_value;
      }
    }
    std::map<std::string, std::string> given;  // launcher parameter -> the test's expression
    size_t position = 0;
    for (const auto& arg : use.call->args) {
      std::string param = arg.keyword;
      if (param.empty()) {
        if (!callable.params) order.push_back("arg" + std::to_string(order.size()));
        if (position >= order.size()) return false;
        param = order[position++];
      }
      given[param] = arg.text;
    }
    std::string written = written_parameter(callable, *use.call);
    // Parameters the test leaves at their defaults keep their places up to the last one it
    // passes: the validator passes the recipe positionally to both sides.
    size_t last_given = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      if (given.count(order[i])) last_given = i + 1;
    }
    for (size_t i = 0; i < last_given; ++i) {
      const std::string& name = order[i];
      context->params.push_back(name);
      auto it = given.find(name);
      if (it == given.end()) {
        context->shadowed.insert(name);  // the test's variable of that name is not this default
        continue;
      }
      const std::string& text = it->second;
      // A test variable of the parameter's name is another value than the one passed; a
      // literal passed is read as the parameter itself (see literals).
      if (text != name && is_identifier(text)) context->shadowed.insert(name);
      // What the test passes the launcher must shape the reference: a required input, an option
      // given as a variable or a flag (normalize=False). Not an output buffer the launcher
      // writes into (kernel(x, out)), nor a tuning knob (BLOCK_SIZE=128, num_warps=4).
      bool flag = text == "True" || text == "False";
      bool option = is_identifier(text) && context->defaults.count(name);
      bool input = is_identifier(text) && !context->defaults.count(name);
      if ((input || ((option || flag) && !tuning_knob(name))) && name != written) context->required.insert(name);
      if (!is_identifier(text)) context->literals[name] = text;
      if (!is_identifier(text) || text == name) continue;
      // launcher(y, x) for launcher(x, y): the names would swap; not lifted.
      if (std::find(order.begin(), order.end(), text) != order.end()) return false;
      context->copies[text] = name;
    }
    return true;
  }

  // A parameter that only tunes the launch (BLOCK_SIZE, BT, num_warps, num_stages): the
  // reference has no reason to read it.
  static bool tuning_knob(const std::string& name) {
    std::string lower;
    bool upper = true;
    for (char c : name) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      upper = upper && !std::islower(static_cast<unsigned char>(c));
    }
    for (const char* word : {"block", "warps", "stages", "tile", "num_ctas", "grid", "autotune"}) {
      if (lower.find(word) != std::string::npos) return true;
    }
    return upper;
  }

  // The launcher parameter a call passed the variable it wrote its result into; empty when the
  // call returned its result.
  static std::string written_parameter(const Callable& callable, const CallSite& call) {
    if (call.result_argument < 0 || call.result_argument >= static_cast<int>(call.args.size())) return {};
    const auto& arg = call.args[call.result_argument];
    if (!arg.keyword.empty()) return arg.keyword;
    if (!callable.params) return {};
    auto params = passed_parameters(*callable.params);
    int position = 0;
    for (int i = 0; i < call.result_argument; ++i) position += call.args[i].keyword.empty() ? 1 : 0;
    return position < static_cast<int>(params.size()) ? params[position]->name : std::string();
  }

  // `home` holds the function the call names: the test's file, or its copy with a reference
  // the test defined for itself taken to the top level.
  bool lift_call_to_reference(const Callable& callable, const TestUse& use, const std::string& where, Pair* pair,
                              const AnalyzedFile& home) {
    LiftContext context;
    if (!lifted_signature(callable, use, &context)) return missed(where, "the launcher's arguments cannot be named");
    std::string root = use.other->callee.substr(0, use.other->callee.find('.'));
    auto closure = build_module(index_, home, {root});
    if (!closure) return missed(where, closure.status().message());
    context.provided = {root};
    auto lifted = lift_reference(home, use.other->text, reference_name(callable), context);
    if (!lifted) return missed(where, lifted.status().message());
    recipe_use_ = &use;
    pair->python_code = *closure + "\n\n" + *lifted;
    pair->reference = reference_name(callable);
    pair->reference_path = use.file->path;
    return set_evidence(pair, "test-compare", where, 0.9);
  }

  // A copy of the test's file with the reference function `name` the test defines inside
  // itself moved to the top level, dedented; nullptr when the test defines none (why stays
  // empty) or when it cannot move: it reads the test's own variables, or the module has a
  // top-level `name` of its own (why says so).
  const AnalyzedFile* hoist_test_reference(const TestUse& use, const std::string& name, std::string* why) {
    const std::string qualname = use.test->qualname + "." + name;
    const extractor::Reference* nested = nullptr;
    for (const auto& r : use.file->extraction.references) {
      if (r.kind != "function" || r.qualname != qualname) continue;
      if (nested) {
        *why = "the test defines its reference " + name + " more than once";
        return nullptr;
      }
      nested = &r;
    }
    if (!nested) return nullptr;
    auto known = hoisted_.find({use.file, qualname});
    if (known != hoisted_.end()) return known->second.get();
    const std::string& source = use.file->source;
    size_t line_start = source.rfind('\n', nested->span.start_byte);
    size_t indent = nested->span.start_byte - (line_start == std::string::npos ? 0 : line_start + 1);
    std::string text = dedent(source.substr(nested->span.start_byte, nested->span.end_byte - nested->span.start_byte), indent);
    if (binds_at_top_level(*use.file, name)) {
      *why = "the test's own " + name + " shadows the module's";
      return nullptr;
    }
    // What it reads must be the module's: a name the test binds itself (a variable, a
    // parametrized argument) would read the module's value, or none, at the top level.
    const std::string test_text =
        source.substr(use.test->span.start_byte, use.test->span.end_byte - use.test->span.start_byte);
    std::set<std::string> test_names = bound_names(test_text);
    test_names.erase(name);
    for (const auto& free : free_names(text)) {
      if (test_names.count(free)) {
        *why = "the test's own reference " + name + " reads the test's variable '" + free + "'";
        return nullptr;
      }
      if (!binds_at_top_level(*use.file, free) && !python_builtin(free)) {
        *why = "the test's own reference " + name + " reads '" + free + "', which the module does not define";
        return nullptr;
      }
    }
    auto hoisted = std::make_unique<AnalyzedFile>(
        AnalyzedFile{use.file->path, use.file->blob_id, source + "\n\n" + text + "\n", {}});
    hoisted->extraction = extractor::extract_file(hoisted->source, hoisted->path);
    return (hoisted_[{use.file, qualname}] = std::move(hoisted)).get();
  }

  // text less `indent` columns on every line after the first, which starts at that column.
  static std::string dedent(const std::string& text, size_t indent) {
    std::string out;
    size_t start = 0;
    for (bool first = true; start <= text.size(); first = false) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      size_t strip = 0;
      while (!first && strip < indent && strip < line.size() && line[strip] == ' ') ++strip;
      out += line.substr(strip);
      if (end == text.size()) break;
      out += "\n";
      start = end + 1;
    }
    return out;
  }

  // Whether `callee`, as file names it, is a function of the snapshot that returns its first
  // argument converted (input_converter.h).
  bool returns_argument(const AnalyzedFile& file, const std::string& callee) const {
    Target target = resolve(file, callee);
    if (!target.file || !target.rest.empty()) return false;
    for (const auto& f : target.file->extraction.functions) {
      if (f.name != target.name) continue;
      return returns_its_first_argument(
          target.file->source.substr(f.span.start_byte, f.span.end_byte - f.span.start_byte));
    }
    return false;
  }

  // Records why the first comparison that came close gave no reference; always false.
  bool missed(const std::string& where, const std::string& why) {
    if (miss_.empty()) miss_ = where + ": " + why;
    return false;
  }

  static bool set_evidence(Pair* pair, const std::string& kind, const std::string& where, double confidence) {
    pair->evidence = kind;
    pair->where = where;
    pair->confidence = confidence;
    return true;
  }

  // A name a parameter can take: not a literal such as None or True.
  static bool is_identifier(const std::string& text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
    if (text == "None" || text == "True" || text == "False") return false;
    for (char c : text) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
  }

  bool is_reference(const AnalyzedFile& file, const std::string& name) const {
    auto [begin, end] = references_.equal_range(name);
    for (auto it = begin; it != end; ++it) {
      if (it->second == &file) return true;
    }
    return false;
  }

  static std::string directory(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
  }

  // registration evidence: an op table row names this callable (through the registering
  // file's imports, or, behind a star import, by a name no other callable has).
  bool reference_by_registration(const Callable& callable, Pair* pair) {
    if (callable.entry != callable.root) return false;
    auto [begin, end] = registrations_.equal_range(callable.root);
    std::vector<std::string> ops;  // every op the callable is registered as, the first row's first
    const RegistrationSite* first = nullptr;
    for (auto it = begin; it != end; ++it) {
      const auto& [file, row] = it->second;
      Target target = resolve(*file, row->name);
      bool named = target.file ? target.file == callable.file && target.name == callable.root && target.rest.empty()
                               : callable_roots_.count(callable.root) == 1;
      if (!named) continue;
      if (!first) first = &it->second;
      ops.push_back(row->op);
    }
    if (!first) return false;
    registered_op_ = registered_op(ops);
    pair->reference = reference_name(callable);
    static const std::vector<extractor::Parameter> kNoParameters;
    pair->python_code =
        aten_reference_module(aten_callable(ops), pair->reference, callable.params ? *callable.params : kNoParameters);
    pair->reference_path = first->file->path;
    return set_evidence(pair, "registration", first->file->path + ":" + std::to_string(first->row->line), 0.9);
  }

  // module-wrapper evidence: an autograd.Function whose name, less the Function suffix and
  // the project's prefix, is the name of a PyTorch reference (LigerRMSNormFunction ->
  // rms_norm_ref, torch_rms_norm, ...).
  bool reference_by_wrapper_name(const Callable& callable, Pair* pair) {
    if (callable.entry == callable.root) return false;
    std::string base = callable.root;
    for (const std::string suffix : {"Function", "Func", "Fn"}) {
      if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
        base.resize(base.size() - suffix.size());
        break;
      }
    }
    for (const std::string prefix : {"Liger", "Triton", "Fused"}) {
      if (base.rfind(prefix, 0) == 0 && base.size() > prefix.size()) base = base.substr(prefix.size());
    }
    std::string snake;
    for (size_t i = 0; i < base.size(); ++i) {
      char c = base[i];
      bool upper = std::isupper(static_cast<unsigned char>(c));
      bool boundary = i > 0 && upper && (!std::isupper(static_cast<unsigned char>(base[i - 1])) ||
                                         (i + 1 < base.size() && std::islower(static_cast<unsigned char>(base[i + 1]))));
      if (boundary) snake += '_';
      snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const auto& candidate : naming_candidates(snake)) {
      auto [begin, end] = references_.equal_range(candidate);
      for (auto it = begin; it != end; ++it) {
        if (it->second != callable.file && !imports_callable(*it->second, callable)) continue;
        if (use_named_reference(*it->second, candidate, "module-wrapper", 0.6, pair, callable)) return true;
      }
    }
    return false;
  }

  // True when file imports the callable's definition: a test or benchmark beside a reference.
  bool imports_callable(const AnalyzedFile& file, const Callable& callable) const {
    for (const auto& item : file.extraction.items) {
      for (const auto& binding : item.imports) {
        if (binding.member == callable.root && index_.resolve(file, binding.module) == callable.file) return true;
      }
    }
    return false;
  }

  // The names a reference of the op `name` goes by. The op is the launcher's name, also less
  // what marks it as the Triton side (`triton_`, `_triton`, leading underscores):
  // add_tensor_triton and add_tensor_torch. Not less `_fwd`: a forward pass returns what
  // backward saves too (layer_norm_fwd's mean and rstd), which layer_norm_ref does not.
  static std::vector<std::string> naming_candidates(const std::string& name) {
    std::vector<std::string> ops = {name};
    auto strip = [&](std::string op) {
      while (!op.empty() && op[0] == '_') op.erase(0, 1);
      for (const std::string prefix : {"triton_"}) {
        if (op.size() > prefix.size() && op.rfind(prefix, 0) == 0) op = op.substr(prefix.size());
      }
      for (const std::string suffix : {"_triton"}) {
        if (op.size() > suffix.size() && op.compare(op.size() - suffix.size(), suffix.size(), suffix) == 0) {
          op.resize(op.size() - suffix.size());
        }
      }
      return op;
    };
    std::string op = strip(name);
    if (!op.empty() && op != name) ops.push_back(op);
    std::vector<std::string> out;
    for (const auto& o : ops) {
      for (const auto& candidate : {o + "_reference", o + "_ref", "ref_" + o, "reference_" + o, "torch_" + o,
                                    o + "_torch", "naive_" + o, o + "_naive", o + "_spec", o + "_ref_torch"}) {
        if (candidate != name) out.push_back(candidate);
      }
    }
    return out;
  }

  // naive-module and naming evidence.
  bool reference_by_name(const Callable& callable, Pair* pair) {
    const std::string& name = callable.root;
    const std::string dir = directory(callable.file->path);
    for (const auto& candidate : {name, "naive_" + name}) {
      auto [begin, end] = references_.equal_range(candidate);
      for (auto it = begin; it != end; ++it) {
        const auto& path = it->second->path;
        if (directory(path) == dir && path.size() >= 8 && path.compare(path.size() - 8, 8, "naive.py") == 0) {
          if (use_named_reference(*it->second, candidate, "naive-module", 0.8, pair, callable)) return true;
        }
      }
    }
    // A name alone is weak evidence: the reference must sit in the launcher's file, beside it,
    // or in a file that imports the launcher (kernels of other ops reuse the same names).
    for (const auto& candidate : naming_candidates(name)) {
      auto [begin, end] = references_.equal_range(candidate);
      const AnalyzedFile* best = nullptr;
      for (auto it = begin; it != end; ++it) {
        const AnalyzedFile* file = it->second;
        bool near = file == callable.file || directory(file->path) == dir || imports_callable(*file, callable);
        if (near && (!best || file == callable.file)) best = file;
      }
      if (best && use_named_reference(*best, candidate, "naming", best == callable.file ? 0.7 : 0.6, pair, callable)) {
        return true;
      }
    }
    return false;
  }

  // For evidence by name alone, the reference's parameters must be the launcher's, by name and
  // in order, as far as the launcher's required ones go: a name shared with another op's
  // reference, or a reference that takes its inputs in another order, is no pair.
  static bool same_parameters(const Callable& callable, const AnalyzedFile& file, const std::string& name) {
    if (!callable.params) return false;
    const std::vector<extractor::Parameter>* theirs = nullptr;
    for (const auto& r : file.extraction.references) {
      if (r.kind == "function" && r.qualname == name) theirs = &r.params;
    }
    if (!theirs) return false;
    auto ours = passed_parameters(*callable.params);
    auto refs = passed_parameters(*theirs);
    size_t required = arity(*callable.params).required;
    if (refs.size() < required) return false;
    for (size_t i = 0; i < required; ++i) {
      if (ours[i]->name != refs[i]->name) return false;
    }
    return true;
  }

  bool use_named_reference(const AnalyzedFile& file, const std::string& name, const std::string& evidence,
                           double confidence, Pair* pair, const Callable& callable) {
    if (!same_parameters(callable, file, name)) return false;
    auto code = build_module(index_, file, {name});
    if (!code) return false;
    pair->python_code = *code;
    pair->reference = name;
    pair->reference_path = file.path;
    int line = 0;
    for (const auto& r : file.extraction.references) {
      if (r.name == name) line = r.span.start_line;
    }
    return set_evidence(pair, evidence, file.path + ":" + std::to_string(line), confidence);
  }

  static bool read_recipe(const Callable& callable, const TestUse& use, InputRecipe* recipe) {
    if (!callable.params) return false;
    auto read = read_test_recipe(*callable.params, *use.test, *use.call, use.file->path);
    if (read) *recipe = std::move(*read);
    return read.has_value();
  }

  const std::vector<AnalyzedFile>& files_;
  // Copies of test files with a reference a test defined for itself at the top level, by
  // (file, the reference's qualified name).
  std::map<std::pair<const AnalyzedFile*, std::string>, std::unique_ptr<AnalyzedFile>> hoisted_;
  ModuleIndex index_;
  std::multimap<std::string, const AnalyzedFile*> references_;
  std::set<std::pair<const AnalyzedFile*, std::string>> triton_names_;
  struct RegistrationSite {
    const AnalyzedFile* file;
    const extractor::Registration* row;
  };
  std::multimap<std::string, RegistrationSite> registrations_;  // by registered name
  std::multiset<std::string> callable_roots_;
  std::multiset<std::string> callable_entries_;  // "add", "NormFunction.apply": how many callables each names
  std::map<std::pair<const AnalyzedFile*, std::string>, Pair> paired_;  // by the callable's file and root
  const std::vector<TestUse>* uses_ = nullptr;  // the current callable's
  bool refused_triton_ = false;                 // its tests compare it with Triton only
  const TestUse* recipe_use_ = nullptr;  // the use the current pair's reference was lifted from
  std::string registered_op_;            // the ATen op the current pair's registration names
  bool element_alone_ = false;  // one element of the launcher's result may meet a whole value
  const TestUse* evidence_use_ = nullptr;  // the comparison the current pair's test-compare evidence is
  std::string miss_;                     // why the current callable's closest comparison failed
};

}  // namespace

MatchResult match_snapshot(const std::vector<AnalyzedFile>& files) { return Matcher(files).run(); }

}  // namespace tritonpile::matcher
