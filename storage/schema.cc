#include "storage/schema.h"

#include <SQLiteCpp/Transaction.h>

#include <vector>

namespace tritonpile::storage {
namespace {

const std::vector<const char*> kMigrations = {
    // 1: the pipeline's tables.
    R"sql(
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  license TEXT NOT NULL DEFAULT '',
  phase INTEGER NOT NULL DEFAULT 3
);
CREATE TABLE crawl_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL DEFAULT 'running',
  files_parsed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  commit_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (run_id, source_id)
);
CREATE TABLE blobs (
  id TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  content TEXT NOT NULL,
  extraction TEXT
);
CREATE TABLE snapshot_files (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
  path TEXT NOT NULL,
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  PRIMARY KEY (snapshot_id, path)
);
CREATE TABLE kernels (
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  qualname TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  tl_ops TEXT NOT NULL
);
CREATE TABLE launchers (
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  qualname TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  kernels TEXT NOT NULL
);
CREATE TABLE reference_candidates (
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  qualname TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  why TEXT NOT NULL
);
CREATE TABLE repo_tests (
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  qualname TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  comparisons INTEGER NOT NULL
);
CREATE TABLE pairs (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  path TEXT NOT NULL,
  launcher TEXT NOT NULL,
  reference TEXT NOT NULL,
  reference_path TEXT NOT NULL,
  evidence TEXT NOT NULL,
  location TEXT NOT NULL,
  confidence REAL NOT NULL,
  recipe TEXT NOT NULL,
  UNIQUE (source_id, path, launcher)
);
CREATE TABLE entries (
  id TEXT PRIMARY KEY,
  pair_id INTEGER REFERENCES pairs(id),
  phase INTEGER NOT NULL,
  python_code TEXT NOT NULL,
  triton_code TEXT NOT NULL,
  test_code TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  canonical_hash TEXT NOT NULL,
  metadata TEXT NOT NULL,
  split TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE validations (
  id INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES entries(id),
  code_hash TEXT NOT NULL,
  environment TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_class TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  device TEXT NOT NULL DEFAULT '',
  torch TEXT NOT NULL DEFAULT '',
  triton TEXT NOT NULL DEFAULT '',
  max_abs_err REAL,
  max_rel_err REAL,
  speedup REAL,
  seconds REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
)sql",
    // 2: lookups the pipeline makes on every run, and the skip counts of a snapshot.
    R"sql(
CREATE INDEX kernels_by_blob ON kernels(blob_id);
CREATE INDEX launchers_by_blob ON launchers(blob_id);
CREATE INDEX references_by_blob ON reference_candidates(blob_id);
CREATE INDEX tests_by_blob ON repo_tests(blob_id);
CREATE INDEX entries_by_pair ON entries(pair_id);
CREATE INDEX validations_by_entry ON validations(entry_id, id);
ALTER TABLE snapshots ADD COLUMN skipped TEXT NOT NULL DEFAULT '{}';
)sql",
    // 3: incremental crawling: extractor versions on cached findings, snapshots reused when
    // the commit did not move, HTTP validators, notebook provenance and submodules.
    R"sql(
ALTER TABLE blobs ADD COLUMN extractor_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshots ADD COLUMN pipeline_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshots ADD COLUMN reused_from INTEGER REFERENCES snapshots(id);
ALTER TABLE snapshot_files ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
CREATE TABLE submodules (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
  path TEXT NOT NULL,
  commit_id TEXT NOT NULL
);
CREATE TABLE http_cache (
  source_id INTEGER PRIMARY KEY REFERENCES sources(id),
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  blob_id TEXT NOT NULL,
  path TEXT NOT NULL,
  provenance TEXT NOT NULL
);
CREATE INDEX snapshots_by_source ON snapshots(source_id, id);
)sql",
    // 4: the dataset split of each entry, fixed the first time an export assigns it, one
    // assignment per grouping (cluster | source). seq orders assignments: a cluster's split is
    // the one its earliest-assigned member holds.
    R"sql(
CREATE TABLE split_assignments (
  seq INTEGER PRIMARY KEY,
  grouping TEXT NOT NULL,
  entry_id TEXT NOT NULL REFERENCES entries(id),
  split TEXT NOT NULL,
  UNIQUE (grouping, entry_id)
);
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Status migrate(SQLite::Database& db, int target_version) {
  if (target_version < 0) target_version = latest_schema_version();
  try {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest_schema_version()) {
      return Status::error("database " + db.getFilename() + " has schema version " + std::to_string(version) +
                           ", newer than this tritonpile understands (" +
                           std::to_string(latest_schema_version()) + "); use a newer tritonpile");
    }
    for (; version < target_version; ++version) {
      SQLite::Transaction transaction(db);
      db.exec(kMigrations[version]);
      db.exec("PRAGMA user_version = " + std::to_string(version + 1));
      transaction.commit();
    }
  } catch (const std::exception& e) {
    return Status::error("migrating " + db.getFilename() + ": " + e.what());
  }
  return Status::ok();
}

}  // namespace tritonpile::storage
