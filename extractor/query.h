// A tree-sitter query: one file of extractor/queries/*.scm. Every pattern is rooted at one
// named node kind, so a query runs only at nodes of those kinds (NodeIndex lists them) and
// looks no deeper below each than its patterns reach, instead of visiting every node of the
// file; and a query whose matches a file cannot use is not run at all.
// Debian's tree-sitter 0.20 C API leaves predicates to the caller: this class evaluates #eq?,
// #not-eq?, #any-of? and #match? so the .scm files mean what they say.
// Thread-safe once constructed.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extractor/syntax_tree.h"

namespace tritonpile::extractor {

struct Capture {
  std::string_view name;
  TSNode node;
};

// One match: a view of its captures.
class Match {
 public:
  Match(const Capture* begin, const Capture* end) : begin_(begin), end_(end) {}
  const Capture* begin() const { return begin_; }
  const Capture* end() const { return end_; }
  const Capture& front() const { return *begin_; }
  const Capture& operator[](size_t i) const { return begin_[i]; }
  size_t size() const { return static_cast<size_t>(end_ - begin_); }
  // The node captured under name; a null node when there is none.
  TSNode node(std::string_view name) const {
    for (const Capture& c : *this) {
      if (c.name == name) return c.node;
    }
    return TSNode{};
  }

 private:
  const Capture* begin_;
  const Capture* end_;
};

// The matches of one query, their captures stored flat (one allocation, not one a match).
class MatchList {
 public:
  // capture_names: the query's capture names, by capture id.
  void add(const TSQueryMatch& match, const std::vector<std::string_view>& capture_names);
  size_t size() const { return starts_.size(); }
  Match operator[](size_t i) const {
    size_t end = i + 1 < starts_.size() ? starts_[i + 1] : captures_.size();
    return Match(captures_.data() + starts_[i], captures_.data() + end);
  }
  class Iterator {
   public:
    Iterator(const MatchList* list, size_t i) : list_(list), i_(i) {}
    Match operator*() const { return (*list_)[i_]; }
    Iterator& operator++() { ++i_; return *this; }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    const MatchList* list_;
    size_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  std::vector<Capture> captures_;
  std::vector<size_t> starts_;
};

// Node kinds, as a table indexed by symbol.
using KindSet = std::vector<bool>;
inline bool contains(const KindSet& kinds, TSSymbol symbol) { return symbol < kinds.size() && kinds[symbol]; }

class Query {
 public:
  // Compiles one .scm file; a malformed file, or a pattern not rooted at one named node kind,
  // is a programming error and aborts naming the file.
  Query(std::string_view name, std::string_view source);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // The kinds of node the patterns are rooted at.
  const KindSet& root_kinds() const { return root_kinds_; }

  // Every match whose predicates hold rooted at one of roots, or at a node below one that
  // starts with it (f(x) in f(x)(y)), root by root. roots: nodes in document order; those not
  // of a root kind are passed over.
  MatchList run(const SyntaxTree& tree, std::span<const TSNode> roots) const;

 private:
  struct Predicate {
    std::string op;
    std::vector<std::string> args;  // "@capture" or a literal
  };
  bool predicates_hold(const SyntaxTree& tree, const TSQueryMatch& match) const;
  void read_predicates();
  void add_root_kind(std::string_view name, std::string_view source, uint32_t pattern);

  TSQuery* query_ = nullptr;
  std::vector<std::string_view> capture_names_;  // by capture id; tree-sitter owns the text
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
  KindSet root_kinds_;
};

// One per file in extractor/queries/.
enum QueryFile { kDefinitions, kImports, kLaunches, kClasses, kDecorators, kQueryFileCount };

// The file's query, compiled once.
const Query& extractor_query(QueryFile file);

// The kinds of node some query of extractor/queries/ is rooted at.
const KindSet& extractor_root_kinds();

}  // namespace tritonpile::extractor
