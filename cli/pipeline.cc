#include "cli/pipeline.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <atomic>
#include <thread>

#include "cli/entry_builder.h"
#include "cli/progress.h"
#include "common/hash.h"
#include "common/log.h"
#include "crawler/crawler.h"
#include "extractor/file_extractor.h"
#include "matcher/pairer.h"
#include "validator/test_synthesizer.h"

namespace tritonpile::cli {
namespace {

std::string skipped_json(const crawler::SkipCounts& skipped) {
  return nlohmann::json{{"too_large", skipped.too_large},
                        {"binary", skipped.binary},
                        {"not_utf8", skipped.not_utf8},
                        {"unreadable", skipped.unreadable}}
      .dump();
}

// Parses the files the store has not seen (on `threads` threads) and loads the findings of
// those it has.
std::vector<matcher::AnalyzedFile> analyze(crawler::Snapshot& snapshot, storage::Store& store, int threads,
                                           Progress& progress, CrawlSummary::PerSource* summary,
                                           std::vector<size_t>* parsed) {
  std::vector<matcher::AnalyzedFile> files;
  files.reserve(snapshot.files.size());
  for (auto& file : snapshot.files) {
    matcher::AnalyzedFile analyzed{file.path, file.blob_id, {}, {}};
    if (file.content) {
      analyzed.source = std::move(*file.content);
      parsed->push_back(files.size());
    } else {
      auto content = store.blob_content(file.blob_id);
      auto extraction = store.extraction(file.blob_id);
      if (!content || !extraction) continue;  // is_known_blob said yes, so this cannot happen
      analyzed.source = std::move(*content);
      analyzed.extraction = std::move(*extraction);
    }
    files.push_back(std::move(analyzed));
  }
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&] {
    for (size_t i = next++; i < parsed->size(); i = next++) {
      auto& file = files[(*parsed)[i]];
      // A data file (YAML a source asks for) is stored with nothing found in it.
      bool python = file.path.size() > 3 && file.path.compare(file.path.size() - 3, 3, ".py") == 0;
      if (python) file.extraction = extractor::extract_file(file.source, file.path);
      size_t finished = ++done;
      if (finished % 100 == 0 || finished == parsed->size()) {
        progress.update({snapshot.source.empty() ? summary->name : snapshot.source, "parsing files", finished,
                         parsed->size()});
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  for (const auto& file : files) {
    summary->kernels += static_cast<int>(file.extraction.kernels.size());
    summary->launchers += static_cast<int>(file.extraction.launchers.size());
  }
  summary->files = static_cast<int>(files.size());
  summary->parsed = static_cast<int>(parsed->size());
  return files;
}

void crawl_one(const crawler::SourceSpec& spec, const crawler::SourcesFile& sources, int64_t run_id,
               storage::Store& store, const CrawlOptions& options, Progress& progress,
               CrawlSummary::PerSource* summary) {
  int64_t source_id = store.upsert_source({spec.name, spec.kind, spec.url, spec.license, spec.phase});
  auto last = store.last_snapshot(source_id);
  crawler::CrawlOptions crawl_options;
  crawl_options.cache_dir = options.cache_dir;
  crawl_options.url_rewrites = sources.url_rewrites;
  crawl_options.http = options.http;
  crawl_options.is_known_blob = [&store](const std::string& id) {
    return store.has_extraction(id, extractor::kExtractorVersion);
  };
  if (last && last->pipeline_version == pipeline_version()) crawl_options.unchanged_commit = last->commit;
  if (auto http = store.http_cache(source_id)) {
    crawl_options.previous_http = {http->etag, http->last_modified, http->blob_id, http->path, http->provenance};
  }
  crawl_options.on_progress = [&progress](const crawler::CrawlProgress& p) { progress.update(p); };

  auto snapshot = crawler::crawl_source(spec, crawl_options);
  if (!snapshot) {
    summary->status = "failed";
    summary->error = snapshot.status().message();
    store.record_failed_snapshot(run_id, source_id, summary->error);
    return;
  }
  summary->commit = snapshot->commit;
  summary->skipped = snapshot->skipped;
  summary->status = "ok";
  // Nothing upstream moved and the pipeline is the same: the stored entries stand as they are.
  bool same_as_last = last && last->pipeline_version == pipeline_version() && snapshot->commit == last->commit;
  if (snapshot->unchanged || same_as_last) {
    summary->unchanged = true;
    store.record_reused_snapshot(run_id, source_id, *last);
    return;
  }
  std::vector<size_t> parsed;
  // Sources already run in parallel; a lone source gets the threads for its files instead.
  int threads = options.jobs > 1 && options.sources_in_run == 1 ? options.jobs : 1;
  auto files = analyze(*snapshot, store, threads, progress, summary, &parsed);

  storage::SnapshotRecord record;
  record.commit = snapshot->commit;
  record.pipeline_version = pipeline_version();
  record.skipped_json = skipped_json(snapshot->skipped);
  for (const auto& f : snapshot->files) record.files.push_back({f.path, f.blob_id, f.provenance});
  for (const auto& m : snapshot->submodules) record.submodules.emplace_back(m.path, m.commit);
  std::vector<storage::Store::NewBlob> new_blobs;
  for (size_t i : parsed) {
    new_blobs.push_back({files[i].blob_id, files[i].source, &files[i].extraction, extractor::kExtractorVersion});
  }
  store.record_snapshot(run_id, source_id, record, new_blobs);
  if (spec.kind == "http") {
    const auto& h = snapshot->http;
    store.put_http_cache(source_id, {h.etag, h.last_modified, h.blob_id, h.path, h.provenance});
  }

  auto matched = matcher::match_snapshot(files);
  std::vector<storage::PairRecord> records;
  std::vector<storage::Entry> entries;
  // sources.json's licence wins; else the one the repository's licence file states.
  crawler::SourceSpec licensed = spec;
  if (licensed.license.empty()) licensed.license = snapshot->license;
  for (const auto& pair : matched.pairs) {
    records.push_back(pair_record(pair));
    entries.push_back(build_entry(licensed, snapshot->commit, pair, store));
  }
  for (const auto& u : matched.unpaired) summary->unpaired.push_back(u.path + "::" + u.launcher + ": " + u.reason);
  summary->pairs = static_cast<int>(records.size());
  summary->new_entries = store.replace_pairs(source_id, records, std::move(entries));
}

std::string describe(const CrawlSummary::PerSource& s) {
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.1f s", s.seconds);
  if (s.status == "failed") return "source '" + s.name + "' failed: " + s.error;
  if (s.unchanged) return s.name + ": unchanged at " + s.commit + " (" + seconds + ")";
  std::string skipped;
  int skips = s.skipped.too_large + s.skipped.binary + s.skipped.not_utf8 + s.skipped.unreadable;
  if (skips) skipped = ", " + std::to_string(skips) + " skipped";
  return s.name + ": " + std::to_string(s.files) + " files at " + s.commit + ", parsed " + std::to_string(s.parsed) +
         skipped + "; " + std::to_string(s.kernels) + " kernels, " + std::to_string(s.launchers) + " launchers, " +
         std::to_string(s.pairs) + " pairs (" + std::to_string(s.new_entries) + " new entries) in " + seconds;
}

}  // namespace

int pipeline_version() {
  std::string fingerprint = std::to_string(extractor::kExtractorVersion) + "/" +
                            std::to_string(matcher::kMatcherVersion) + "/" + validator::test_template_hash();
  return static_cast<int>(std::stoull(xxh64_hex(fingerprint).substr(0, 7), nullptr, 16));
}

StatusOr<CrawlSummary> crawl(const crawler::SourcesFile& sources, const CrawlOptions& options) {
  auto main_store = storage::Store::open(options.db_path);
  if (!main_store) return main_store.status();
  std::vector<const crawler::SourceSpec*> selected;
  auto listed = [](const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  bool selecting = !options.only_sources.empty() || !options.only_tags.empty();
  for (const auto& spec : sources.sources) {
    bool chosen = listed(options.only_sources, spec.name);
    for (const auto& tag : spec.tags) chosen = chosen || listed(options.only_tags, tag);
    if (selecting ? chosen : spec.enabled) selected.push_back(&spec);
  }
  int64_t run_id = (*main_store)->begin_run();
  CrawlOptions run_options = options;
  run_options.sources_in_run = static_cast<int>(selected.size());
  CrawlSummary summary;
  summary.sources.resize(selected.size());
  Progress progress(options.progress);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto store = storage::Store::open(options.db_path);
    for (size_t i = next++; i < selected.size(); i = next++) {
      const auto& spec = *selected[i];
      auto& per_source = summary.sources[i];
      per_source.name = spec.name;
      auto start = std::chrono::steady_clock::now();
      try {
        if (!store) throw std::runtime_error(store.status().message());
        crawl_one(spec, sources, run_id, **store, run_options, progress, &per_source);
      } catch (const std::exception& e) {
        per_source.status = "failed";
        per_source.error = std::string("storage: ") + e.what();
      }
      per_source.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress.finish(spec.name, describe(per_source), per_source.status == "failed");
      for (const auto& u : per_source.unpaired) log::debug("  unpaired " + u);
    }
  };
  std::vector<std::thread> threads;
  int workers = std::max(1, std::min<int>(options.jobs, static_cast<int>(selected.size())));
  for (int t = 0; t < workers; ++t) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  for (const auto& s : summary.sources) {
    summary.files_parsed += s.parsed;
    summary.failed_sources += s.status == "failed";
  }
  (*main_store)->finish_run(run_id, summary.failed_sources ? "partial" : "ok", summary.files_parsed);
  log::info("crawl done: " + std::to_string(summary.sources.size()) + " sources, " +
            std::to_string(summary.failed_sources) + " failed, " + std::to_string(summary.files_parsed) +
            " files parsed");
  return summary;
}

namespace {

bool in_shard(const std::string& id, const Selection& selection) {
  if (selection.shard_count <= 1) return true;
  uint64_t bucket = std::stoull(xxh64_hex("shard:" + id), nullptr, 16) % static_cast<uint64_t>(selection.shard_count);
  return bucket == static_cast<uint64_t>(selection.shard_index);
}

}  // namespace

StatusOr<ValidateSummary> validate(storage::Store& store, const validator::RunnerOptions& options,
                                   const Selection& selection) {
  auto environment = validator::probe_environment(options);
  if (!environment) return environment.status();
  ValidateSummary summary;
  std::vector<validator::ValidationJob> jobs;
  std::map<std::string, std::string> code_hash;
  for (const auto& entry : store.entries()) {
    if (!in_shard(entry.id, selection)) continue;
    auto last = store.latest_validation(entry.id);
    if (!selection.force && last && last->code_hash == entry.code_hash && last->environment == environment->key()) {
      ++summary.up_to_date;
      continue;
    }
    jobs.push_back({entry.id, entry.python_code, entry.triton_code, entry.test_code});
    code_hash[entry.id] = entry.code_hash;
  }
  log::info("validate: " + std::to_string(jobs.size()) + " entries to run, " + std::to_string(summary.up_to_date) +
            " up to date (" + environment->key() + ")");
  size_t done = 0;
  validator::RunnerOptions resolved = options;
  resolved.device = environment->device;
  resolved.gpus = environment->gpus;
  validator::run_validations(jobs, resolved, [&](const validator::ValidationResult& r) {
    storage::Validation v{r.entry_id,    code_hash[r.entry_id], environment->key(), r.status,
                          r.failure_class, r.message,           r.device,           r.torch_version,
                          r.triton_version, r.max_abs_err,      r.max_rel_err,      r.speedup,
                          r.seconds};
    store.add_validation(v);
    ++summary.by_status[r.status];
    ++summary.validated;
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.1f s", r.seconds);
    std::string outcome = r.status + (r.failure_class.empty() ? "" : " (" + r.failure_class + ")");
    log::info("  [" + std::to_string(++done) + "/" + std::to_string(jobs.size()) + "] " + outcome + " " +
              r.entry_id + " " + seconds);
    if (r.status != "passed" && !r.message.empty()) log::debug("    " + r.message.substr(0, 400));
  });
  return summary;
}

StatusOr<int> write_bundle(storage::Store& store, const std::string& dir, const std::string& python_dir,
                           const Selection& selection) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::error("cannot create bundle directory " + dir + ": " + ec.message());
  std::ofstream out(fs::path(dir) / "entries.jsonl", std::ios::trunc);
  int count = 0;
  for (const auto& entry : store.entries()) {
    if (!in_shard(entry.id, selection)) continue;
    out << nlohmann::json{{"id", entry.id},
                          {"code_hash", entry.code_hash},
                          {"python_code", entry.python_code},
                          {"triton_code", entry.triton_code},
                          {"test_code", entry.test_code}}
               .dump()
        << "\n";
    ++count;
  }
  if (!out) return Status::error("cannot write " + (fs::path(dir) / "entries.jsonl").string());
  for (const auto& [from, to] : {std::pair{"tritonpile_bundle.py", "run_bundle.py"},
                                 {"tritonpile_runner.py", "tritonpile_runner.py"},
                                 {"tritonpile_report.py", "tritonpile_report.py"},
                                 {"tritonpile_sandbox.py", "tritonpile_sandbox.py"}}) {
    fs::copy_file(fs::path(python_dir) / from, fs::path(dir) / to, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::error(std::string("cannot copy ") + from + " into the bundle: " + ec.message());
  }
  return count;
}

StatusOr<IngestSummary> ingest(storage::Store& store, const std::string& results_path) {
  std::ifstream in(results_path);
  if (!in) return Status::error(results_path + ": cannot read");
  IngestSummary summary;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto r = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (r.is_discarded() || !r.contains("entry_id")) {
      return Status::error(results_path + ":" + std::to_string(number) + ": not a result line");
    }
    auto entry = store.entry(r.value("entry_id", ""));
    if (!entry) {
      ++summary.unknown;
      continue;
    }
    if (entry->code_hash != r.value("code_hash", "")) {
      ++summary.stale;
      continue;
    }
    auto measured = [&](const char* key) { return r[key].is_number() ? r[key].get<double>() : -1.0; };
    std::string device = r.value("device", "");
    storage::Validation v;
    v.entry_id = entry->id;
    v.code_hash = entry->code_hash;
    v.environment = r.value("torch", "") + "/" + r.value("triton", "") + "/" + (device == "interpreter" ? "interpret" : "cuda");
    v.status = r.value("status", "error");
    v.failure_class = r.value("failure_class", "");
    v.message = r.value("message", "");
    v.device = device;
    v.torch_version = r.value("torch", "");
    v.triton_version = r.value("triton", "");
    v.max_abs_err = measured("max_abs_err");
    v.max_rel_err = measured("max_rel_err");
    v.speedup = measured("speedup");
    v.seconds = r["seconds"].is_number() ? r["seconds"].get<double>() : 0;
    store.add_validation(v);
    ++summary.stored;
  }
  return summary;
}

}  // namespace tritonpile::cli
