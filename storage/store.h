// The one place that touches SQLite. A Store is a connection to a tritonpile database in WAL
// mode, migrated on open. Every write that belongs together is one transaction, so a run
// killed at any point leaves the database consistent and loses nothing already committed.
// Not thread-safe: use one Store per thread.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "extractor/extraction.h"
#include "storage/entry.h"
#include "storage/splitter.h"

namespace tritonpile::storage {

struct SourceRecord {
  std::string name;
  std::string kind;
  std::string url;
  std::string license;
  int phase = 3;
};

struct SnapshotFile {
  std::string path;
  std::string blob_id;
  std::string provenance;
};

struct SnapshotRecord {
  std::string commit;
  int pipeline_version = 0;
  std::vector<SnapshotFile> files;
  std::vector<std::pair<std::string, std::string>> submodules;  // (path, commit)
  std::string skipped_json = "{}";
};

// The last successful snapshot of a source, to decide whether a crawl may reuse it.
struct LastSnapshot {
  int64_t id = 0;
  std::string commit;
  int pipeline_version = 0;
};

struct HttpCacheRecord {
  std::string etag, last_modified, blob_id, path, provenance;
};

struct PairRecord {
  std::string path;
  std::string launcher;
  std::string reference;
  std::string reference_path;
  std::string evidence;
  std::string location;
  double confidence = 0;
  std::string recipe_json;
};

struct EntryFilter {
  std::string split;   // empty: all
  std::string status;  // empty: any; else the latest validation's status
  // Empty: any; else the latest validation's status ranks at least this high
  // (validation_status_rank: passed > failed > error > skipped = not validated).
  std::string min_status;
  int phase = 0;       // 0: all
  // SPDX ids an exported entry's source may carry; empty: any. A source without a licence
  // never matches a list.
  std::vector<std::string> licenses;
};

struct Stats {
  int sources = 0, runs = 0, blobs = 0, kernels = 0, launchers = 0, references = 0, tests = 0, pairs = 0,
      entries = 0;
  std::vector<std::pair<std::string, int>> by_status;
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database at path.
  static StatusOr<std::unique_ptr<Store>> open(const std::string& path, int schema_version = -1);

  int64_t upsert_source(const SourceRecord& source);
  // Starts a crawl run; runs left 'running' by a killed process are marked 'interrupted'.
  int64_t begin_run();
  void finish_run(int64_t run_id, const std::string& status, int files_parsed);

  // True when the blob's findings were made by this extractor version.
  bool has_extraction(const std::string& blob_id, int extractor_version);
  std::optional<std::string> blob_content(const std::string& blob_id);
  std::optional<extractor::FileExtraction> extraction(const std::string& blob_id);

  // One transaction per source: its snapshot row, new blobs with their extractions.
  struct NewBlob {
    std::string id;
    std::string content;
    const extractor::FileExtraction* extraction;
    int extractor_version;
  };
  void record_snapshot(int64_t run_id, int64_t source_id, const SnapshotRecord& snapshot,
                       const std::vector<NewBlob>& new_blobs);
  // The source's commit did not move: the run points at the snapshot it saw before.
  void record_reused_snapshot(int64_t run_id, int64_t source_id, const LastSnapshot& previous);
  void record_failed_snapshot(int64_t run_id, int64_t source_id, const std::string& error);
  std::optional<LastSnapshot> last_snapshot(int64_t source_id);

  std::optional<HttpCacheRecord> http_cache(int64_t source_id);
  void put_http_cache(int64_t source_id, const HttpCacheRecord& record);

  // Replaces the source's pairs and entries with these, in one transaction: entries of pairs
  // no longer found (or whose code changed) are retired, never deleted. Returns new entries.
  int replace_pairs(int64_t source_id, const std::vector<PairRecord>& pairs, std::vector<Entry> entries);

  // Stores entries that belong to no pair (template-generated ones); an id already stored is
  // left as it is. Returns how many were new. One transaction.
  int add_entries(const std::vector<Entry>& entries);

  // The provisional split of an entry with this canonical hash, if any: the one an entry gets
  // when stored, before an export fixes its dataset split (split_assignments).
  std::optional<std::string> split_of(const std::string& canonical_hash);

  // The dataset splits exports have fixed for this grouping: entry id -> assignment.
  std::unordered_map<std::string, AssignedSplit> split_assignments(SplitGrouping grouping);
  // Fixes these (entry id, split) for good, in this order, in one transaction; an entry that
  // already has an assignment for the grouping keeps it.
  void add_split_assignments(SplitGrouping grouping, const std::vector<std::pair<std::string, std::string>>& splits);

  // Source name -> its row id: the order sources were first stored in (sources.json order).
  std::map<std::string, int64_t> source_order();

  std::vector<Entry> entries(const EntryFilter& filter = {});
  std::optional<Entry> entry(const std::string& id);
  std::optional<Validation> latest_validation(const std::string& entry_id);
  // The latest validation of every entry that has one, by entry id.
  std::unordered_map<std::string, Validation> latest_validations();
  void add_validation(const Validation& validation);
  Stats stats();

  SQLite::Database& database() { return db_; }

 private:
  explicit Store(const std::string& path);
  SQLite::Database db_;
};

}  // namespace tritonpile::storage
