// Turns one SourceSpec into a Snapshot. Local directories are read as plain files, or through
// libgit2 at the resolved ref when the directory is a git repository; git URLs go through a
// bare mirror in the cache directory (cloned once, fetched after); http sources are single
// files fetched with libcurl. Thread-safe: sources may be crawled in parallel.
#pragma once

#include "common/status.h"
#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

StatusOr<Snapshot> crawl_source(const SourceSpec& spec, const CrawlOptions& options);

// The URL a source is fetched from: its url after the configured rewrites.
std::string fetch_url(const SourceSpec& spec, const CrawlOptions& options);

// True for a path the source wants: a Python file that passes its include/exclude globs, or a
// YAML file an include glob asks for by its extension (configuration code reads at import).
bool wanted_path(const SourceSpec& spec, const std::string& path);

}  // namespace tritonpile::crawler
