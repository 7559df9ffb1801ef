#include "validator/runner.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/subprocess.h"
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

ValidationResult validate_one(const ValidationJob& job, const RunnerOptions& options) {
  ValidationResult result;
  result.entry_id = job.entry_id;
  fs::path scratch = make_scratch(options.scratch_root);
  if (scratch.empty()) {
    result.status = "error";
    result.failure_class = "runtime";
    result.message = "cannot create a scratch directory";
    return result;
  }
  write_file(scratch / kReferenceFile, job.python_code);
  write_file(scratch / kTritonFile, job.triton_code);
  write_file(scratch / kTestFile, job.test_code);

  ProcessSpec spec;
  spec.argv = {options.python, "-m", "pytest", "-q", "-p", "tritonpile_report", "-p", "no:cacheprovider",
               kTestFile};
  spec.working_dir = scratch.string();
  spec.timeout = options.timeout;
  spec.output_path = (scratch / "output.txt").string();
  spec.env_set = {{"PYTHONPATH", options.plugin_dir},
                  {"TRITONPILE_REPORT", (scratch / "report.json").string()},
                  {"TRITONPILE_SANDBOX", "1"},
                  {"TMPDIR", scratch.string()},
                  {"PYTHONDONTWRITEBYTECODE", "1"}};
  if (!options.triton_cache_dir.empty()) spec.env_set["TRITON_CACHE_DIR"] = options.triton_cache_dir;
  spec.isolate_network = true;
  spec.max_rss_bytes = options.max_rss_bytes;
  if (options.device == "interpret") spec.env_set["TRITON_INTERPRET"] = "1";
  if (options.device == "cuda") spec.env_unset.push_back("TRITON_INTERPRET");

  auto outcome = run_process(spec);
  std::string output = read_file(scratch / "output.txt");
  std::string report_text = read_file(scratch / "report.json");
  if (!outcome) {
    result.status = "error";
    result.failure_class = "crash";
    result.message = outcome.status().message();
  } else if (outcome->memory_exceeded) {
    result.status = "error";
    result.failure_class = "oom";
    result.message = "used more than " + std::to_string(options.max_rss_bytes >> 20) + " MiB of memory";
  } else if (outcome->timed_out) {
    result.status = "error";
    result.failure_class = "timeout";
    result.message = "no result within " + std::to_string(options.timeout.count()) + " s";
  } else if (report_text.empty()) {
    result.status = "error";
    result.failure_class = "crash";
    result.message = (outcome->term_signal ? "killed by signal " + std::to_string(outcome->term_signal)
                                           : "exited " + std::to_string(outcome->exit_code)) +
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
  if (outcome) result.seconds = outcome->wall_seconds;
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return result;
}

}  // namespace

StatusOr<Environment> probe_environment(const RunnerOptions& options) {
  fs::path scratch = make_scratch(options.scratch_root);
  ProcessSpec spec;
  spec.argv = {options.python, "-c",
               "import torch, triton; print(torch.__version__.split('+')[0], triton.__version__, "
               "'cuda' if torch.cuda.is_available() else 'interpret')"};
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
  in >> env.torch_version >> env.triton_version >> env.device;
  if (options.device == "interpret") env.device = "interpret";
  if (options.device == "cuda" && env.device != "cuda") {
    return Status::error("--device cuda asked for, but torch sees no GPU");
  }
  return env;
}

std::vector<ValidationResult> run_validations(
    const std::vector<ValidationJob>& jobs, const RunnerOptions& options,
    const std::function<void(const ValidationResult&)>& on_result) {
  std::vector<ValidationResult> results(jobs.size());
  std::atomic<size_t> next{0};
  std::mutex report_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      results[i] = validate_one(jobs[i], options);
      std::lock_guard<std::mutex> lock(report_mutex);
      if (on_result) on_result(results[i]);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, options.jobs); ++t) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  return results;
}

}  // namespace tritonpile::validator
