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
extern const std::string_view kNodes;
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

}  // namespace

Query::Query(const std::vector<std::pair<std::string_view, std::string_view>>& files) {
  std::string combined;
  for (size_t f = 0; f < files.size(); ++f) {
    TSQuery* alone = compile(files[f].first, files[f].second);  // names the file if it is malformed
    uint32_t patterns = ts_query_pattern_count(alone);
    ts_query_delete(alone);
    file_of_pattern_.insert(file_of_pattern_.end(), patterns, static_cast<int>(f));
    combined += std::string(files[f].second) + "\n";
  }
  query_ = compile("extractor/queries", combined);
  for (uint32_t id = 0; id < ts_query_capture_count(query_); ++id) {
    uint32_t length = 0;
    const char* name = ts_query_capture_name_for_id(query_, id, &length);
    capture_names_.emplace_back(name, length);
  }
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

Matches Query::run(const SyntaxTree& tree, TSNode node) const {
  Matches matches;
  TSQueryCursor* cursor = ts_query_cursor_new();
  ts_query_cursor_exec(cursor, query_, node);
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor, &match)) {
    if (!predicates_[match.pattern_index].empty() && !predicates_hold(tree, match)) continue;
    matches.by_file[file_of_pattern_[match.pattern_index]].add(match, capture_names_);
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

const Query& extractor_queries() {
  // Order follows the QueryFile enum.
  static const Query query({{"definitions.scm", queries::kDefinitions},
                            {"imports.scm", queries::kImports},
                            {"launches.scm", queries::kLaunches},
                            {"classes.scm", queries::kClasses},
                            {"decorators.scm", queries::kDecorators},
                            {"nodes.scm", queries::kNodes}});
  return query;
}

}  // namespace tritonpile::extractor
