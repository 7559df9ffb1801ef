// Reads a plain directory (not a git repository) as a snapshot of its wanted files.
#pragma once

#include "common/status.h"
#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

StatusOr<Snapshot> read_local_directory(const SourceSpec& spec, const CrawlOptions& options);

}  // namespace tritonpile::crawler
