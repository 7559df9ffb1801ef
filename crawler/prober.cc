#include "crawler/prober.h"

#include <filesystem>

#include "crawler/crawler.h"
#include "crawler/git_reader.h"
#include "crawler/http_reader.h"

namespace tritonpile::crawler {

std::string probe_source(const SourceSpec& spec, const CrawlOptions& options) {
  if (spec.kind == "local") {
    return std::filesystem::is_directory(spec.local_path) ? "" : spec.local_path + " is not a directory";
  }
  if (spec.kind == "git") return probe_git(fetch_url(spec, options));
  return probe_http(fetch_url(spec, options), options.http);
}

}  // namespace tritonpile::crawler
