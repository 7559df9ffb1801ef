#include "storage/store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>

#include "storage/schema.h"

namespace tritonpile::storage {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

void insert_findings(SQLite::Database& db, const std::string& blob_id, const extractor::FileExtraction& x) {
  SQLite::Statement kernel(db, "INSERT INTO kernels VALUES (?, ?, ?, ?, ?)");
  for (const auto& k : x.kernels) {
    kernel.bind(1, blob_id), kernel.bind(2, k.qualname), kernel.bind(3, k.span.start_line);
    kernel.bind(4, k.span.end_line), kernel.bind(5, joined(k.tl_ops));
    kernel.exec(), kernel.reset();
  }
  SQLite::Statement launcher(db, "INSERT INTO launchers VALUES (?, ?, ?, ?, ?)");
  for (const auto& l : x.launchers) {
    launcher.bind(1, blob_id), launcher.bind(2, l.qualname), launcher.bind(3, l.span.start_line);
    launcher.bind(4, l.span.end_line), launcher.bind(5, joined(l.kernels));
    launcher.exec(), launcher.reset();
  }
  SQLite::Statement reference(db, "INSERT INTO reference_candidates VALUES (?, ?, ?, ?, ?)");
  for (const auto& r : x.references) {
    reference.bind(1, blob_id), reference.bind(2, r.qualname), reference.bind(3, r.span.start_line);
    reference.bind(4, r.span.end_line), reference.bind(5, r.why);
    reference.exec(), reference.reset();
  }
  SQLite::Statement test(db, "INSERT INTO repo_tests VALUES (?, ?, ?, ?, ?)");
  for (const auto& t : x.tests) {
    test.bind(1, blob_id), test.bind(2, t.qualname), test.bind(3, t.span.start_line);
    test.bind(4, t.span.end_line), test.bind(5, static_cast<int>(t.comparisons.size()));
    test.exec(), test.reset();
  }
}

Entry read_entry(SQLite::Statement& row) {
  Entry e;
  e.id = row.getColumn(0).getString();
  e.phase = row.getColumn(1).getInt();
  e.python_code = row.getColumn(2).getString();
  e.triton_code = row.getColumn(3).getString();
  e.test_code = row.getColumn(4).getString();
  e.code_hash = row.getColumn(5).getString();
  e.canonical_hash = row.getColumn(6).getString();
  e.metadata = nlohmann::json::parse(row.getColumn(7).getString());
  e.split = row.getColumn(8).getString();
  return e;
}

// An entry's split: the dataset split an export fixed for it (cluster grouping, the default),
// else the provisional one it was stored with.
const std::string kEntrySplit =
    "coalesce((SELECT a.split FROM split_assignments a WHERE a.grouping = 'cluster' AND a.entry_id = e.id), e.split)";
const std::string kEntryColumns =
    "e.id, e.phase, e.python_code, e.triton_code, e.test_code, e.code_hash, e.canonical_hash, e.metadata, " +
    kEntrySplit;

constexpr const char* kValidationColumns =
    "entry_id, code_hash, environment, status, failure_class, message, device, torch, triton, max_abs_err, "
    "max_rel_err, speedup, seconds";

Validation read_validation(SQLite::Statement& q) {
  Validation v;
  v.entry_id = q.getColumn(0).getString();
  v.code_hash = q.getColumn(1).getString();
  v.environment = q.getColumn(2).getString();
  v.status = q.getColumn(3).getString();
  v.failure_class = q.getColumn(4).getString();
  v.message = q.getColumn(5).getString();
  v.device = q.getColumn(6).getString();
  v.torch_version = q.getColumn(7).getString();
  v.triton_version = q.getColumn(8).getString();
  auto real = [&](int column) { return q.getColumn(column).isNull() ? -1.0 : q.getColumn(column).getDouble(); };
  v.max_abs_err = real(9);
  v.max_rel_err = real(10);
  v.speedup = real(11);
  v.seconds = q.getColumn(12).getDouble();
  return v;
}

}  // namespace

Store::Store(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, /*busy_timeout_ms=*/10000) {}

StatusOr<std::unique_ptr<Store>> Store::open(const std::string& path, int schema_version) {
  std::unique_ptr<Store> store;
  try {
    store.reset(new Store(path));
    store->db_.exec("PRAGMA journal_mode = WAL");
    store->db_.exec("PRAGMA foreign_keys = ON");
    store->db_.exec("PRAGMA synchronous = NORMAL");
  } catch (const std::exception& e) {
    return Status::error("cannot open database " + path + ": " + e.what());
  }
  if (auto status = migrate(store->db_, schema_version); !status) return status;
  return store;
}

int64_t Store::upsert_source(const SourceRecord& s) {
  SQLite::Statement q(db_,
                      "INSERT INTO sources (name, kind, url, license, phase) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, url = excluded.url, "
                      "license = excluded.license, phase = excluded.phase RETURNING id");
  q.bind(1, s.name), q.bind(2, s.kind), q.bind(3, s.url), q.bind(4, s.license), q.bind(5, s.phase);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

int64_t Store::begin_run() {
  db_.exec("UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running'");
  db_.exec("INSERT INTO crawl_runs (started_at) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  return db_.getLastInsertRowid();
}

void Store::finish_run(int64_t run_id, const std::string& status, int files_parsed) {
  SQLite::Statement q(db_,
                      "UPDATE crawl_runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
                      "status = ?, files_parsed = ? WHERE id = ?");
  q.bind(1, status), q.bind(2, files_parsed), q.bind(3, run_id);
  q.exec();
}

bool Store::has_extraction(const std::string& blob_id, int extractor_version) {
  SQLite::Statement q(db_, "SELECT 1 FROM blobs WHERE id = ? AND extraction IS NOT NULL AND extractor_version = ?");
  q.bind(1, blob_id), q.bind(2, extractor_version);
  return q.executeStep();
}

std::optional<std::string> Store::blob_content(const std::string& blob_id) {
  SQLite::Statement q(db_, "SELECT content FROM blobs WHERE id = ?");
  q.bind(1, blob_id);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

std::optional<extractor::FileExtraction> Store::extraction(const std::string& blob_id) {
  SQLite::Statement q(db_, "SELECT extraction FROM blobs WHERE id = ? AND extraction IS NOT NULL");
  q.bind(1, blob_id);
  if (!q.executeStep()) return std::nullopt;
  return nlohmann::json::parse(q.getColumn(0).getString()).get<extractor::FileExtraction>();
}

void Store::record_snapshot(int64_t run_id, int64_t source_id, const SnapshotRecord& record,
                            const std::vector<NewBlob>& new_blobs) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement blob(db_,
                         "INSERT INTO blobs (id, size, content, extraction, extractor_version) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT(id) DO UPDATE SET extraction = excluded.extraction, "
                         "extractor_version = excluded.extractor_version "
                         "WHERE blobs.extraction IS NULL OR blobs.extractor_version <> excluded.extractor_version");
  for (const auto& b : new_blobs) {
    blob.bind(1, b.id), blob.bind(2, static_cast<int64_t>(b.content.size())), blob.bind(3, b.content);
    // Findings quote source text: invalid UTF-8 is replaced rather than failing the source.
    blob.bind(4, nlohmann::json(*b.extraction).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    blob.bind(5, b.extractor_version);
    if (blob.exec() > 0) {
      for (const char* table : {"kernels", "launchers", "reference_candidates", "repo_tests"}) {
        SQLite::Statement stale(db_, std::string("DELETE FROM ") + table + " WHERE blob_id = ?");
        stale.bind(1, b.id);
        stale.exec();
      }
      insert_findings(db_, b.id, *b.extraction);
    }
    blob.reset();
  }
  SQLite::Statement snapshot(db_,
                             "INSERT INTO snapshots (run_id, source_id, commit_id, status, skipped, pipeline_version) "
                             "VALUES (?, ?, ?, 'ok', ?, ?) RETURNING id");
  snapshot.bind(1, run_id), snapshot.bind(2, source_id), snapshot.bind(3, record.commit);
  snapshot.bind(4, record.skipped_json), snapshot.bind(5, record.pipeline_version);
  snapshot.executeStep();
  int64_t snapshot_id = snapshot.getColumn(0).getInt64();
  snapshot.reset();
  SQLite::Statement file(db_, "INSERT INTO snapshot_files (snapshot_id, path, blob_id, provenance) VALUES (?, ?, ?, ?)");
  for (const auto& f : record.files) {
    file.bind(1, snapshot_id), file.bind(2, f.path), file.bind(3, f.blob_id), file.bind(4, f.provenance);
    file.exec(), file.reset();
  }
  SQLite::Statement submodule(db_, "INSERT INTO submodules VALUES (?, ?, ?)");
  for (const auto& [path, commit] : record.submodules) {
    submodule.bind(1, snapshot_id), submodule.bind(2, path), submodule.bind(3, commit);
    submodule.exec(), submodule.reset();
  }
  transaction.commit();
}

void Store::record_reused_snapshot(int64_t run_id, int64_t source_id, const LastSnapshot& previous) {
  SQLite::Statement q(db_,
                      "INSERT INTO snapshots (run_id, source_id, commit_id, status, pipeline_version, reused_from) "
                      "VALUES (?, ?, ?, 'ok', ?, ?)");
  q.bind(1, run_id), q.bind(2, source_id), q.bind(3, previous.commit), q.bind(4, previous.pipeline_version);
  q.bind(5, previous.id);
  q.exec();
}

std::optional<LastSnapshot> Store::last_snapshot(int64_t source_id) {
  SQLite::Statement q(db_,
                      "SELECT coalesce(reused_from, id), commit_id, pipeline_version FROM snapshots "
                      "WHERE source_id = ? AND status = 'ok' ORDER BY id DESC LIMIT 1");
  q.bind(1, source_id);
  if (!q.executeStep()) return std::nullopt;
  return LastSnapshot{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt()};
}

std::optional<HttpCacheRecord> Store::http_cache(int64_t source_id) {
  SQLite::Statement q(db_, "SELECT etag, last_modified, blob_id, path, provenance FROM http_cache WHERE source_id = ?");
  q.bind(1, source_id);
  if (!q.executeStep()) return std::nullopt;
  return HttpCacheRecord{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                         q.getColumn(3).getString(), q.getColumn(4).getString()};
}

void Store::put_http_cache(int64_t source_id, const HttpCacheRecord& r) {
  SQLite::Statement q(db_, "INSERT OR REPLACE INTO http_cache VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, source_id), q.bind(2, r.etag), q.bind(3, r.last_modified), q.bind(4, r.blob_id), q.bind(5, r.path);
  q.bind(6, r.provenance);
  q.exec();
}

void Store::record_failed_snapshot(int64_t run_id, int64_t source_id, const std::string& error) {
  SQLite::Statement q(db_, "INSERT INTO snapshots (run_id, source_id, status, error) VALUES (?, ?, 'failed', ?)");
  q.bind(1, run_id), q.bind(2, source_id), q.bind(3, error);
  q.exec();
}

int Store::replace_pairs(int64_t source_id, const std::vector<PairRecord>& pairs, std::vector<Entry> entries) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement pair(db_,
                         "INSERT INTO pairs (source_id, path, launcher, reference, reference_path, evidence, "
                         "location, confidence, recipe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT(source_id, path, launcher) DO UPDATE SET reference = excluded.reference, "
                         "reference_path = excluded.reference_path, evidence = excluded.evidence, "
                         "location = excluded.location, confidence = excluded.confidence, "
                         "recipe = excluded.recipe RETURNING id");
  SQLite::Statement entry(db_,
                          "INSERT INTO entries (id, pair_id, phase, python_code, triton_code, test_code, "
                          "code_hash, canonical_hash, metadata, split) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT(id) DO UPDATE SET retired = 0, pair_id = excluded.pair_id, "
                          "metadata = excluded.metadata");
  std::set<std::string> current;
  int inserted = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& p = pairs[i];
    pair.bind(1, source_id), pair.bind(2, p.path), pair.bind(3, p.launcher), pair.bind(4, p.reference);
    pair.bind(5, p.reference_path), pair.bind(6, p.evidence), pair.bind(7, p.location);
    pair.bind(8, p.confidence), pair.bind(9, p.recipe_json);
    pair.executeStep();
    int64_t pair_id = pair.getColumn(0).getInt64();
    pair.reset();
    const Entry& e = entries[i];
    bool existed = this->entry(e.id).has_value();
    entry.bind(1, e.id), entry.bind(2, pair_id), entry.bind(3, e.phase), entry.bind(4, e.python_code);
    entry.bind(5, e.triton_code), entry.bind(6, e.test_code), entry.bind(7, e.code_hash);
    entry.bind(8, e.canonical_hash), entry.bind(9, e.metadata.dump()), entry.bind(10, e.split);
    entry.exec(), entry.reset();
    inserted += !existed;
    current.insert(e.id);
  }
  SQLite::Statement old(db_,
                        "SELECT e.id FROM entries e JOIN pairs p ON p.id = e.pair_id "
                        "WHERE p.source_id = ? AND e.retired = 0");
  old.bind(1, source_id);
  std::vector<std::string> retire;
  while (old.executeStep()) {
    std::string id = old.getColumn(0).getString();
    if (!current.count(id)) retire.push_back(id);
  }
  SQLite::Statement retire_one(db_, "UPDATE entries SET retired = 1 WHERE id = ?");
  for (const auto& id : retire) retire_one.bind(1, id), retire_one.exec(), retire_one.reset();
  transaction.commit();
  return inserted;
}

int Store::add_entries(const std::vector<Entry>& entries) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(db_,
                           "INSERT INTO entries (id, pair_id, phase, python_code, triton_code, test_code, code_hash, "
                           "canonical_hash, metadata, split) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT(id) DO NOTHING");
  int added = 0;
  for (const auto& e : entries) {
    insert.bind(1, e.id), insert.bind(2, e.phase), insert.bind(3, e.python_code), insert.bind(4, e.triton_code);
    insert.bind(5, e.test_code), insert.bind(6, e.code_hash), insert.bind(7, e.canonical_hash);
    insert.bind(8, e.metadata.dump()), insert.bind(9, e.split);
    added += insert.exec();
    insert.reset();
  }
  transaction.commit();
  return added;
}

std::optional<std::string> Store::split_of(const std::string& canonical_hash) {
  SQLite::Statement q(db_, "SELECT split FROM entries WHERE canonical_hash = ? ORDER BY rowid LIMIT 1");
  q.bind(1, canonical_hash);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

std::unordered_map<std::string, AssignedSplit> Store::split_assignments(SplitGrouping grouping) {
  SQLite::Statement q(db_, "SELECT entry_id, split, seq FROM split_assignments WHERE grouping = ?");
  q.bind(1, grouping_name(grouping));
  std::unordered_map<std::string, AssignedSplit> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = {q.getColumn(1).getString(), q.getColumn(2).getInt64()};
  return out;
}

void Store::add_split_assignments(SplitGrouping grouping, const std::vector<std::pair<std::string, std::string>>& splits) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(db_,
                           "INSERT INTO split_assignments (grouping, entry_id, split) VALUES (?, ?, ?) "
                           "ON CONFLICT(grouping, entry_id) DO NOTHING");
  for (const auto& [id, split] : splits) {
    insert.bind(1, grouping_name(grouping)), insert.bind(2, id), insert.bind(3, split);
    insert.exec(), insert.reset();
  }
  transaction.commit();
}

std::map<std::string, int64_t> Store::source_order() {
  SQLite::Statement q(db_, "SELECT name, id FROM sources");
  std::map<std::string, int64_t> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
  return out;
}

std::vector<Entry> Store::entries(const EntryFilter& filter) {
  std::string sql = "SELECT " + kEntryColumns +
                    ", (SELECT status FROM validations v WHERE v.entry_id = e.id ORDER BY v.id DESC LIMIT 1)"
                    " FROM entries e WHERE e.retired = 0";
  if (!filter.split.empty()) sql += " AND " + kEntrySplit + " = :split";
  if (filter.phase) sql += " AND e.phase = :phase";
  sql += " ORDER BY e.id";
  SQLite::Statement q(db_, sql);
  if (!filter.split.empty()) q.bind(":split", filter.split);
  if (filter.phase) q.bind(":phase", filter.phase);
  std::vector<Entry> out;
  while (q.executeStep()) {
    auto status = q.getColumn(9);
    if (!filter.status.empty() && (status.isNull() || status.getString() != filter.status)) continue;
    if (!filter.min_status.empty() &&
        validation_status_rank(status.isNull() ? "" : status.getString()) > validation_status_rank(filter.min_status)) {
      continue;
    }
    out.push_back(read_entry(q));
  }
  return out;
}

std::optional<Entry> Store::entry(const std::string& id) {
  SQLite::Statement q(db_, "SELECT " + kEntryColumns + " FROM entries e WHERE e.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_entry(q);
}

std::optional<Validation> Store::latest_validation(const std::string& entry_id) {
  SQLite::Statement q(db_, std::string("SELECT ") + kValidationColumns +
                               " FROM validations WHERE entry_id = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return read_validation(q);
}

std::unordered_map<std::string, Validation> Store::latest_validations() {
  SQLite::Statement q(db_, std::string("SELECT ") + kValidationColumns +
                               " FROM validations WHERE id IN (SELECT max(id) FROM validations GROUP BY entry_id)");
  std::unordered_map<std::string, Validation> out;
  while (q.executeStep()) {
    Validation v = read_validation(q);
    std::string id = v.entry_id;
    out.emplace(std::move(id), std::move(v));
  }
  return out;
}

void Store::add_validation(const Validation& v) {
  SQLite::Statement q(db_,
                      "INSERT INTO validations (entry_id, code_hash, environment, status, failure_class, message, "
                      "device, torch, triton, max_abs_err, max_rel_err, speedup, seconds, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  q.bind(1, v.entry_id), q.bind(2, v.code_hash), q.bind(3, v.environment), q.bind(4, v.status);
  q.bind(5, v.failure_class), q.bind(6, v.message), q.bind(7, v.device), q.bind(8, v.torch_version);
  q.bind(9, v.triton_version);
  auto bind_measured = [&](int index, double value) {
    if (value < 0) {
      q.bind(index);
    } else {
      q.bind(index, value);
    }
  };
  bind_measured(10, v.max_abs_err), bind_measured(11, v.max_rel_err), bind_measured(12, v.speedup);
  q.bind(13, v.seconds);
  q.exec();
}

Stats Store::stats() {
  Stats s;
  auto count = [&](const char* sql) { return db_.execAndGet(sql).getInt(); };
  s.sources = count("SELECT count(*) FROM sources");
  s.runs = count("SELECT count(*) FROM crawl_runs");
  s.blobs = count("SELECT count(*) FROM blobs");
  s.kernels = count("SELECT count(*) FROM kernels");
  s.launchers = count("SELECT count(*) FROM launchers");
  s.references = count("SELECT count(*) FROM reference_candidates");
  s.tests = count("SELECT count(*) FROM repo_tests");
  s.pairs = count("SELECT count(*) FROM pairs");
  s.entries = count("SELECT count(*) FROM entries WHERE retired = 0");
  SQLite::Statement q(db_,
                      "SELECT coalesce((SELECT status FROM validations v WHERE v.entry_id = e.id "
                      "ORDER BY v.id DESC LIMIT 1), 'not validated') AS status, count(*) "
                      "FROM entries e WHERE e.retired = 0 GROUP BY status ORDER BY status");
  while (q.executeStep()) s.by_status.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt());
  return s;
}

}  // namespace tritonpile::storage
