// A parsed Python file: owns the tree-sitter tree and the source text it points into, and
// answers the small questions every finder asks of a node (its text, lines, field children).
// Not thread-safe per instance; separate instances may be used from separate threads.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractor/extraction.h"

namespace tritonpile::extractor {

class SyntaxTree {
 public:
  // Parses Python source; tree-sitter always yields a tree, with ERROR nodes where it recovered.
  explicit SyntaxTree(std::string source);
  ~SyntaxTree();
  SyntaxTree(const SyntaxTree&) = delete;
  SyntaxTree& operator=(const SyntaxTree&) = delete;

  TSNode root() const;
  const std::string& source() const { return source_; }

  std::string_view text(TSNode node) const;
  Span span(TSNode node) const;
  static std::string_view type(TSNode node) { return ts_node_type(node); }
  static TSNode field(TSNode node, std::string_view name);

 private:
  std::string source_;
  TSTree* tree_;
};

const TSLanguage* python_language();

// node's named children in order, read with one cursor pass: ts_node_named_child(node, i)
// steps over the i children before it on every call.
std::vector<TSNode> named_children(TSNode node);

// The first function defined in the tree, in document order; a null node when there is none.
TSNode first_function(const SyntaxTree& tree);

// Tensor methods that leave the values as they are, up to dtype, device and memory layout
// (x.to(...), x.float(), x.clone(), x.detach(), ...).
bool is_conversion_method(std::string_view name);

// Calls visit for node and every node below it, without recursion (deep nesting is safe);
// visit returns false to skip a node's children.
template <typename Visit>
void walk_descendants(TSNode node, Visit visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  for (;;) {
    bool descend = visit(ts_tree_cursor_current_node(&cursor));
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return;
      }
    }
  }
}

}  // namespace tritonpile::extractor
