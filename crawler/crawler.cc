#include "crawler/crawler.h"

#include <filesystem>

#include "crawler/git_reader.h"
#include "crawler/http_reader.h"
#include "crawler/local_dir_reader.h"
#include "crawler/path_glob.h"

namespace tritonpile::crawler {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool yaml(const std::string& path) { return ends_with(path, ".yaml") || ends_with(path, ".yml"); }

}  // namespace

bool wanted_path(const SourceSpec& spec, const std::string& path) {
  bool python = path.size() > 3 && ends_with(path, ".py");
  if (!python && !yaml(path)) return false;
  bool included = python && spec.include.empty();
  for (const auto& glob : spec.include) {
    // A YAML file only by a glob that asks for YAML: configuration the code reads at import.
    included = included || ((python || yaml(glob)) && glob_match(glob, path));
  }
  if (!included) return false;
  for (const auto& glob : spec.exclude) {
    if (glob_match(glob, path)) return false;
  }
  return true;
}

std::string fetch_url(const SourceSpec& spec, const CrawlOptions& options) {
  return rewrite_url(spec.url, options.url_rewrites);
}

StatusOr<Snapshot> crawl_source(const SourceSpec& spec, const CrawlOptions& options) {
  StatusOr<Snapshot> result = Status::error("unreachable");
  if (spec.kind == "local") {
    if (!std::filesystem::is_directory(spec.local_path)) {
      return Status::error("source '" + spec.name + "': " + spec.local_path + " is not a directory");
    }
    result = is_git_repository(spec.local_path) ? read_git_repository(spec, spec.local_path, options)
                                         : read_local_directory(spec, options);
  } else if (spec.kind == "git") {
    auto mirror = update_mirror(spec, fetch_url(spec, options), options);
    if (!mirror) return mirror.status().with_context("source '" + spec.name + "'");
    result = read_git_repository(spec, *mirror, options);
  } else {
    result = read_http_source(spec, fetch_url(spec, options), options);
  }
  if (!result) return result.status().with_context("source '" + spec.name + "'");
  result->source = spec.name;
  return result;
}

}  // namespace tritonpile::crawler
