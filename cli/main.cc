// tritonpile: harvests Triton kernels with their PyTorch references into a validated dataset.
// This file only parses flags and calls the pipeline (cli/pipeline.h); exit codes follow
// DESIGN.md: 0 all good, 1 finished with failures, 2 bad usage or configuration.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/generate.h"
#include "cli/pipeline.h"
#include "cli/run_lock.h"
#include "common/log.h"
#include "crawler/prober.h"
#include "crawler/source_spec.h"
#include "crawler/sources_editor.h"
#include "storage/exporter.h"
#include "storage/store.h"

#ifndef TRITONPILE_DEFAULT_PYTHON
#define TRITONPILE_DEFAULT_PYTHON "python3"
#endif
#ifndef TRITONPILE_PYTHON_DIR
#define TRITONPILE_PYTHON_DIR "python"
#endif
#ifndef TRITONPILE_TEMPLATES_DIR
#define TRITONPILE_TEMPLATES_DIR "templates"
#endif

namespace tritonpile::cli {
namespace {

constexpr int kOk = 0, kFailures = 1, kUsage = 2;

struct Options {
  std::string db = "tritonpile.db";
  std::string cache = ".cache/tritonpile";
  std::string sources = "sources.json";
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool json = false, quiet = false, verbose = false;
  // crawl
  std::vector<std::string> only_sources, only_tags;
  // validate
  std::string device = "auto";
  int timeout = 300;
  int memory_limit_mb = 8192;
  int shard_index = 0, shard_count = 1;
  std::string bundle, ingest;
  bool force = false;
  // export
  std::string out = "dataset";
  std::string status, min_status;
  int phase = 0;
  std::string licenses;
  storage::SplitRatios split_ratios;
  std::string split_by = "cluster";
  std::vector<std::string> benchmarks;
  std::string benchmark_fields;
  bool near_dedup_all_phases = false;
  // show
  std::string id;
  // sources add
  std::string add_url, add_name, add_ref, add_license, add_kind;
  std::vector<std::string> add_include, add_exclude;
  bool add_no_check = false;
  // generate
  int generate_count = 0, generate_seed = 0;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "tritonpile: %s\n", message.c_str());
  return kUsage;
}

StatusOr<std::unique_ptr<storage::Store>> open_store(const Options& o) {
  return storage::Store::open(o.db);
}

validator::RunnerOptions runner_options(const Options& o) {
  validator::RunnerOptions r;
  const char* python = std::getenv("TRITONPILE_PYTHON");
  r.python = python ? python : TRITONPILE_DEFAULT_PYTHON;
  r.plugin_dir = TRITONPILE_PYTHON_DIR;
  r.device = o.device;
  r.jobs = o.jobs;
  r.timeout = std::chrono::seconds(o.timeout);
  r.max_rss_bytes = static_cast<uint64_t>(o.memory_limit_mb) << 20;
  r.triton_cache_dir = std::filesystem::absolute(std::filesystem::path(o.cache) / "triton").string();
  std::filesystem::create_directories(r.triton_cache_dir);
  return r;
}

int cmd_sources_list(const Options& o) {
  auto file = crawler::load_sources_file(o.sources);
  if (!file) return usage_error(file.status().message());
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : file->sources) {
      out.push_back({{"name", s.name}, {"kind", s.kind}, {"url", s.url}, {"license", s.license}, {"enabled", s.enabled}});
    }
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  for (const auto& s : file->sources) {
    std::printf("%-24s %-6s %-8s %s\n", s.name.c_str(), s.kind.c_str(), s.enabled ? "enabled" : "disabled",
                s.url.c_str());
  }
  return kOk;
}

int cmd_sources_add(const Options& o) {
  auto file = crawler::load_sources_file(o.sources);
  if (!file) return usage_error(file.status().message());
  crawler::SourceSpec spec = crawler::source_for_url(o.add_url);
  if (!o.add_name.empty()) spec.name = o.add_name;
  if (!o.add_kind.empty()) spec.kind = o.add_kind;
  spec.ref = o.add_ref;
  spec.include = o.add_include;
  spec.exclude = o.add_exclude;
  spec.license = o.add_license;
  for (const auto& existing : file->sources) {
    if (existing.name == spec.name) return usage_error("a source named '" + spec.name + "' is already listed (use --name)");
    if (existing.url == spec.url) return usage_error(spec.url + " is already listed as '" + existing.name + "'");
  }
  if (spec.kind == "local") {
    spec.local_path = std::filesystem::absolute(std::filesystem::path(o.sources).parent_path() / spec.url).string();
  }
  if (!o.add_no_check) {
    crawler::CrawlOptions probe;
    probe.url_rewrites = file->url_rewrites;
    if (std::string problem = crawler::probe_source(spec, probe); !problem.empty()) {
      log::error("source '" + spec.name + "' does not answer: " + problem);
      return kFailures;
    }
  }
  if (auto status = crawler::append_source(o.sources, spec); !status) return usage_error(status.message());
  log::info("added source '" + spec.name + "' (" + spec.kind + ") to " + o.sources);
  return kOk;
}

int cmd_sources_check(const Options& o) {
  auto file = crawler::load_sources_file(o.sources);
  if (!file) return usage_error(file.status().message());
  std::vector<const crawler::SourceSpec*> enabled;
  for (const auto& s : file->sources) {
    if (s.enabled) enabled.push_back(&s);
  }
  std::vector<std::string> problems(enabled.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    crawler::CrawlOptions probe;
    probe.url_rewrites = file->url_rewrites;
    for (size_t i = next++; i < enabled.size(); i = next++) problems[i] = crawler::probe_source(*enabled[i], probe);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min<int>(o.jobs, static_cast<int>(enabled.size())); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  int failing = 0;
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < enabled.size(); ++i) {
    failing += !problems[i].empty();
    if (o.json) {
      out.push_back({{"name", enabled[i]->name}, {"answers", problems[i].empty()}, {"problem", problems[i]}});
    } else {
      std::printf("%-24s %-6s %-8s %s\n", enabled[i]->name.c_str(), enabled[i]->kind.c_str(),
                  problems[i].empty() ? "ok" : "FAILED", problems[i].c_str());
    }
  }
  if (o.json) std::cout << out.dump(2) << "\n";
  return failing ? kFailures : kOk;
}

void print_crawl_table(const CrawlSummary& summary) {
  std::fprintf(stderr, "%-24s %-9s %-14s %6s %6s %6s %8s  %s\n", "source", "status", "commit", "files", "parsed",
               "pairs", "seconds", "error");
  for (const auto& s : summary.sources) {
    std::string status = s.status == "ok" && s.unchanged ? "unchanged" : s.status;
    std::fprintf(stderr, "%-24s %-9s %-14s %6d %6d %6d %8.1f  %s\n", s.name.c_str(), status.c_str(),
                 s.commit.substr(0, 14).c_str(), s.files, s.parsed, s.pairs, s.seconds, s.error.c_str());
  }
}

nlohmann::json crawl_json(const CrawlSummary& summary) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : summary.sources) {
    sources.push_back({{"name", s.name},       {"status", s.status},   {"error", s.error},
                       {"commit", s.commit},   {"unchanged", s.unchanged}, {"files", s.files},
                       {"parsed", s.parsed},   {"kernels", s.kernels}, {"launchers", s.launchers},
                       {"pairs", s.pairs},     {"new_entries", s.new_entries}, {"seconds", s.seconds},
                       {"skipped", {{"too_large", s.skipped.too_large}, {"binary", s.skipped.binary},
                                    {"not_utf8", s.skipped.not_utf8}, {"unreadable", s.skipped.unreadable}}}});
  }
  return {{"sources", sources}, {"files_parsed", summary.files_parsed}, {"failed_sources", summary.failed_sources}};
}

int cmd_crawl(const Options& o, nlohmann::json* json_out = nullptr) {
  auto file = crawler::load_sources_file(o.sources);
  if (!file) return usage_error(file.status().message());
  for (const auto& name : o.only_sources) {
    bool known = false;
    for (const auto& s : file->sources) known = known || s.name == name;
    if (!known) return usage_error("no source named '" + name + "' in " + o.sources);
  }
  CrawlOptions options;
  options.db_path = o.db;
  options.cache_dir = o.cache;
  options.only_sources = o.only_sources;
  options.only_tags = o.only_tags;
  options.jobs = o.jobs;
  options.progress = !o.quiet;
  auto summary = crawl(*file, options);
  if (!summary) return usage_error(summary.status().message());
  if (summary->failed_sources || summary->sources.size() > 1) print_crawl_table(*summary);
  if (json_out) {
    *json_out = crawl_json(*summary);
  } else if (o.json) {
    std::cout << crawl_json(*summary).dump(2) << "\n";
  }
  return summary->failed_sources ? kFailures : kOk;
}

int cmd_validate(const Options& o) {
  if (o.device != "auto" && o.device != "cuda" && o.device != "interpret") {
    return usage_error("--device must be auto, cuda or interpret");
  }
  auto store = open_store(o);
  if (!store) return usage_error(store.status().message());
  Selection selection{o.force, o.shard_index, o.shard_count};
  if (!o.ingest.empty()) {
    auto ingested = ingest(**store, o.ingest);
    if (!ingested) return usage_error(ingested.status().message());
    log::info("ingested " + std::to_string(ingested->stored) + " results (" + std::to_string(ingested->stale) +
              " for code that has changed since, " + std::to_string(ingested->unknown) + " for unknown entries)");
    return ingested->stale || ingested->unknown ? kFailures : kOk;
  }
  if (!o.bundle.empty()) {
    auto written = write_bundle(**store, o.bundle, TRITONPILE_PYTHON_DIR, selection);
    if (!written) return usage_error(written.status().message());
    log::info("bundle " + o.bundle + ": " + std::to_string(*written) +
              " entries; run `python " + o.bundle + "/run_bundle.py` on the GPU host, then validate --ingest " +
              o.bundle + "/results.jsonl");
    return kOk;
  }
  auto summary = validate(**store, runner_options(o), selection);
  if (!summary) return usage_error(summary.status().message());
  std::string line = "validate done: " + std::to_string(summary->validated) + " run";
  for (const auto& [status, count] : summary->by_status) line += ", " + std::to_string(count) + " " + status;
  log::info(line);
  if (o.json) std::cout << nlohmann::json{{"validated", summary->validated}, {"by_status", summary->by_status}} << "\n";
  return summary->validated == summary->by_status["passed"] ? kOk : kFailures;
}

std::vector<std::string> comma_separated(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

storage::EntryFilter export_filter(const Options& o) {
  storage::EntryFilter filter;
  filter.status = o.status;
  filter.min_status = o.min_status;
  filter.phase = o.phase;
  if (o.licenses != "any") {
    filter.licenses = o.licenses.empty() ? storage::permissive_licenses() : comma_separated(o.licenses);
  }
  return filter;
}

void log_export(const Options& o, const storage::DatasetCounts& counts) {
  std::string line = "exported " + std::to_string(counts.exported) + " entries to " + o.out + ":";
  for (const auto& [split, n] : counts.per_split) line += " " + split + " " + std::to_string(n);
  log::info(line);
  log::info("left out " + std::to_string(counts.exact_dropped) + " exact and " + std::to_string(counts.near_dropped) +
            " near duplicates (" + o.out + "/dedup.jsonl names their representatives), " +
            std::to_string(counts.filtered) + " by --phase/--status/--min-status");
  for (const auto& [license, n] : counts.excluded_by_license) {
    log::warn("left out " + std::to_string(n) + " entries " +
              (license.empty() ? std::string("whose source has no licence") : "licensed " + license) +
              " (--licenses chooses)");
  }
  for (const auto& [file, n] : counts.contaminated) {
    log::warn("left out " + std::to_string(n) + " entries that copy items of " + file + " (" + o.out +
              "/decontamination.jsonl)");
  }
  if (counts.cluster_split) {
    log::warn("left out " + std::to_string(counts.cluster_split) +
              " entries whose duplicate cluster belongs to another split (" + o.out + "/dedup.jsonl)");
  }
}

nlohmann::json export_json(const storage::DatasetCounts& counts) {
  int contaminated = 0;
  for (const auto& [file, n] : counts.contaminated) contaminated += n;
  return {{"total", counts.exported},          {"per_split", counts.per_split},
          {"exact_dropped", counts.exact_dropped}, {"near_dropped", counts.near_dropped},
          {"filtered", counts.filtered},        {"excluded_by_license", counts.excluded_by_license},
          {"contaminated", contaminated},       {"cluster_split", counts.cluster_split},
          {"new_split_assignments", counts.new_assignments}};
}

int cmd_export(const Options& o) {
  storage::DatasetOptions options;
  options.filter = export_filter(o);
  options.ratios = o.split_ratios;
  options.grouping = o.split_by == "source" ? storage::SplitGrouping::kSource : storage::SplitGrouping::kCluster;
  options.near_dedup_all_phases = o.near_dedup_all_phases;
  std::unique_ptr<storage::ContaminationIndex> benchmarks;
  if (!o.benchmarks.empty()) {
    storage::DecontaminationOptions decontamination;
    if (!o.benchmark_fields.empty()) decontamination.code_fields = comma_separated(o.benchmark_fields);
    auto items = storage::load_benchmarks(o.benchmarks, decontamination);
    if (!items) return usage_error(items.status().message());
    benchmarks = std::make_unique<storage::ContaminationIndex>(std::move(*items), decontamination);
    options.benchmarks = benchmarks.get();
  }
  auto store = open_store(o);
  if (!store) return usage_error(store.status().message());
  auto counts = storage::export_dataset(**store, o.out, options);
  if (!counts) {
    log::error(counts.status().message());
    return kFailures;
  }
  log_export(o, *counts);
  if (o.json) std::cout << export_json(*counts) << "\n";
  return kOk;
}

int cmd_run(const Options& o) {
  nlohmann::json crawl_summary;
  int crawled = cmd_crawl(o, &crawl_summary);
  if (crawled == kUsage) return kUsage;
  int validated = cmd_validate(o);
  if (validated == kUsage) return kUsage;
  int exported = cmd_export(o);
  // Entries that failed validation are data, exported with their status; the run still
  // reports them through its exit code.
  return std::max({crawled, validated, exported});
}

int cmd_stats(const Options& o) {
  auto store = open_store(o);
  if (!store) return usage_error(store.status().message());
  auto s = (*store)->stats();
  if (o.json) {
    nlohmann::json by_status(s.by_status);
    std::cout << nlohmann::json{{"sources", s.sources}, {"runs", s.runs},         {"blobs", s.blobs},
                                {"kernels", s.kernels}, {"launchers", s.launchers}, {"references", s.references},
                                {"tests", s.tests},     {"pairs", s.pairs},         {"entries", s.entries},
                                {"by_status", by_status}}
                     .dump(2)
              << "\n";
    return kOk;
  }
  std::printf("sources %d, crawl runs %d, files %d\nkernels %d, launchers %d, references %d, tests %d\n"
              "pairs %d, entries %d\n",
              s.sources, s.runs, s.blobs, s.kernels, s.launchers, s.references, s.tests, s.pairs, s.entries);
  for (const auto& [status, count] : s.by_status) std::printf("  %-14s %d\n", status.c_str(), count);
  return kOk;
}

int cmd_show(const Options& o) {
  auto store = open_store(o);
  if (!store) return usage_error(store.status().message());
  auto entry = (*store)->entry(o.id);
  if (!entry) return usage_error("no entry with id '" + o.id + "'");
  auto validation = (*store)->latest_validation(o.id);
  std::cout << storage::entry_json(*entry, validation ? &*validation : nullptr).dump(o.json ? -1 : 2) << "\n";
  return kOk;
}

int cmd_generate(const Options& o) {
  auto store = open_store(o);
  if (!store) return usage_error(store.status().message());
  GenerateOptions options;
  options.count = o.generate_count;
  options.seed = o.generate_seed;
  options.python = runner_options(o).python;
  options.python_dir = TRITONPILE_PYTHON_DIR;
  options.templates_dir = TRITONPILE_TEMPLATES_DIR;
  auto summary = generate(**store, options);
  if (!summary) {
    log::error(summary.status().message());
    return kFailures;
  }
  log::info("generate: rendered " + std::to_string(summary->rendered) + " variants (seed " +
            std::to_string(o.generate_seed) + "), " + std::to_string(summary->new_entries) + " new entries");
  if (o.json) std::cout << nlohmann::json{{"rendered", summary->rendered}, {"new_entries", summary->new_entries}} << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"tritonpile: harvests Triton kernels and their PyTorch references into a GPU-validated dataset.\n"
               "Pipeline: crawl (sources.json) -> extract -> match -> validate -> export.",
               "tritonpile"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", o.db, "SQLite database")->capture_default_str();
  app.add_option("--cache", o.cache, "directory for git mirrors")->capture_default_str();
  app.add_option("--sources", o.sources, "sources file")->capture_default_str();
  app.add_option("--jobs,-j", o.jobs, "parallel validations")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--json", o.json, "print a machine-readable summary on stdout");
  app.add_flag("-q,--quiet", o.quiet, "only warnings and errors");
  app.add_flag("-v,--verbose", o.verbose, "more detail (unpaired launchers, failure messages)");

  auto* sources = app.add_subcommand("sources", "list, add or check the sources in sources.json");
  sources->require_subcommand(1);
  auto* list = sources->add_subcommand("list", "list the sources");
  auto* add = sources->add_subcommand("add", "check that a source answers, then append it to sources.json");
  add->add_option("url", o.add_url, "git URL, local path or file URL")->required();
  add->add_option("--name", o.add_name, "source name (default: from the URL)");
  add->add_option("--ref", o.add_ref, "branch, tag or commit");
  add->add_option("--include", o.add_include, "path glob to include (repeatable)");
  add->add_option("--license", o.add_license, "SPDX licence id");
  add->add_option("--kind", o.add_kind, "git, http or local (default: from the URL)")
      ->check(CLI::IsMember({"git", "http", "local"}));
  add->add_option("--exclude", o.add_exclude, "path glob to exclude (repeatable)");
  add->add_flag("--no-check", o.add_no_check, "append without asking the source whether it answers");
  auto* check = sources->add_subcommand("check", "ask every enabled source whether it answers");

  auto* crawl_cmd = app.add_subcommand("crawl", "crawl sources: snapshot, extract, pair and store entries");
  auto add_selectors = [&](CLI::App* cmd) {
    cmd->add_option("--source", o.only_sources, "crawl this source, even if disabled (repeatable)");
    cmd->add_option("--tag", o.only_tags, "crawl the sources with this tag, even if disabled (repeatable)");
  };
  add_selectors(crawl_cmd);
  auto* validate_cmd = app.add_subcommand("validate", "run each entry's test_code isolated; store the outcome");
  auto add_validate_options = [&](CLI::App* cmd) {
    cmd->add_option("--device", o.device, "auto (GPU when torch sees one), cuda, or interpret")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "cuda", "interpret"}));
    cmd->add_option("--timeout", o.timeout, "seconds per entry")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--memory-limit", o.memory_limit_mb, "MiB of memory per entry before it is killed (oom)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
  };
  add_validate_options(validate_cmd);
  validate_cmd->add_flag("--force", o.force, "re-run entries already validated in this environment");
  validate_cmd
      ->add_option_function<std::string>(
          "--shard",
          [&](const std::string& value) {
            auto slash = value.find('/');
            if (slash == std::string::npos) throw CLI::ValidationError("--shard", "expected i/n, e.g. 3/8");
            o.shard_index = std::stoi(value.substr(0, slash));
            o.shard_count = std::stoi(value.substr(slash + 1));
            if (o.shard_count < 1 || o.shard_index < 0 || o.shard_index >= o.shard_count) {
              throw CLI::ValidationError("--shard", "expected 0 <= i < n");
            }
          },
          "validate only shard i of n (0-based): for batch schedulers")
      ->check(CLI::Validator([](std::string& v) { return v.find('/') == std::string::npos ? "expected i/n" : ""; }, "I/N"));
  validate_cmd->add_option("--bundle", o.bundle, "write the entries and a Python runner to DIR for a GPU host");
  validate_cmd->add_option("--ingest", o.ingest, "store the results.jsonl a bundle's runner wrote");
  auto* export_cmd = app.add_subcommand(
      "export", "deduplicate, split and decontaminate; write DIR/{train,test,validation}/entries.jsonl and a card");
  auto add_export_options = [&](CLI::App* cmd) {
    cmd->add_option("--out", o.out, "output directory")->capture_default_str();
    cmd->add_option("--licenses", o.licenses,
                    "comma-separated SPDX ids to export (default: permissive ones; 'any': no filter; "
                    "sources without a licence are left out unless 'any')");
    cmd->add_option_function<std::string>(
           "--split",
           [&](const std::string& value) {
             auto ratios = storage::parse_split_ratios(value);
             if (!ratios) throw CLI::ValidationError("--split", ratios.status().message());
             o.split_ratios = *ratios;
           },
           "train/test/validation ratios for entries not split before (default 80/10/10)")
        ->type_name("T/T/V");
    cmd->add_option("--split-by", o.split_by,
                    "keep each duplicate cluster, or each source repository, within one split")
        ->capture_default_str()
        ->check(CLI::IsMember({"cluster", "source"}));
    cmd->add_flag("--near-dedup-all-phases", o.near_dedup_all_phases,
                  "also drop curated and template entries (phase 1, 2) that are near duplicates of another");
    cmd->add_option("--decontaminate-against", o.benchmarks,
                    "JSON/JSONL benchmark files: leave out entries that copy their items (repeatable)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--decontaminate-fields", o.benchmark_fields,
                    "comma-separated keys of benchmark items that hold code (default: code, python_code, "
                    "triton_code, solution, prompt, ...; see docs/dataset.md)");
  };
  add_export_options(export_cmd);
  export_cmd->add_option("--status", o.status, "only entries whose latest validation has this status")
      ->check(CLI::IsMember({"passed", "failed", "error", "skipped"}));
  export_cmd->add_option("--min-status", o.min_status,
                         "only entries whose latest validation is at least this good "
                         "(passed > failed > error > skipped = not validated)")
      ->check(CLI::IsMember({"passed", "failed", "error", "skipped"}));
  export_cmd->add_option("--phase", o.phase, "only this phase (1 curated, 2 template, 3 crawled)")
      ->check(CLI::Range(1, 3));
  auto* generate = app.add_subcommand("generate", "render Phase-2 variants of the foundational kernels from templates/");
  generate->add_option("--count", o.generate_count, "number of distinct variants to render")
      ->required()
      ->check(CLI::PositiveNumber);
  generate->add_option("--seed", o.generate_seed, "random seed: the same seed renders the same variants")
      ->capture_default_str();
  auto* stats_cmd = app.add_subcommand("stats", "counts of what the database holds");
  auto* show_cmd = app.add_subcommand("show", "print one entry as JSON");
  show_cmd->add_option("id", o.id, "entry id")->required();
  auto* run_cmd = app.add_subcommand("run", "crawl, validate and export: what a scheduled job calls");
  add_selectors(run_cmd);
  add_validate_options(run_cmd);
  add_export_options(run_cmd);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(std::string(e.what()) + " (see --help)");
  }
  log::set_level(o.quiet ? log::Level::kWarn : o.verbose ? log::Level::kDebug : log::Level::kInfo);
  if (crawl_cmd->parsed() || validate_cmd->parsed() || run_cmd->parsed() || generate->parsed()) {
    auto lock = RunLock::acquire(o.db);
    if (!lock) return usage_error(lock.status().message());
    if (generate->parsed()) return cmd_generate(o);
    if (crawl_cmd->parsed()) return cmd_crawl(o);
    if (validate_cmd->parsed()) return cmd_validate(o);
    return cmd_run(o);
  }
  if (export_cmd->parsed()) return cmd_export(o);
  if (stats_cmd->parsed()) return cmd_stats(o);
  if (show_cmd->parsed()) return cmd_show(o);
  if (list->parsed()) return cmd_sources_list(o);
  if (add->parsed()) return cmd_sources_add(o);
  if (check->parsed()) return cmd_sources_check(o);
  return kOk;
}

}  // namespace tritonpile::cli

int main(int argc, char** argv) { return tritonpile::cli::main(argc, argv); }
