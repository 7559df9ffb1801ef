// A compiled tree-sitter query from one of the .scm files in extractor/queries/, run over a
// node. Debian's tree-sitter 0.20 C API leaves predicates to the caller: this class evaluates
// #eq?, #not-eq?, #any-of? and #match? so the .scm files mean what they say.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

struct Capture {
  std::string_view name;
  TSNode node;
};

class Query {
 public:
  // Compiles an embedded query; a malformed query is a programming error and aborts with
  // the query's name and the offending offset.
  Query(std::string_view name, std::string_view source);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Calls visit for each match under node whose predicates hold.
  void for_each_match(const SyntaxTree& tree, TSNode node,
                      const std::function<void(const std::vector<Capture>&)>& visit) const;

 private:
  struct Predicate {
    std::string op;
    std::vector<std::string> args;  // "@capture" or a literal
  };
  bool predicates_hold(const SyntaxTree& tree, const TSQueryMatch& match) const;

  std::string name_;
  TSQuery* query_;
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
};

// The queries shipped in extractor/queries/, compiled once.
const Query& definitions_query();
const Query& imports_query();
const Query& launches_query();
const Query& attributes_query();
const Query& calls_query();
const Query& identifiers_query();

}  // namespace tritonpile::extractor
