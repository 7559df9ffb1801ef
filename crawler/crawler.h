// Turns one SourceSpec into a Snapshot. Local directories are read as plain files, or through
// libgit2 at the resolved ref when the directory is a git repository; git URLs go through a
// bare mirror in the cache directory (cloned once, fetched after).
#pragma once

#include "common/status.h"
#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

StatusOr<Snapshot> crawl_source(const SourceSpec& spec, const CrawlOptions& options);

// True for a path the source wants: a Python file that passes its include/exclude globs.
bool wanted_path(const SourceSpec& spec, const std::string& path);

}  // namespace tritonpile::crawler
