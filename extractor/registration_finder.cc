#include "extractor/registration_finder.h"

namespace tritonpile::extractor {
namespace {

std::string unquote(std::string_view text) {
  size_t start = text.find_first_of("'\"");
  size_t end = text.find_last_of("'\"");
  if (start == std::string_view::npos || end <= start) return {};
  // String prefixes (r, b, f) and triple quotes leave quote characters at the ends.
  std::string inner(text.substr(start + 1, end - start - 1));
  while (!inner.empty() && (inner.front() == '"' || inner.front() == '\'')) inner.erase(0, 1);
  while (!inner.empty() && (inner.back() == '"' || inner.back() == '\'')) inner.pop_back();
  return inner;
}

// ("add.Tensor", add) -> {op, name}; false for any other shape of row.
bool read_row(const SyntaxTree& tree, TSNode row, Registration* out) {
  if (SyntaxTree::type(row) != "tuple" || ts_node_named_child_count(row) != 2) return false;
  TSNode op = ts_node_named_child(row, 0), name = ts_node_named_child(row, 1);
  if (SyntaxTree::type(op) != "string" || SyntaxTree::type(name) != "identifier") return false;
  out->op = unquote(tree.text(op));
  out->name = std::string(tree.text(name));
  out->line = static_cast<int>(ts_node_start_point(row).row) + 1;
  return !out->op.empty() && out->op.find_first_of(" \n\t") == std::string::npos;
}

void read_table(const SyntaxTree& tree, TSNode table, std::vector<Registration>* out) {
  std::vector<Registration> rows;
  for (TSNode child : named_children(table)) {
    if (SyntaxTree::type(child) == "comment") continue;  // a row commented out
    Registration row;
    if (!read_row(tree, child, &row)) return;  // a mixed list is no table
    rows.push_back(std::move(row));
  }
  if (static_cast<int>(rows.size()) < kMinTableRows) return;
  out->insert(out->end(), rows.begin(), rows.end());
}

}  // namespace

std::vector<Registration> find_registrations(const SyntaxTree& tree, std::span<const TSNode> sequences) {
  std::vector<Registration> out;
  std::string_view source = tree.source();
  // Most files have no table; a table needs rows that open with a string, so a file without
  // three `("` or `('` has none and its literals are not read at all.
  int openings = 0;
  for (size_t at = source.find('('); at != std::string_view::npos && openings < kMinTableRows;
       at = source.find('(', at + 1)) {
    openings += at + 1 < source.size() && (source[at + 1] == '"' || source[at + 1] == '\'');
  }
  if (openings < kMinTableRows) return out;
  uint32_t table_end = 0;  // what lies inside a table, a row or a table of its own, is not read again
  for (TSNode node : sequences) {
    if (ts_node_start_byte(node) < table_end || ts_node_named_child_count(node) < kMinTableRows) continue;
    read_table(tree, node, &out);
    table_end = ts_node_end_byte(node);
  }
  return out;
}

}  // namespace tritonpile::extractor
