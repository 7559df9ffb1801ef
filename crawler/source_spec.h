// What sources.json says about one source, and loading the whole file. A source is where
// Triton code comes from: a git repository, a local directory, or a file over HTTP.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace tritonpile::crawler {

struct SourceSpec {
  std::string name;      // unique, used in entry ids
  std::string kind;      // "git" | "local" | "http"
  std::string url;       // as written in sources.json
  std::string local_path;  // kind "local": url resolved against the file's directory
  std::string ref;       // empty: the remote's HEAD
  std::vector<std::string> include;  // path globs; empty: every *.py file
  std::vector<std::string> exclude;
  std::string license;   // SPDX id; empty: unknown
  std::vector<std::string> tags;
  int phase = 3;         // 1 curated, 2 template, 3 crawled
  bool enabled = true;
};

// git's url.<base>.insteadOf: a URL starting with instead_of is fetched from base + the rest,
// so a whole list of public URLs can be crawled from a mirror host. Provenance keeps the
// URL as written.
struct UrlRewrite {
  std::string base;
  std::string instead_of;
};

struct SourcesFile {
  std::string path;
  int version = 1;
  std::vector<SourceSpec> sources;
  std::vector<UrlRewrite> url_rewrites;
};

// The URL to fetch for url: the longest matching instead_of prefix is replaced by its base.
std::string rewrite_url(const std::string& url, const std::vector<UrlRewrite>& rewrites);

// Parses and checks sources.json. Errors name the file and, for syntax errors, line and column.
StatusOr<SourcesFile> load_sources_file(const std::string& path);

}  // namespace tritonpile::crawler
