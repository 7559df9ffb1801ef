#include "matcher/input_converter.h"

#include <set>
#include <string>

#include "extractor/syntax_tree.h"

namespace tritonpile::matcher {

using extractor::SyntaxTree;

namespace {

// node is one of `derived`, or a chain of conversions of one.
bool converts(const SyntaxTree& tree, TSNode node, const std::set<std::string>& derived) {
  for (int depth = 0; depth < 16; ++depth) {
    auto type = SyntaxTree::type(node);
    if (type == "identifier") return derived.count(std::string(tree.text(node))) > 0;
    if (type == "parenthesized_expression") {
      node = ts_node_named_child(node, 0);
      continue;
    }
    if (type != "call") return false;
    TSNode function = SyntaxTree::field(node, "function");
    if (SyntaxTree::type(function) != "attribute" ||
        !extractor::is_conversion_method(tree.text(SyntaxTree::field(function, "attribute")))) {
      return false;
    }
    node = SyntaxTree::field(function, "object");
  }
  return false;
}

}  // namespace

bool returns_its_first_argument(const std::string& text) {
  SyntaxTree tree(text);
  TSNode function = extractor::first_function(tree);
  if (ts_node_is_null(function)) return false;
  auto params = extractor::named_children(SyntaxTree::field(function, "parameters"));
  if (params.empty()) return false;
  TSNode first = params[0];
  auto first_type = SyntaxTree::type(first);
  if (first_type == "default_parameter" || first_type == "typed_default_parameter") {
    first = SyntaxTree::field(first, "name");
  } else if (first_type == "typed_parameter") {
    first = ts_node_named_child(first, 0);
  } else if (first_type != "identifier") {
    return false;
  }
  std::set<std::string> derived = {std::string(tree.text(first))};
  bool sound = true;
  int returned = 0;
  extractor::walk_descendants(SyntaxTree::field(function, "body"), [&](TSNode node) {
    if (!sound) return false;
    auto type = SyntaxTree::type(node);
    if (type == "function_definition" || type == "lambda" || type == "class_definition") return false;
    if (type == "assignment" || type == "augmented_assignment") {
      TSNode left = SyntaxTree::field(node, "left");
      TSNode right = SyntaxTree::field(node, "right");
      bool plain = type == "assignment" && SyntaxTree::type(left) == "identifier";
      if (plain && !ts_node_is_null(right) && converts(tree, right, derived)) {
        derived.insert(std::string(tree.text(left)));
        return false;
      }
      // Anything else that binds or changes one of them (another value, `+=`, an element)
      // makes what it returns something other than the argument.
      extractor::walk_descendants(left, [&](TSNode target) {
        if (SyntaxTree::type(target) == "identifier" && derived.count(std::string(tree.text(target)))) sound = false;
        return true;
      });
      return false;
    }
    if (type == "return_statement") {
      TSNode value = ts_node_named_child(node, 0);
      if (ts_node_is_null(value) || SyntaxTree::type(value) == "none") return false;
      if (converts(tree, value, derived)) {
        ++returned;
      } else {
        sound = false;
      }
      return false;
    }
    return true;
  });
  return sound && returned > 0;
}

}  // namespace tritonpile::matcher
