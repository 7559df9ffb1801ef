#include "matcher/reference_lifter.h"

#include <algorithm>
#include <set>

#include "extractor/file_extractor.h"
#include "matcher/module_builder.h"

namespace tritonpile::matcher {

StatusOr<std::string> lift_reference(const AnalyzedFile& test_file, const std::string& expression,
                                     const std::vector<std::string>& params, const std::string& name,
                                     const std::vector<std::string>& provided,
                                     const std::map<std::string, std::string>& copies) {
  std::string signature;
  for (const auto& p : params) signature += (signature.empty() ? "" : ", ") + p;
  std::string head = "def " + name + "(" + signature + "):\n";
  std::string body = "    return " + expression + "\n";
  auto parsed = extractor::extract_file(head + body);
  if (parsed.syntax_errors || parsed.items.size() != 1) {
    return Status::error(test_file.path + ": cannot lift '" + expression + "' into a function");
  }
  // A bare name or attribute (`x.grad`, `expected`) computes nothing: no reference.
  if (expression.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_. \n") ==
      std::string::npos) {
    return Status::error(test_file.path + ": '" + expression + "' computes nothing to compare with");
  }
  std::set<std::string> bound(params.begin(), params.end());
  bound.insert(name);
  bound.insert(provided.begin(), provided.end());
  // An expression that reads none of the inputs is a constant the test expects, not a
  // reference (torch.tensor([0, 2])).
  auto alone = extractor::extract_file("_ = " + expression + "\n");
  bool reads_input = false;
  if (!alone.items.empty()) {
    for (const auto& used : alone.items[0].uses) {
      std::string source = used;
      for (int depth = 0; depth < 8 && !bound.count(source) && copies.count(source); ++depth) source = copies.at(source);
      reads_input = reads_input || (bound.count(source) && source != name && !std::count(provided.begin(), provided.end(), source));
    }
  }
  if (!reads_input) {
    return Status::error(test_file.path + ": '" + expression + "' reads none of the launcher's inputs");
  }
  // A copy the test made of an input reads as that input.
  std::string preamble;
  for (const auto& used : parsed.items[0].uses) {
    std::string source = used;
    for (int depth = 0; depth < 8 && !bound.count(source) && copies.count(source); ++depth) source = copies.at(source);
    if (source == used || !bound.count(source) || bound.count(used)) continue;
    preamble += "    " + used + " = " + source + "\n";
    bound.insert(used);
  }
  std::string function = head + preamble + body;
  std::string imports;
  for (const auto& used : parsed.items[0].uses) {
    if (bound.count(used)) continue;
    bool found = false;
    for (const auto& item : test_file.extraction.items) {
      for (const auto& binding : item.imports) {
        if (item.kind != "import" || binding.local != used) continue;
        if (!importable_module(binding.module)) {
          return Status::error(test_file.path + ": the lifted reference needs '" + binding.module + "'");
        }
        imports += binding.member.empty()
                       ? "import " + binding.module + (binding.local != binding.module ? " as " + binding.local : "")
                       : "from " + binding.module + " import " + binding.member +
                             (binding.local != binding.member ? " as " + binding.local : "");
        imports += "\n";
        found = true;
        break;
      }
      if (found) break;
    }
    static const std::set<std::string> kBuiltins = {"abs", "max", "min", "sum", "len", "range", "float", "int",
                                                    "tuple", "list", "True", "False", "None", "pow", "round"};
    if (!found && !kBuiltins.count(used)) {
      return Status::error(test_file.path + ": the compared expression reads '" + used +
                           "', which the launcher is not given");
    }
  }
  return (imports.empty() ? "" : imports + "\n\n") + function;
}

}  // namespace tritonpile::matcher
