// The stages wired together: what `crawl`, `validate`, `export` and `run` do. Each function
// reports progress through log lines and returns counts; failures of one source or entry are
// counted, never fatal to the rest.
#pragma once

#include <string>
#include <vector>

#include "crawler/snapshot.h"
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
    bool unchanged = false;  // same commit as last time: nothing listed, parsed or paired
    double seconds = 0;
    int files = 0, parsed = 0, kernels = 0, launchers = 0, pairs = 0, new_entries = 0;
    crawler::SkipCounts skipped;
    std::vector<std::string> unpaired;  // "path::launcher: reason"
  };
  std::vector<PerSource> sources;
  int files_parsed = 0;
  int failed_sources = 0;
};

struct CrawlOptions {
  std::string db_path;
  std::string cache_dir;
  // Selectors: sources named here or carrying one of these tags are crawled even when
  // disabled; with neither, every enabled source is.
  std::vector<std::string> only_sources;
  std::vector<std::string> only_tags;
  int jobs = 1;                           // sources crawled in parallel
  int sources_in_run = 0;                 // set by crawl(): how many sources this run has
  bool progress = true;                   // a live status line when stderr is a terminal
  crawler::HttpOptions http;
};

// Identifies what extraction, matching and test synthesis produce; a source whose commit did
// not move is reused only when this is unchanged too.
int pipeline_version();

// Crawls the selected sources, jobs at a time, each worker with its own connection.
StatusOr<CrawlSummary> crawl(const crawler::SourcesFile& sources, const CrawlOptions& options);

struct ValidateSummary {
  int validated = 0, up_to_date = 0;
  std::map<std::string, int> by_status;  // this run's outcomes
};

// Which entries a validate command takes: all, or shard i of n (by a hash of the id, so a
// batch scheduler's array tasks split one run without talking to each other).
struct Selection {
  bool force = false;  // also entries already validated in this environment
  int shard_index = 0;
  int shard_count = 1;
};

StatusOr<ValidateSummary> validate(storage::Store& store, const validator::RunnerOptions& options,
                                   const Selection& selection);

// Writes the selected entries and a Python runner (python/tritonpile_bundle.py) into dir, for a
// GPU host without the C++ build. Returns how many entries it holds.
StatusOr<int> write_bundle(storage::Store& store, const std::string& dir, const std::string& python_dir,
                           const Selection& selection);

// Stores the results a bundle's runner wrote; results for code that has changed since are
// skipped and counted.
struct IngestSummary {
  int stored = 0, stale = 0, unknown = 0;
};
StatusOr<IngestSummary> ingest(storage::Store& store, const std::string& results_path);

}  // namespace tritonpile::cli
