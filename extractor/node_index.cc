#include "extractor/node_index.h"

#include <cstring>

namespace tritonpile::extractor {
namespace {

// Symbol and field ids of the grammar, looked up by name once: the C++ compares numbers.
struct Grammar {
  TSSymbol identifier = symbol("identifier");
  TSSymbol attribute = symbol("attribute");
  TSSymbol keyword_argument = symbol("keyword_argument");
  TSSymbol call = symbol("call");
  TSSymbol string = symbol("string");
  TSSymbol assignment = symbol("assignment");
  TSSymbol for_statement = symbol("for_statement");
  TSSymbol while_statement = symbol("while_statement");
  TSSymbol tuple = symbol("tuple");
  TSSymbol list = symbol("list");
  TSSymbol argument_list = symbol("argument_list");
  TSSymbol error = symbol("ERROR");
  TSFieldId object_field = field("object");
  TSFieldId attribute_field = field("attribute");
  TSFieldId name_field = field("name");
  TSFieldId function_field = field("function");
  TSFieldId arguments_field = field("arguments");

  static TSSymbol symbol(const char* name) {
    return ts_language_symbol_for_name(python_language(), name, static_cast<uint32_t>(std::strlen(name)), true);
  }
  static TSFieldId field(const char* name) {
    return ts_language_field_id_for_name(python_language(), name, static_cast<uint32_t>(std::strlen(name)));
  }
};

const Grammar& grammar() {
  static const Grammar g;
  return g;
}

bool is(TSNode node, TSSymbol symbol) { return !ts_node_is_null(node) && ts_node_symbol(node) == symbol; }

class Collector {
 public:
  explicit Collector(NodeIndex* index) : g_(grammar()), index_(index) {}

  void add(TSNode node, TSSymbol symbol) {
    if (symbol == g_.identifier) {
      identifiers_.push_back(node);
    } else if (symbol == g_.attribute) {
      add_attribute(node);
    } else if (symbol == g_.keyword_argument) {
      add_not_read(ts_node_child_by_field_id(node, g_.name_field));
    } else if (symbol == g_.call) {
      add_call(node);
    } else if (symbol == g_.string) {
      index_->strings.push_back(node);
    } else if (symbol == g_.assignment) {
      index_->assignments.push_back(node);
    } else if (symbol == g_.for_statement || symbol == g_.while_statement) {
      index_->loops.push_back(node);
    } else if (symbol == g_.tuple || symbol == g_.list) {
      index_->sequences.push_back(node);
    }
  }

  // The identifiers left once attribute members and keyword names are known.
  void finish() {
    // Both lists in document order: one pass over each.
    std::sort(not_reads_.begin(), not_reads_.end());
    auto not_read = not_reads_.begin();
    for (TSNode id : identifiers_) {
      uint32_t start = ts_node_start_byte(id);
      while (not_read != not_reads_.end() && *not_read < start) ++not_read;
      if (not_read == not_reads_.end() || *not_read != start) index_->reads.push_back(id);
    }
    // The walk enters a call before the call it is made on (f(x)(y)); the inner one, which
    // ends first, goes first, as it always has in the comparisons a test reports.
    std::sort(index_->calls.begin(), index_->calls.end(), [](const CallNode& a, const CallNode& b) {
      uint32_t sa = ts_node_start_byte(a.call), sb = ts_node_start_byte(b.call);
      return sa != sb ? sa < sb : ts_node_end_byte(a.call) < ts_node_end_byte(b.call);
    });
  }

 private:
  void add_attribute(TSNode node) {
    TSNode object = ts_node_child_by_field_id(node, g_.object_field);
    TSNode member = ts_node_child_by_field_id(node, g_.attribute_field);
    add_not_read(member);
    if (is(object, g_.identifier) && is(member, g_.identifier)) index_->attributes.push_back({node, object, member});
  }

  // Identifiers are told apart by start byte: a node's children come after it in the walk.
  void add_not_read(TSNode node) {
    if (is(node, g_.identifier)) not_reads_.push_back(ts_node_start_byte(node));
  }

  // As a query (call function: (_) arguments: (argument_list)) would: (_) is any named node
  // but an ERROR.
  void add_call(TSNode node) {
    TSNode callee = ts_node_child_by_field_id(node, g_.function_field);
    TSNode args = ts_node_child_by_field_id(node, g_.arguments_field);
    if (ts_node_is_null(callee) || !ts_node_is_named(callee) || is(callee, g_.error)) return;
    if (is(args, g_.argument_list)) index_->calls.push_back({node, callee, args});
  }

  const Grammar& g_;
  NodeIndex* index_;
  std::vector<TSNode> identifiers_;
  std::vector<uint32_t> not_reads_;  // start bytes of attribute members and keyword names
};

}  // namespace

NodeIndex NodeIndex::collect(TSNode root, const KindSet& root_kinds) {
  NodeIndex index;
  Collector collector(&index);
  walk_descendants(root, [&](TSNode node) {
    TSSymbol symbol = ts_node_symbol(node);
    collector.add(node, symbol);
    if (contains(root_kinds, symbol)) index.pattern_roots.push_back(node);
    return true;
  });
  collector.finish();
  return index;
}

}  // namespace tritonpile::extractor
