// The nodes the extractor takes by kind rather than by shape: identifiers that read a
// variable, name.member attributes, calls, string literals, assignments, loops, tuples and
// lists; and the nodes the queries' patterns are rooted at. One walk over every node of a
// file lists them all. Plain data; separate instances may be built from separate threads.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "extractor/query.h"
#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

struct CallNode {
  TSNode call;
  TSNode callee;  // the function field
  TSNode args;    // an argument_list: calls with a bare generator argument are left out
};

// name.member where both sides are identifiers: tl.load, torch.sum.
struct AttributeNode {
  TSNode attribute;
  TSNode object;
  TSNode member;
};

// Every list is in document order.
struct NodeIndex {
  // Walks every node below root; pattern roots are the nodes of one of root_kinds.
  static NodeIndex collect(TSNode root, const KindSet& root_kinds);

  // Identifiers, less attribute members (x.member) and keyword-argument names (f(name=...)).
  std::vector<TSNode> reads;
  std::vector<AttributeNode> attributes;
  // Of a call and the call it is made on (f(x)(y)), which start together, the inner first.
  std::vector<CallNode> calls;
  std::vector<TSNode> strings;
  std::vector<TSNode> assignments;
  std::vector<TSNode> loops;      // for and while statements
  std::vector<TSNode> sequences;  // tuple and list literals
  std::vector<TSNode> pattern_roots;
};

inline uint32_t start_byte(TSNode node) { return ts_node_start_byte(node); }
inline uint32_t start_byte(const CallNode& call) { return ts_node_start_byte(call.call); }

// The part of list that starts inside node.
template <typename T>
std::span<const T> inside(const std::vector<T>& list, TSNode node) {
  auto before = [](const T& item, uint32_t byte) { return start_byte(item) < byte; };
  auto first = std::lower_bound(list.begin(), list.end(), ts_node_start_byte(node), before);
  auto last = std::lower_bound(first, list.end(), ts_node_end_byte(node), before);
  return {first, last};
}

}  // namespace tritonpile::extractor
