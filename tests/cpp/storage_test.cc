#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/exporter.h"
#include "storage/schema.h"
#include "storage/splitter.h"
#include "storage/store.h"
#include "tests/cpp/test_support.h"

namespace tritonpile::storage {
namespace {

using tritonpile::testing::TempDir;

Entry sample_entry(const std::string& id, const std::string& canonical) {
  Entry e;
  e.id = id;
  e.phase = 1;
  e.python_code = "def f_reference(x):\n    return x\n";
  e.triton_code = "def f(x):\n    return x\n";
  e.test_code = "def test(): pass\n";
  e.code_hash = "c-" + id;
  e.canonical_hash = canonical;
  e.split = assign_split(canonical);
  e.metadata = {{"operation_type", "elementwise"}};
  return e;
}

PairRecord sample_pair(const std::string& launcher) {
  return {"ops.py", launcher, launcher + "_reference", "ops.py", "naming", "ops.py:1", 0.7, "{}"};
}

int user_version(const std::string& path) {
  SQLite::Database db(path);
  return db.execAndGet("PRAGMA user_version").getInt();
}

TEST(Storage, NewDatabaseIsAtLatestSchemaInWalMode) {
  TempDir dir;
  auto store = Store::open(dir.str() + "/t.db");
  ASSERT_TRUE(store) << store.status().message();
  EXPECT_EQ((*store)->database().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(user_version(dir.str() + "/t.db"), latest_schema_version());
}

TEST(Storage, OlderSchemaIsMigratedKeepingItsData) {
  TempDir dir;
  const std::string path = dir.str() + "/old.db";
  {
    auto v1 = Store::open(path, /*schema_version=*/1);
    ASSERT_TRUE(v1) << v1.status().message();
    int64_t source = (*v1)->upsert_source({"s", "local", "s", "MIT", 1});
    // Version 1 has no snapshots.skipped column: write through plain SQL as a v1 tool did.
    (*v1)->database().exec("INSERT INTO crawl_runs (started_at) VALUES ('2026-01-01')");
    (*v1)->database().exec("INSERT INTO snapshots (run_id, source_id, commit_id, status) VALUES (1, " +
                           std::to_string(source) + ", 'abc', 'ok')");
    EXPECT_EQ(user_version(path), 1);
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.status().message();
  EXPECT_EQ(user_version(path), latest_schema_version());
  auto& db = (*store)->database();
  EXPECT_EQ(db.execAndGet("SELECT commit_id FROM snapshots").getString(), "abc");
  EXPECT_EQ(db.execAndGet("SELECT skipped FROM snapshots").getString(), "{}");
  EXPECT_EQ(db.execAndGet("SELECT name FROM sources").getString(), "s");
}

TEST(Storage, NewerSchemaIsRefusedWithAClearMessage) {
  TempDir dir;
  const std::string path = dir.str() + "/new.db";
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.status().message().find("newer than this tritonpile"), std::string::npos);
  EXPECT_NE(store.status().message().find(path), std::string::npos);
  EXPECT_EQ(user_version(path), 999);
}

TEST(Storage, ReopenSeesEverythingCommitted) {
  TempDir dir;
  const std::string path = dir.str() + "/t.db";
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store);
    int64_t source = (*store)->upsert_source({"s", "local", "s", "MIT", 1});
    EXPECT_EQ((*store)->replace_pairs(source, {sample_pair("f")}, {sample_entry("s/ops.py::f@1", "h1")}), 1);
    Validation validation;
    validation.entry_id = "s/ops.py::f@1";
    validation.code_hash = "c-s/ops.py::f@1";
    validation.environment = "env";
    validation.status = "passed";
    (*store)->add_validation(validation);
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store);
  auto entries = (*store)->entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, "s/ops.py::f@1");
  EXPECT_EQ((*store)->latest_validation("s/ops.py::f@1")->status, "passed");
}

TEST(Storage, ReplacingPairsRetiresEntriesWhoseCodeChanged) {
  TempDir dir;
  auto store = Store::open(dir.str() + "/t.db");
  ASSERT_TRUE(store);
  int64_t source = (*store)->upsert_source({"s", "local", "s", "MIT", 1});
  (*store)->replace_pairs(source, {sample_pair("f")}, {sample_entry("s/ops.py::f@1", "h1")});
  EXPECT_EQ((*store)->replace_pairs(source, {sample_pair("f")}, {sample_entry("s/ops.py::f@2", "h2")}), 1);
  auto entries = (*store)->entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, "s/ops.py::f@2");
  EXPECT_TRUE((*store)->entry("s/ops.py::f@1").has_value()) << "retired, not deleted";
}

// A writer killed in the middle of a transaction must leave the database as it was before
// that transaction: committed rows present, none of the uncommitted ones, integrity intact.
TEST(Storage, CrashMidTransactionLeavesDatabaseConsistent) {
  TempDir dir;
  const std::string path = dir.str() + "/t.db";
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store);
    int64_t source = (*store)->upsert_source({"s", "local", "s", "MIT", 1});
    (*store)->replace_pairs(source, {sample_pair("f")}, {sample_entry("s/ops.py::f@1", "h1")});
  }
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = Store::open(path);
    if (!store) _exit(3);
    auto& db = (*store)->database();
    SQLite::Transaction transaction(db);
    for (int i = 0; i < 2000; ++i) {
      db.exec("INSERT INTO sources (name, kind, url) VALUES ('crash-" + std::to_string(i) + "', 'local', 'x')");
    }
    db.exec("UPDATE entries SET split = 'garbage'");
    char byte = 1;
    if (write(ready[1], &byte, 1) != 1) _exit(4);
    pause();  // killed here, mid-transaction
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.status().message();
  auto& db = (*store)->database();
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sources WHERE name LIKE 'crash-%'").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sources").getInt(), 1);
  EXPECT_EQ((*store)->entries()[0].split, assign_split("h1"));
}

TEST(Storage, ExportWritesOneLinePerEntryIntoItsSplit) {
  TempDir dir;
  auto store = Store::open(dir.str() + "/t.db");
  ASSERT_TRUE(store);
  int64_t source = (*store)->upsert_source({"s", "local", "s", "MIT", 1});
  std::vector<PairRecord> pairs;
  std::vector<Entry> entries;
  for (int i = 0; i < 40; ++i) {
    pairs.push_back(sample_pair("f" + std::to_string(i)));
    entries.push_back(sample_entry("s/ops.py::f" + std::to_string(i) + "@1", "h" + std::to_string(i)));
  }
  (*store)->replace_pairs(source, pairs, entries);
  auto counts = export_dataset(**store, dir.str() + "/out", {});
  ASSERT_TRUE(counts) << counts.status().message();
  EXPECT_EQ(counts->exported, 40);
  int lines = 0;
  for (const auto& [split, n] : counts->per_split) {
    std::string text = tritonpile::testing::read_file(dir.path() / "out" / split / "entries.jsonl");
    int in_file = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    EXPECT_EQ(in_file, n) << split;
    lines += in_file;
  }
  EXPECT_EQ(lines, 40);
  EXPECT_GT(counts->per_split["train"], counts->per_split["test"]);
}

TEST(Splitter, SplitDependsOnlyOnTheCanonicalHash) {
  std::map<std::string, int> counts;
  for (int i = 0; i < 10000; ++i) {
    std::string hash = "h" + std::to_string(i);
    EXPECT_EQ(assign_split(hash), assign_split(hash));
    ++counts[assign_split(hash)];
  }
  EXPECT_NEAR(counts["train"], 8000, 300);
  EXPECT_NEAR(counts["test"], 1000, 200);
  EXPECT_NEAR(counts["validation"], 1000, 200);
}

}  // namespace
}  // namespace tritonpile::storage
