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

// Clones url as a bare mirror of spec under options.cache_dir the first time, fetches it after
// (pruning refs the remote deleted, taking force-pushes). Returns the mirror's path.
StatusOr<std::string> update_mirror(const SourceSpec& spec, const std::string& url, const CrawlOptions& options);

// Asks a git remote for its refs without fetching anything; "" when it answers.
std::string probe_git(const std::string& url);

// Resolves spec.ref (default HEAD) in the repository at repo_path and lists its wanted files;
// when the commit is options.unchanged_commit, returns it unlisted.
StatusOr<Snapshot> read_git_repository(const SourceSpec& spec, const std::string& repo_path,
                                       const CrawlOptions& options);

}  // namespace tritonpile::crawler
