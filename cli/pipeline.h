// The stages wired together: what `crawl`, `validate`, `export` and `run` do. Each function
// reports progress through log lines and returns counts; failures of one source or entry are
// counted, never fatal to the rest.
#pragma once

#include <string>
#include <vector>

#include "crawler/source_spec.h"
#include "storage/exporter.h"
#include "storage/store.h"
#include "validator/runner.h"

namespace tritonpile::cli {

struct CrawlSummary {
  struct PerSource {
    std::string name;
    std::string status;  // ok | failed
    std::string error;
    std::string commit;
    int files = 0, parsed = 0, kernels = 0, launchers = 0, pairs = 0, new_entries = 0;
    std::vector<std::string> unpaired;  // "path::launcher: reason"
  };
  std::vector<PerSource> sources;
  int files_parsed = 0;
  int failed_sources = 0;
};

struct CrawlOptions {
  std::string cache_dir;
  std::vector<std::string> only_sources;  // empty: every enabled source
};

CrawlSummary crawl(const crawler::SourcesFile& sources, storage::Store& store, const CrawlOptions& options);

struct ValidateSummary {
  int validated = 0, up_to_date = 0;
  std::map<std::string, int> by_status;  // this run's outcomes
};

StatusOr<ValidateSummary> validate(storage::Store& store, const validator::RunnerOptions& options, bool force);

}  // namespace tritonpile::cli
