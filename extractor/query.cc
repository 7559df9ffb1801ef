#include "extractor/query.h"

#include <cstdio>
#include <cstdlib>
#include <regex>

namespace tritonpile::extractor {

namespace queries {
extern const std::string_view kDefinitions;
extern const std::string_view kImports;
extern const std::string_view kLaunches;
extern const std::string_view kClasses;
extern const std::string_view kDecorators;
}  // namespace queries

namespace {

TSQuery* compile(std::string_view name, std::string_view source) {
  uint32_t error_offset = 0;
  TSQueryError error_type = TSQueryErrorNone;
  TSQuery* query = ts_query_new(python_language(), source.data(), static_cast<uint32_t>(source.size()),
                                &error_offset, &error_type);
  if (!query) {
    std::fprintf(stderr, "query %.*s does not compile: error %d at byte %u\n", static_cast<int>(name.size()),
                 name.data(), static_cast<int>(error_type), error_offset);
    std::abort();
  }
  return query;
}

[[noreturn]] void abort_unrooted(std::string_view file, uint32_t byte) {
  std::fprintf(stderr, "query %.*s: the pattern at byte %u does not start at one named node kind\n",
               static_cast<int>(file.size()), file.data(), byte);
  std::abort();
}

}  // namespace

Query::Query(std::string_view name, std::string_view source) : query_(compile(name, source)) {
  for (uint32_t id = 0; id < ts_query_capture_count(query_); ++id) {
    uint32_t length = 0;
    const char* capture = ts_query_capture_name_for_id(query_, id, &length);
    capture_names_.emplace_back(capture, length);
  }
  read_predicates();
  for (uint32_t p = 0; p < ts_query_pattern_count(query_); ++p) {
    uint32_t start = ts_query_start_byte_for_pattern(query_, p);
    if (!ts_query_is_pattern_rooted(query_, p)) abort_unrooted(name, start);
    add_root_kind(name, source, start);
  }
}

void Query::read_predicates() {
  uint32_t patterns = ts_query_pattern_count(query_);
  predicates_.resize(patterns);
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query_, p, &count);
    Predicate current;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t length = 0;
      switch (steps[i].type) {
        case TSQueryPredicateStepTypeDone:
          predicates_[p].push_back(std::move(current));
          current = Predicate{};
          break;
        case TSQueryPredicateStepTypeCapture:
          current.args.push_back("@" + std::string(capture_names_[steps[i].value_id]));
          break;
        case TSQueryPredicateStepTypeString: {
          std::string value(ts_query_string_value_for_id(query_, steps[i].value_id, &length));
          if (current.op.empty()) {
            current.op = value;
          } else {
            current.args.push_back(value);
          }
          break;
        }
      }
    }
  }
}

Query::~Query() { ts_query_delete(query_); }

// Reads the kind a pattern starts with, `call` in `(call function: ...)`, from its text:
// tree-sitter tells whether a pattern has one root, not of what kind.
void Query::add_root_kind(std::string_view name, std::string_view source, uint32_t pattern) {
  size_t start = source.find_first_not_of("( \t\n", pattern);
  size_t end = source.find_first_of(" \t\n()@", start);
  if (start == std::string_view::npos || end == std::string_view::npos) abort_unrooted(name, pattern);
  std::string_view kind = source.substr(start, end - start);
  TSSymbol symbol = ts_language_symbol_for_name(python_language(), kind.data(), static_cast<uint32_t>(kind.size()), true);
  if (symbol == 0) abort_unrooted(name, pattern);
  if (root_kinds_.size() <= symbol) root_kinds_.resize(symbol + 1);
  root_kinds_[symbol] = true;
}

bool Query::predicates_hold(const SyntaxTree& tree, const TSQueryMatch& match) const {
  auto capture_text = [&](const std::string& arg) -> std::string_view {
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      if (arg.compare(1, std::string::npos, capture_names_[match.captures[i].index]) == 0) {
        return tree.text(match.captures[i].node);
      }
    }
    return {};
  };
  for (const auto& predicate : predicates_[match.pattern_index]) {
    if (predicate.args.empty() || predicate.args[0].empty() || predicate.args[0][0] != '@') continue;
    std::string_view subject = capture_text(predicate.args[0]);
    auto value = [&](size_t i) -> std::string {
      const std::string& arg = predicate.args[i];
      return arg[0] == '@' ? std::string(capture_text(arg)) : arg;
    };
    bool holds = true;
    if (predicate.op == "eq?" || predicate.op == "not-eq?") {
      holds = predicate.args.size() > 1 && subject == value(1);
      if (predicate.op == "not-eq?") holds = !holds;
    } else if (predicate.op == "any-of?") {
      holds = false;
      for (size_t i = 1; i < predicate.args.size(); ++i) holds = holds || subject == value(i);
    } else if (predicate.op == "match?") {
      holds = predicate.args.size() > 1 && std::regex_search(std::string(subject), std::regex(predicate.args[1]));
    }
    if (!holds) return false;
  }
  return true;
}

MatchList Query::run(const SyntaxTree& tree, std::span<const TSNode> roots) const {
  MatchList matches;
  TSQueryCursor* cursor = ts_query_cursor_new();
  uint32_t run_start = UINT32_MAX, run_end = 0;
  for (TSNode root : roots) {
    if (!contains(root_kinds_, ts_node_symbol(root))) continue;
    uint32_t start = ts_node_start_byte(root), end = ts_node_end_byte(root);
    // A root that starts where the last one run did lies on that one's leftmost path, as the
    // call f(x) does in f(x)(y): that run has started the patterns at it already.
    if (start == run_start && end <= run_end) continue;
    run_start = start;
    run_end = end;
    // The range is the root's first byte: the cursor starts patterns only at nodes that overlap
    // it and descends elsewhere only as deep as a started pattern needs.
    ts_query_cursor_set_byte_range(cursor, start, start + 1);
    ts_query_cursor_exec(cursor, query_, root);
    TSQueryMatch match;
    while (ts_query_cursor_next_match(cursor, &match)) {
      if (!predicates_[match.pattern_index].empty() && !predicates_hold(tree, match)) continue;
      matches.add(match, capture_names_);
    }
  }
  ts_query_cursor_delete(cursor);
  return matches;
}

void MatchList::add(const TSQueryMatch& match, const std::vector<std::string_view>& capture_names) {
  starts_.push_back(captures_.size());
  for (uint16_t i = 0; i < match.capture_count; ++i) {
    captures_.push_back({capture_names[match.captures[i].index], match.captures[i].node});
  }
}

const Query& extractor_query(QueryFile file) {
  static const Query queries[kQueryFileCount] = {
      {"definitions.scm", queries::kDefinitions}, {"imports.scm", queries::kImports},
      {"launches.scm", queries::kLaunches},       {"classes.scm", queries::kClasses},
      {"decorators.scm", queries::kDecorators}};
  return queries[file];
}

const KindSet& extractor_root_kinds() {
  static const KindSet kinds = [] {
    KindSet all;
    for (int file = 0; file < kQueryFileCount; ++file) {
      const KindSet& kinds = extractor_query(static_cast<QueryFile>(file)).root_kinds();
      if (all.size() < kinds.size()) all.resize(kinds.size());
      for (size_t symbol = 0; symbol < kinds.size(); ++symbol) all[symbol] = all[symbol] || kinds[symbol];
    }
    return all;
  }();
  return kinds;
}

}  // namespace tritonpile::extractor
