#include "validator/runner.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "common/subprocess.h"
#include "validator/fork_server.h"
#include "validator/test_synthesizer.h"

namespace tritonpile::validator {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string tail(const std::string& text, size_t bytes) {
  return text.size() <= bytes ? text : text.substr(text.size() - bytes);
}

fs::path make_scratch(const std::string& root) {
  fs::path base = root.empty() ? fs::temp_directory_path() : fs::path(root);
  fs::create_directories(base);
  std::string pattern = (base / "tritonpile-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return {};
  return pattern;
}

// A job made ready to run: its scratch directory holds the three files.
struct Prepared {
  fs::path scratch;
  std::map<std::string, std::string> env;
};

std::optional<Prepared> prepare(const ValidationJob& job, const RunnerOptions& options) {
  fs::path scratch = make_scratch(options.scratch_root);
  if (scratch.empty()) return std::nullopt;
  write_file(scratch / kReferenceFile, job.python_code);
  write_file(scratch / kTritonFile, job.triton_code);
  write_file(scratch / kTestFile, job.test_code);
  Prepared prepared{scratch, {{"PYTHONPATH", options.plugin_dir},
                              {"TRITONPILE_REPORT", (scratch / "report.json").string()},
                              {"TRITONPILE_SANDBOX", "1"},
                              {"TMPDIR", scratch.string()},
                              // Only our plugin: third-party ones (pytest-benchmark, ...) run
                              // code of their own at start-up, which the sandbox would refuse.
                              {"PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"},
                              {"PYTHONDONTWRITEBYTECODE", "1"},
                              // Autotuning timings are kept in Triton's cache like its
                              // compiled kernels, so a re-run does not tune again.
                              {"TRITON_CACHE_AUTOTUNING", "1"}}};
  if (!options.triton_cache_dir.empty()) prepared.env["TRITON_CACHE_DIR"] = options.triton_cache_dir;
  if (options.device == "interpret") prepared.env["TRITON_INTERPRET"] = "1";
  if (options.device == "cuda") prepared.env["TRITON_INTERPRET"] = "0";
  return prepared;
}

// Reads what the child left in its scratch directory, then removes the directory.
ValidationResult conclude(const ValidationJob& job, const Prepared& prepared, const ProcessOutcome& outcome,
                          const RunnerOptions& options) {
  ValidationResult result;
  result.entry_id = job.entry_id;
  result.seconds = outcome.wall_seconds;
  std::string output = read_file(prepared.scratch / "output.txt");
  std::string report_text = read_file(prepared.scratch / "report.json");
  if (outcome.memory_exceeded) {
    result.status = "error";
    result.failure_class = "oom";
    result.message = "used more than " + std::to_string(options.max_rss_bytes >> 20) + " MiB of memory";
  } else if (outcome.timed_out) {
    result.status = "error";
    result.failure_class = "timeout";
    result.message = "no result within " + std::to_string(options.timeout.count()) + " s";
  } else if (report_text.empty()) {
    result.status = "error";
    result.failure_class = "crash";
    result.message = (outcome.term_signal ? "killed by signal " + std::to_string(outcome.term_signal)
                                          : "exited " + std::to_string(outcome.exit_code)) +
                     " without a report: " + tail(output, 2000);
  } else {
    auto report = nlohmann::json::parse(report_text, nullptr, /*allow_exceptions=*/false);
    if (report.is_discarded()) {
      result.status = "error";
      result.failure_class = "crash";
      result.message = "unreadable report";
    } else {
      result.status = report.value("status", "error");
      result.failure_class = report.value("failure_class", "");
      result.message = report.value("message", "");
      result.device = report.value("device", "");
      result.torch_version = report.value("torch", "");
      result.triton_version = report.value("triton", "");
      const auto& properties = report["properties"];
      if (properties.is_object()) {
        result.max_abs_err = properties.value("max_abs_err", -1.0);
        result.max_rel_err = properties.value("max_rel_err", -1.0);
        result.speedup = properties.value("speedup", -1.0);
      }
    }
  }
  std::error_code ignored;
  fs::remove_all(prepared.scratch, ignored);
  return result;
}

ValidationResult scratch_failure(const ValidationJob& job) {
  ValidationResult result;
  result.entry_id = job.entry_id;
  result.status = "error";
  result.failure_class = "runtime";
  result.message = "cannot create a scratch directory";
  return result;
}

// GPUs to give one worker each, so no two entries share a GPU while they are timed; 0 in the
// interpreter.
int pinned_gpus(const RunnerOptions& options) { return options.device == "cuda" ? options.gpus : 0; }

int worker_count(const RunnerOptions& options) {
  return pinned_gpus(options) > 0 ? pinned_gpus(options) : std::max(1, options.jobs);
}

// The CUDA_VISIBLE_DEVICES value that gives a child the worker's GPU alone: the worker-th
// GPU this process may use.
std::string gpu_of_worker(int worker) {
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  std::vector<std::string> ids;
  std::istringstream list(visible ? visible : "");
  for (std::string id; std::getline(list, id, ',');) {
    if (!id.empty()) ids.push_back(id);
  }
  return ids.empty() ? std::to_string(worker) : ids[worker % ids.size()];
}

// One fresh Python per entry: the slow path, used when the fork server cannot start. gpu,
// when not empty, is the only GPU the child sees.
ValidationResult validate_in_new_process(const ValidationJob& job, const RunnerOptions& options,
                                         const std::string& gpu) {
  auto prepared = prepare(job, options);
  if (!prepared) return scratch_failure(job);
  if (!gpu.empty()) prepared->env["CUDA_VISIBLE_DEVICES"] = gpu;
  ProcessSpec spec;
  // The arguments of PYTEST_ARGS in python/tritonpile_report.py, which the fork server passes.
  spec.argv = {options.python, "-m", "pytest", "-q", "--tb=native", "-p", "tritonpile_report",
               "-p", "no:cacheprovider", kTestFile};
  spec.working_dir = prepared->scratch.string();
  spec.timeout = options.timeout;
  spec.output_path = (prepared->scratch / "output.txt").string();
  spec.env_set = prepared->env;
  spec.isolate_network = true;
  spec.max_rss_bytes = options.max_rss_bytes;
  auto outcome = run_process(spec);
  if (!outcome) {
    ProcessOutcome failed;
    failed.exit_code = 127;
    return conclude(job, *prepared, failed, options);
  }
  return conclude(job, *prepared, *outcome, options);
}

std::vector<ValidationResult> run_one_process_each(const std::vector<ValidationJob>& jobs,
                                                   const RunnerOptions& options,
                                                   const std::function<void(const ValidationResult&)>& on_result) {
  std::vector<ValidationResult> results(jobs.size());
  std::atomic<size_t> next{0};
  std::mutex report_mutex;
  auto worker = [&](int index) {
    std::string gpu = pinned_gpus(options) > 0 ? gpu_of_worker(index) : "";
    for (size_t i = next++; i < jobs.size(); i = next++) {
      results[i] = validate_in_new_process(jobs[i], options, gpu);
      std::lock_guard<std::mutex> lock(report_mutex);
      if (on_result) on_result(results[i]);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < worker_count(options); ++t) threads.emplace_back(worker, t);
  for (auto& thread : threads) thread.join();
  return results;
}

// Through python/tritonpile_runner.py: torch and triton imported once, a fork per entry.
std::optional<std::vector<ValidationResult>> run_through_fork_server(
    const std::vector<ValidationJob>& jobs, const RunnerOptions& options,
    const std::function<void(const ValidationResult&)>& on_result) {
  ForkServer server;
  // Triton decides at import whether its own jit helpers (tl.max, tl.sum, ...) are interpreted,
  // so the server imports it the way the children will run.
  std::map<std::string, std::string> env = {{"PYTHONPATH", options.plugin_dir},
                                            {"PYTHONDONTWRITEBYTECODE", "1"},
                                            {"TRITON_INTERPRET", options.device == "interpret" ? "1" : "0"}};
  // Spare children load Triton's driver helpers before they have a request: from the same cache.
  if (!options.triton_cache_dir.empty()) env["TRITON_CACHE_DIR"] = options.triton_cache_dir;
  std::vector<std::string> arguments = {"--workers", std::to_string(worker_count(options)),
                                        "--gpus", std::to_string(pinned_gpus(options))};
  if (!server.start(options.python, (fs::path(options.plugin_dir) / "tritonpile_runner.py").string(), arguments,
                    env)) {
    return std::nullopt;
  }
  std::vector<ValidationResult> results(jobs.size());
  std::vector<std::optional<Prepared>> prepared(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    prepared[i] = prepare(jobs[i], options);
    if (!prepared[i]) continue;
    nlohmann::json request = {{"id", std::to_string(i)},
                              {"scratch", prepared[i]->scratch.string()},
                              {"timeout", options.timeout.count()},
                              {"max_rss", options.max_rss_bytes},
                              {"env", prepared[i]->env}};
    server.send(request.dump());
  }
  server.finish_sending();
  std::vector<bool> done(jobs.size(), false);
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!prepared[i]) {
      results[i] = scratch_failure(jobs[i]);
      done[i] = true;
      if (on_result) on_result(results[i]);
    }
  }
  std::string line;
  while (server.read_line(&line)) {
    auto answer = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (answer.is_discarded() || !answer.contains("id")) continue;
    size_t i = std::stoul(answer["id"].get<std::string>());
    if (i >= jobs.size() || done[i]) continue;
    ProcessOutcome outcome;
    outcome.timed_out = answer.value("timed_out", false);
    outcome.memory_exceeded = answer.value("memory_exceeded", false);
    outcome.exit_code = answer["exit_code"].is_number() ? answer["exit_code"].get<int>() : -1;
    outcome.term_signal = answer["signal"].is_number() ? answer["signal"].get<int>() : 0;
    outcome.wall_seconds = answer.value("seconds", 0.0);
    results[i] = conclude(jobs[i], *prepared[i], outcome, options);
    done[i] = true;
    if (on_result) on_result(results[i]);
  }
  // The server died: what it did not answer for is a crash of the runner, not of the entry;
  // run those the slow way.
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (done[i]) continue;
    std::error_code ignored;
    fs::remove_all(prepared[i]->scratch, ignored);
    results[i] = validate_in_new_process(jobs[i], options, "");
    if (on_result) on_result(results[i]);
  }
  return results;
}

}  // namespace

StatusOr<Environment> probe_environment(const RunnerOptions& options) {
  fs::path scratch = make_scratch(options.scratch_root);
  ProcessSpec spec;
  spec.argv = {options.python, "-c",
               "import torch, triton; print(torch.__version__.split('+')[0], triton.__version__, "
               "'cuda' if torch.cuda.is_available() else 'interpret', torch.cuda.device_count())"};
  spec.output_path = (scratch / "probe.txt").string();
  spec.timeout = std::chrono::seconds(120);
  auto outcome = run_process(spec);
  std::string output = read_file(spec.output_path);
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  if (!outcome) return outcome.status();
  if (outcome->exit_code != 0) {
    return Status::error("python " + options.python + " cannot import torch and triton: " + tail(output, 500));
  }
  Environment env;
  std::istringstream in(output);
  in >> env.torch_version >> env.triton_version >> env.device >> env.gpus;
  if (options.device == "interpret") env.device = "interpret";
  if (options.device == "cuda" && env.device != "cuda") {
    return Status::error("--device cuda asked for, but torch sees no GPU");
  }
  return env;
}

std::vector<ValidationResult> run_validations(
    const std::vector<ValidationJob>& jobs, const RunnerOptions& options,
    const std::function<void(const ValidationResult&)>& on_result) {
  if (options.fork_server) {
    if (auto results = run_through_fork_server(jobs, options, on_result)) return *results;
  }
  return run_one_process_each(jobs, options, on_result);
}

}  // namespace tritonpile::validator
