#include "matcher/normalizer.h"

#include "common/hash.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::matcher {
namespace {

using extractor::SyntaxTree;

// A string that is the whole first statement of a module, class or function body.
bool is_docstring(TSNode node) {
  if (SyntaxTree::type(node) != "string") return false;
  TSNode statement = ts_node_parent(node);
  if (ts_node_is_null(statement) || SyntaxTree::type(statement) != "expression_statement" ||
      ts_node_named_child_count(statement) != 1) {
    return false;
  }
  TSNode body = ts_node_parent(statement);
  if (ts_node_is_null(body)) return false;
  auto type = SyntaxTree::type(body);
  if (type != "block" && type != "module") return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(body); ++i) {
    TSNode first = ts_node_named_child(body, i);
    if (SyntaxTree::type(first) == "comment") continue;
    return ts_node_eq(first, statement);
  }
  return false;
}

void append_tokens(const SyntaxTree& tree, TSNode node, std::string* out) {
  auto type = SyntaxTree::type(node);
  if (type == "comment" || is_docstring(node)) return;
  uint32_t children = ts_node_child_count(node);
  // Strings are one token; their inner parts are not re-spaced.
  if (children == 0 || type == "string") {
    if (!out->empty()) out->push_back(' ');
    out->append(tree.text(node));
    return;
  }
  for (uint32_t i = 0; i < children; ++i) append_tokens(tree, ts_node_child(node, i), out);
}

}  // namespace

std::string canonical_tokens(const std::string& code) {
  SyntaxTree tree(code);
  std::string out;
  append_tokens(tree, tree.root(), &out);
  return out;
}

std::string canonical_hash(const std::string& python_code, const std::string& triton_code) {
  return xxh64_hex(canonical_tokens(python_code) + "\n#####\n" + canonical_tokens(triton_code));
}

std::string normalize_layout(const std::string& code) {
  std::string out;
  size_t start = 0;
  while (start <= code.size()) {
    size_t end = code.find('\n', start);
    if (end == std::string::npos) end = code.size();
    std::string line = code.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    out += line;
    out += '\n';
    start = end + 1;
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace tritonpile::matcher
