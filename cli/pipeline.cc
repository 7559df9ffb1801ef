#include "cli/pipeline.h"

#include <algorithm>

#include "cli/entry_builder.h"
#include "common/log.h"
#include "crawler/crawler.h"
#include "extractor/file_extractor.h"
#include "matcher/pairer.h"

namespace tritonpile::cli {
namespace {

std::string skipped_json(const crawler::SkipCounts& skipped) {
  return nlohmann::json{{"too_large", skipped.too_large}, {"binary", skipped.binary}, {"unreadable", skipped.unreadable}}
      .dump();
}

// Parses the files the store has not seen and loads the findings of those it has.
std::vector<matcher::AnalyzedFile> analyze(crawler::Snapshot& snapshot, storage::Store& store,
                                           CrawlSummary::PerSource* summary, std::vector<size_t>* parsed) {
  std::vector<matcher::AnalyzedFile> files;
  files.reserve(snapshot.files.size());
  for (auto& file : snapshot.files) {
    matcher::AnalyzedFile analyzed{file.path, file.blob_id, {}, {}};
    if (file.content) {
      analyzed.source = std::move(*file.content);
      analyzed.extraction = extractor::extract_file(analyzed.source);
      parsed->push_back(files.size());
    } else {
      auto content = store.blob_content(file.blob_id);
      auto extraction = store.extraction(file.blob_id);
      if (!content || !extraction) continue;  // is_known_blob said yes, so this cannot happen
      analyzed.source = std::move(*content);
      analyzed.extraction = std::move(*extraction);
    }
    summary->kernels += static_cast<int>(analyzed.extraction.kernels.size());
    summary->launchers += static_cast<int>(analyzed.extraction.launchers.size());
    files.push_back(std::move(analyzed));
  }
  summary->files = static_cast<int>(files.size());
  summary->parsed = static_cast<int>(parsed->size());
  return files;
}

void crawl_one(const crawler::SourceSpec& spec, int64_t run_id, storage::Store& store, const CrawlOptions& options,
               CrawlSummary::PerSource* summary) {
  int64_t source_id = store.upsert_source({spec.name, spec.kind, spec.url, spec.license, spec.phase});
  crawler::CrawlOptions crawl_options;
  crawl_options.cache_dir = options.cache_dir;
  crawl_options.is_known_blob = [&store](const std::string& id) { return store.has_extraction(id); };
  auto snapshot = crawler::crawl_source(spec, crawl_options);
  if (!snapshot) {
    summary->status = "failed";
    summary->error = snapshot.status().message();
    store.record_failed_snapshot(run_id, source_id, summary->error);
    return;
  }
  summary->commit = snapshot->commit;
  std::vector<size_t> parsed;
  auto files = analyze(*snapshot, store, summary, &parsed);

  std::vector<storage::SnapshotFile> listing;
  for (const auto& f : files) listing.push_back({f.path, f.blob_id});
  std::vector<storage::Store::NewBlob> new_blobs;
  for (size_t i : parsed) new_blobs.push_back({files[i].blob_id, files[i].source, &files[i].extraction});
  store.record_snapshot(run_id, source_id, snapshot->commit, listing, new_blobs, skipped_json(snapshot->skipped));

  auto matched = matcher::match_snapshot(files);
  std::vector<storage::PairRecord> records;
  std::vector<storage::Entry> entries;
  for (const auto& pair : matched.pairs) {
    records.push_back(pair_record(pair));
    entries.push_back(build_entry(spec, snapshot->commit, pair, store));
  }
  for (const auto& u : matched.unpaired) summary->unpaired.push_back(u.path + "::" + u.launcher + ": " + u.reason);
  summary->pairs = static_cast<int>(records.size());
  summary->new_entries = store.replace_pairs(source_id, records, std::move(entries));
  summary->status = "ok";
}

}  // namespace

CrawlSummary crawl(const crawler::SourcesFile& sources, storage::Store& store, const CrawlOptions& options) {
  CrawlSummary summary;
  int64_t run_id = store.begin_run();
  for (const auto& spec : sources.sources) {
    bool selected = options.only_sources.empty() ||
                    std::find(options.only_sources.begin(), options.only_sources.end(), spec.name) !=
                        options.only_sources.end();
    if (!spec.enabled || !selected) continue;
    CrawlSummary::PerSource per_source;
    per_source.name = spec.name;
    log::info("crawl " + spec.name + ": " + spec.url);
    try {
      crawl_one(spec, run_id, store, options, &per_source);
    } catch (const std::exception& e) {
      per_source.status = "failed";
      per_source.error = std::string("storage: ") + e.what();
    }
    if (per_source.status == "failed") {
      ++summary.failed_sources;
      log::error("source '" + spec.name + "' failed: " + per_source.error);
    } else {
      log::info("  " + std::to_string(per_source.files) + " files at " + per_source.commit + ", parsed " +
                std::to_string(per_source.parsed) + "; " + std::to_string(per_source.kernels) + " kernels, " +
                std::to_string(per_source.launchers) + " launchers, " + std::to_string(per_source.pairs) +
                " pairs (" + std::to_string(per_source.new_entries) + " new entries)");
      for (const auto& u : per_source.unpaired) log::debug("  unpaired " + u);
    }
    summary.files_parsed += per_source.parsed;
    summary.sources.push_back(std::move(per_source));
  }
  store.finish_run(run_id, summary.failed_sources ? "partial" : "ok", summary.files_parsed);
  log::info("crawl done: " + std::to_string(summary.sources.size()) + " sources, " +
            std::to_string(summary.failed_sources) + " failed, " + std::to_string(summary.files_parsed) +
            " files parsed");
  return summary;
}

StatusOr<ValidateSummary> validate(storage::Store& store, const validator::RunnerOptions& options, bool force) {
  auto environment = validator::probe_environment(options);
  if (!environment) return environment.status();
  ValidateSummary summary;
  std::vector<validator::ValidationJob> jobs;
  std::map<std::string, std::string> code_hash;
  for (const auto& entry : store.entries()) {
    auto last = store.latest_validation(entry.id);
    if (!force && last && last->code_hash == entry.code_hash && last->environment == environment->key()) {
      ++summary.up_to_date;
      continue;
    }
    jobs.push_back({entry.id, entry.python_code, entry.triton_code, entry.test_code});
    code_hash[entry.id] = entry.code_hash;
  }
  log::info("validate: " + std::to_string(jobs.size()) + " entries to run, " + std::to_string(summary.up_to_date) +
            " up to date (" + environment->key() + ")");
  size_t done = 0;
  validator::run_validations(jobs, options, [&](const validator::ValidationResult& r) {
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

}  // namespace tritonpile::cli
