// The tree-sitter queries of extractor/queries/*.scm, compiled into one query so a single
// pass over a file's tree finds every pattern; each match is filed under the .scm file its
// pattern came from. Debian's tree-sitter 0.20 C API leaves predicates to the caller: this
// class evaluates #eq?, #not-eq?, #any-of? and #match? so the .scm files mean what they say.
// Thread-safe once constructed.
#pragma once

#include <array>
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

 private:
  const Capture* begin_;
  const Capture* end_;
};

// The matches of one .scm file, their captures stored flat (one allocation, not one a match).
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

// One per file in extractor/queries/.
enum QueryFile { kDefinitions, kImports, kLaunches, kClasses, kDecorators, kNodes, kQueryFileCount };

struct Matches {
  std::array<MatchList, kQueryFileCount> by_file;
  const MatchList& operator[](QueryFile file) const { return by_file[file]; }
};

class Query {
 public:
  // Compiles the given (name, source) files into one query; a malformed file is a
  // programming error and aborts naming it and the offending offset.
  explicit Query(const std::vector<std::pair<std::string_view, std::string_view>>& files);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Every match under node whose predicates hold, in the order tree-sitter reports them.
  Matches run(const SyntaxTree& tree, TSNode node) const;

 private:
  struct Predicate {
    std::string op;
    std::vector<std::string> args;  // "@capture" or a literal
  };
  bool predicates_hold(const SyntaxTree& tree, const TSQueryMatch& match) const;

  TSQuery* query_ = nullptr;
  std::vector<std::string_view> capture_names_;  // by capture id; tree-sitter owns the text
  std::vector<int> file_of_pattern_;
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
};

// All of extractor/queries/, compiled once.
const Query& extractor_queries();

}  // namespace tritonpile::extractor
