#include "matcher/pairer.h"

#include <map>
#include <optional>

#include "matcher/classifier.h"
#include "matcher/module_builder.h"
#include "matcher/normalizer.h"

namespace tritonpile::matcher {
namespace {

using extractor::CallSite;
using extractor::Comparison;
using extractor::Launcher;
using extractor::Reference;

std::string last_segment(const std::string& dotted) { return dotted.substr(dotted.rfind('.') + 1); }

struct ReferenceAt {
  const AnalyzedFile* file;
  const Reference* reference;
};

struct TestCall {
  const AnalyzedFile* file;
  const Comparison* comparison;
  const CallSite* launcher_call;
  const CallSite* other_call;
};

class Matcher {
 public:
  explicit Matcher(const std::vector<AnalyzedFile>& files) : files_(files) {
    for (const auto& file : files_) {
      for (const auto& reference : file.extraction.references) {
        references_.emplace(reference.name, ReferenceAt{&file, &reference});
      }
    }
  }

  MatchResult run() {
    MatchResult result;
    for (const auto& file : files_) {
      for (const auto& launcher : file.extraction.launchers) {
        std::string reason;
        if (auto pair = match(file, launcher, &reason)) {
          result.pairs.push_back(std::move(*pair));
        } else {
          result.unpaired.push_back({file.path, launcher.qualname, reason});
        }
      }
    }
    return result;
  }

 private:
  std::optional<Pair> match(const AnalyzedFile& file, const Launcher& launcher, std::string* reason) {
    if (launcher.qualname != launcher.name) {
      *reason = "launcher is not a module-level function";
      return std::nullopt;
    }
    std::vector<TestCall> calls = test_calls(launcher.name);
    Pair pair;
    pair.path = file.path;
    pair.launcher = launcher.name;
    pair.launcher_span = launcher.span;

    std::optional<ReferenceAt> reference;
    for (const auto& call : calls) {
      if ((reference = find_reference(last_segment(call.other_call->callee), file))) {
        pair.evidence = "test-compare";
        pair.where = call.file->path + ":" + std::to_string(call.comparison->line);
        pair.confidence = 0.95;
        break;
      }
    }
    if (!reference) {
      for (const auto& name : reference_names(launcher.name)) {
        if ((reference = find_reference(name, file))) break;
      }
      if (!reference) {
        *reason = "no PyTorch reference found";
        return std::nullopt;
      }
      pair.evidence = "naming";
      pair.where = reference->file->path + ":" + std::to_string(reference->reference->span.start_line);
      pair.confidence = reference->file == &file ? 0.7 : 0.6;
    }
    pair.reference = reference->reference->name;
    pair.reference_path = reference->file->path;

    bool have_recipe = false;
    for (const auto& call : calls) {
      if ((have_recipe = read_recipe(launcher, call, &pair.recipe))) break;
    }
    if (!have_recipe) {
      *reason = "no test calls it with inputs we can rebuild";
      return std::nullopt;
    }
    auto triton_code = build_module(file, {launcher.name});
    auto python_code = build_module(*reference->file, {reference->reference->name});
    if (!triton_code || !python_code) {
      *reason = (triton_code ? python_code.status() : triton_code.status()).message();
      return std::nullopt;
    }
    pair.triton_code = normalize_layout(*triton_code);
    pair.python_code = normalize_layout(*python_code);
    pair.canonical_hash = canonical_hash(pair.python_code, pair.triton_code);
    pair.classification = classify(pair.triton_code);
    return pair;
  }

  static std::vector<std::string> reference_names(const std::string& launcher) {
    return {launcher + "_reference", launcher + "_ref", "ref_" + launcher, "reference_" + launcher,
            "torch_" + launcher,     launcher + "_torch", "naive_" + launcher, launcher + "_naive",
            launcher + "_spec"};
  }

  // A same-named reference in the launcher's own file wins over one elsewhere in the source.
  std::optional<ReferenceAt> find_reference(const std::string& name, const AnalyzedFile& near) {
    auto [begin, end] = references_.equal_range(name);
    std::optional<ReferenceAt> found;
    for (auto it = begin; it != end; ++it) {
      if (it->second.file == &near) return it->second;
      if (!found) found = it->second;
    }
    return found;
  }

  std::vector<TestCall> test_calls(const std::string& launcher) {
    std::vector<TestCall> calls;
    for (const auto& file : files_) {
      for (const auto& test : file.extraction.tests) {
        for (const auto& comparison : test.comparisons) {
          if (last_segment(comparison.actual.callee) == launcher) {
            calls.push_back({&file, &comparison, &comparison.actual, &comparison.expected});
          } else if (last_segment(comparison.expected.callee) == launcher) {
            calls.push_back({&file, &comparison, &comparison.expected, &comparison.actual});
          }
        }
      }
    }
    return calls;
  }

  // Binds the test's arguments to the launcher's parameters; every parameter without a
  // default must receive a tensor or a scalar literal.
  static bool read_recipe(const Launcher& launcher, const TestCall& call, InputRecipe* recipe) {
    std::map<std::string, const extractor::CallArg*> by_name;
    size_t position = 0;
    for (const auto& arg : call.launcher_call->args) {
      if (arg.keyword.empty()) {
        if (position >= launcher.params.size()) return false;
        by_name[launcher.params[position++].name] = &arg;
      } else {
        by_name[arg.keyword] = &arg;
      }
    }
    InputRecipe out;
    for (const auto& param : launcher.params) {
      auto it = by_name.find(param.name);
      if (it == by_name.end()) {
        if (param.default_value.empty()) return false;
        continue;
      }
      const auto& arg = *it->second;
      if (arg.kind == "other") return false;
      out.args.push_back({param.name, arg.kind, arg.tensor, arg.kind == "tensor" ? "" : arg.text});
    }
    out.origin = call.file->path + ":" + std::to_string(call.launcher_call->line);
    *recipe = std::move(out);
    return true;
  }

  const std::vector<AnalyzedFile>& files_;
  std::multimap<std::string, ReferenceAt> references_;
};

}  // namespace

MatchResult match_snapshot(const std::vector<AnalyzedFile>& files) { return Matcher(files).run(); }

}  // namespace tritonpile::matcher
