#include "matcher/reference_lifter.h"

#include <algorithm>
#include <set>

#include "extractor/file_extractor.h"
#include "extractor/syntax_tree.h"
#include "matcher/module_builder.h"

namespace tritonpile::matcher {

namespace {

// `f(x, normalize=False)` -> `f(x, normalize=normalize)` for each literal the test passed the
// launcher under that parameter name.
std::string pass_parameters(const std::string& statements, const std::map<std::string, std::string>& literals) {
  if (literals.empty()) return statements;
  extractor::SyntaxTree tree(statements);
  std::vector<std::pair<TSNode, std::string>> edits;
  extractor::walk_descendants(tree.root(), [&](TSNode node) {
    if (extractor::SyntaxTree::type(node) != "keyword_argument") return true;
    std::string keyword(tree.text(extractor::SyntaxTree::field(node, "name")));
    TSNode value = extractor::SyntaxTree::field(node, "value");
    auto found = literals.find(keyword);
    if (found != literals.end() && tree.text(value) == found->second) edits.emplace_back(value, keyword);
    return true;
  });
  std::string out = statements;
  for (auto it = edits.rbegin(); it != edits.rend(); ++it) {
    uint32_t start = ts_node_start_byte(it->first), end = ts_node_end_byte(it->first);
    out.replace(start, end - start, it->second);
  }
  return out;
}

}  // namespace

StatusOr<std::string> lift_statements(const AnalyzedFile& test_file, const std::string& written_statements,
                                      const std::string& name, const LiftContext& context) {
  const std::string statements = pass_parameters(written_statements, context.literals);
  const auto& params = context.params;
  const auto& copies = context.copies;
  // Parsed as a module of their own: each statement's binds are the function's locals, the
  // rest of what they read must come from the parameters, copies of them or imports.
  auto parsed = extractor::extract_file(statements);
  if (parsed.syntax_errors || parsed.items.empty()) {
    return Status::error(test_file.path + ": cannot lift '" + statements + "' into a function");
  }
  std::set<std::string> locals, uses;
  for (const auto& item : parsed.items) {
    locals.insert(item.binds.begin(), item.binds.end());
    uses.insert(item.uses.begin(), item.uses.end());
  }
  std::set<std::string> bound(params.begin(), params.end());
  bound.insert(name);
  bound.insert(context.provided.begin(), context.provided.end());
  auto source_of = [&](const std::string& used) {
    std::string source = used;
    for (int depth = 0; depth < 8 && !bound.count(source) && copies.count(source); ++depth) source = copies.at(source);
    return source;
  };
  for (const auto& used : uses) {
    if (context.shadowed.count(used) && !locals.count(used)) {
      return Status::error(test_file.path + ": the compared value reads the test's own '" + used +
                           "', not the launcher's parameter of that name");
    }
  }
  // What reads none of the inputs is a constant the test expects (torch.tensor([0, 2])), not
  // a reference.
  bool reads_input = false;
  for (const auto& used : uses) {
    std::string source = source_of(used);
    reads_input = reads_input || (std::count(params.begin(), params.end(), source) > 0 && !locals.count(used));
  }
  if (!reads_input) {
    return Status::error(test_file.path + ": '" + statements + "' reads none of the launcher's inputs");
  }
  std::set<std::string> read;
  for (const auto& used : uses) read.insert(source_of(used));
  for (const auto& param : context.required) {
    if (!read.count(param)) {
      return Status::error(test_file.path + ": the compared value ignores the launcher's argument '" + param + "'");
    }
  }
  // A copy the test made of an input reads as that input. One the statements also rebind
  // (input = input.float()) is bound first all the same: Python makes it local to the whole
  // function.
  std::string preamble;
  for (const auto& used : uses) {
    if (bound.count(used)) continue;
    std::string source = source_of(used);
    if (source == used || !bound.count(source)) continue;
    preamble += "    " + used + " = " + source + "\n";
    bound.insert(used);
  }
  // The launcher's defaults become the reference's: what they read must be importable too
  // (C=BLOCK_SIZE_C reads a constant of the launcher's module, which the test cannot give).
  std::set<std::string> default_reads;
  for (const auto& param : params) {
    auto it = context.defaults.find(param);
    if (it == context.defaults.end()) continue;
    auto parsed_default = extractor::extract_file("_ = " + it->second);
    for (const auto& item : parsed_default.items) {
      for (const auto& read : item.uses) {
        if (read != "_") default_reads.insert(read);
      }
    }
  }
  std::set<std::string> reads = uses;
  reads.insert(default_reads.begin(), default_reads.end());
  std::string imports;
  for (const auto& used : reads) {
    if (bound.count(used) || (locals.count(used) && !default_reads.count(used))) continue;
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
    if (!found && !python_builtin(used)) {
      if (!uses.count(used)) {
        return Status::error(test_file.path + ": a default of the launcher reads '" + used +
                             "', which the reference cannot import");
      }
      return Status::error(test_file.path + ": the compared value reads '" + used +
                           "', which the launcher is not given");
    }
  }
  // A default only where every later parameter has one too, as Python requires.
  std::vector<std::string> written(params.size());
  bool defaulted = true;
  for (size_t i = params.size(); i-- > 0;) {
    auto it = context.defaults.find(params[i]);
    defaulted = defaulted && it != context.defaults.end();
    written[i] = defaulted ? params[i] + "=" + it->second : params[i];
  }
  std::string signature;
  for (const auto& p : written) signature += (signature.empty() ? "" : ", ") + p;
  std::string body;
  size_t start = 0;
  while (start < statements.size()) {
    size_t end = statements.find('\n', start);
    if (end == std::string::npos) end = statements.size();
    std::string line = statements.substr(start, end - start);
    body += line.empty() ? "\n" : "    " + line + "\n";
    start = end + 1;
  }
  std::string function = "def " + name + "(" + signature + "):\n" + preamble + body;
  return (imports.empty() ? "" : imports + "\n\n") + function;
}

StatusOr<std::string> lift_reference(const AnalyzedFile& test_file, const std::string& expression,
                                     const std::string& name, const LiftContext& context) {
  // A bare name or attribute (`x.grad`, `expected`) computes nothing: no reference.
  if (expression.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_. \n") ==
      std::string::npos) {
    return Status::error(test_file.path + ": '" + expression + "' computes nothing to compare with");
  }
  // An argument may span lines inside the comparison's parentheses; as a return value it
  // needs parentheses of its own.
  bool multiline = expression.find('\n') != std::string::npos;
  return lift_statements(test_file, multiline ? "return (" + expression + ")" : "return " + expression, name,
                         context);
}

}  // namespace tritonpile::matcher
