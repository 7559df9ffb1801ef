// Git access through libgit2: bare mirrors of remote sources, and reading the wanted blobs of
// a commit straight from the object database (no work tree, so links cannot escape).
#pragma once

#include <string>

#include "common/status.h"
#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

// True when path is a git repository (its root, or a bare repository).
bool is_git_repository(const std::string& path);

// Clones spec.url as a bare mirror under cache_dir the first time, fetches it after.
// Returns the mirror's path.
StatusOr<std::string> update_mirror(const SourceSpec& spec, const std::string& cache_dir);

// Resolves spec.ref (default HEAD) in the repository at repo_path and lists its wanted files.
StatusOr<Snapshot> read_git_repository(const SourceSpec& spec, const std::string& repo_path,
                                       const CrawlOptions& options);

}  // namespace tritonpile::crawler
