#include "matcher/lookup_tables.h"

#include "extractor/syntax_tree.h"

namespace tritonpile::matcher {

using extractor::SyntaxTree;

namespace {

// The value of a plain string literal ("argmax", 'argmax'); nothing for f-strings, byte strings
// or concatenations.
std::optional<std::string> string_value(const SyntaxTree& tree, TSNode node) {
  if (SyntaxTree::type(node) != "string") return std::nullopt;
  std::string_view text = tree.text(node);
  if (text.size() < 2 || (text.front() != '"' && text.front() != '\'') || text.back() != text.front()) {
    return std::nullopt;
  }
  std::string value(text.substr(1, text.size() - 2));
  if (value.find_first_of("\\\"'{") != std::string::npos) return std::nullopt;
  return value;
}

}  // namespace

std::vector<std::string> literal_lookups(const std::string& statement, const std::string& object,
                                         const std::string& attribute, bool* other) {
  SyntaxTree tree(statement);
  std::vector<std::string> keys;
  *other = false;
  extractor::walk_descendants(tree.root(), [&](TSNode node) {
    if (SyntaxTree::type(node) != "call") return true;
    TSNode function = SyntaxTree::field(node, "function");
    if (SyntaxTree::type(function) != "attribute" ||
        tree.text(SyntaxTree::field(function, "object")) != object ||
        tree.text(SyntaxTree::field(function, "attribute")) != attribute) {
      return true;
    }
    auto arguments = extractor::named_children(SyntaxTree::field(node, "arguments"));
    std::optional<std::string> key;
    if (arguments.size() == 1) key = string_value(tree, arguments[0]);
    if (key) {
      keys.push_back(*key);
    } else {
      *other = true;
    }
    return true;
  });
  return keys;
}

std::optional<std::vector<std::pair<std::string, std::string>>> dict_entries(const std::string& source,
                                                                             const std::string& table) {
  SyntaxTree tree(source);
  for (TSNode statement : extractor::named_children(tree.root())) {
    if (SyntaxTree::type(statement) != "expression_statement") continue;
    TSNode assignment = ts_node_named_child(statement, 0);
    if (SyntaxTree::type(assignment) != "assignment" || tree.text(SyntaxTree::field(assignment, "left")) != table) {
      continue;
    }
    TSNode dict = SyntaxTree::field(assignment, "right");
    if (SyntaxTree::type(dict) != "dictionary") return std::nullopt;
    std::vector<std::pair<std::string, std::string>> entries;
    for (TSNode pair : extractor::named_children(dict)) {
      if (SyntaxTree::type(pair) != "pair") continue;
      auto key = string_value(tree, SyntaxTree::field(pair, "key"));
      if (key) entries.emplace_back(*key, std::string(tree.text(SyntaxTree::field(pair, "value"))));
    }
    return entries;
  }
  return std::nullopt;
}

}  // namespace tritonpile::matcher
