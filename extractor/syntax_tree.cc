#include "extractor/syntax_tree.h"

#include <set>

#include <algorithm>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace tritonpile::extractor {

const TSLanguage* python_language() { return tree_sitter_python(); }

namespace {

// One parser per thread, reused across files: creating one costs more than a small file's parse.
TSParser* thread_parser() {
  struct Holder {
    TSParser* parser = ts_parser_new();
    Holder() { ts_parser_set_language(parser, python_language()); }
    ~Holder() { ts_parser_delete(parser); }
  };
  thread_local Holder holder;
  return holder.parser;
}

}  // namespace

SyntaxTree::SyntaxTree(std::string source) : source_(std::move(source)) {
  tree_ = ts_parser_parse_string(thread_parser(), nullptr, source_.data(), static_cast<uint32_t>(source_.size()));
}

SyntaxTree::~SyntaxTree() { ts_tree_delete(tree_); }

TSNode SyntaxTree::root() const { return ts_tree_root_node(tree_); }

std::string_view SyntaxTree::text(TSNode node) const {
  if (ts_node_is_null(node)) return {};
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  return std::string_view(source_).substr(start, end - start);
}

Span SyntaxTree::span(TSNode node) const {
  Span s;
  s.start_line = static_cast<int>(ts_node_start_point(node).row) + 1;
  s.end_line = static_cast<int>(ts_node_end_point(node).row) + 1;
  s.start_byte = ts_node_start_byte(node);
  s.end_byte = ts_node_end_byte(node);
  return s;
}

// tree-sitter finds a field's id by comparing the name with each field name in turn; the
// names are sorted, so a table built once answers by binary search.
TSNode SyntaxTree::field(TSNode node, std::string_view name) {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (TSFieldId id = 1; id <= ts_language_field_count(python_language()); ++id) {
      all.push_back(ts_language_field_name_for_id(python_language(), id));
    }
    return all;
  }();
  auto it = std::lower_bound(names.begin(), names.end(), name);
  if (it == names.end() || *it != name) return TSNode{};
  return ts_node_child_by_field_id(node, static_cast<TSFieldId>(it - names.begin() + 1));
}

std::vector<TSNode> named_children(TSNode node) {
  std::vector<TSNode> children;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    TSNode child = ts_tree_cursor_current_node(&cursor);
    if (ts_node_is_named(child)) children.push_back(child);
  }
  ts_tree_cursor_delete(&cursor);
  return children;
}

TSNode first_function(const SyntaxTree& tree) {
  TSNode function{};
  walk_descendants(tree.root(), [&](TSNode node) {
    if (!ts_node_is_null(function)) return false;
    if (SyntaxTree::type(node) == "function_definition") function = node;
    return ts_node_is_null(function);
  });
  return function;
}

bool is_conversion_method(std::string_view name) {
  static const std::set<std::string, std::less<>> conversions = {
      "to", "float", "half", "bfloat16", "double", "cpu", "cuda", "contiguous", "clone", "detach", "requires_grad_"};
  return conversions.find(name) != conversions.end();
}

}  // namespace tritonpile::extractor
