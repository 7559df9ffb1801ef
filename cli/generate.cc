#include "cli/generate.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hash.h"
#include "common/subprocess.h"
#include "matcher/classifier.h"
#include "matcher/normalizer.h"
#include "matcher/pair.h"
#include "storage/splitter.h"
#include "validator/test_synthesizer.h"

namespace tritonpile::cli {
namespace fs = std::filesystem;

namespace {

StatusOr<storage::Entry> variant_entry(const nlohmann::json& variant, int seed, storage::Store& store) {
  storage::Entry entry;
  auto recipe = variant.at("inputs").get<matcher::InputRecipe>();
  const std::string launcher = variant.at("entry_points").at("triton");
  const std::string reference = variant.at("entry_points").at("python");
  const std::string template_name = variant.at("template");
  entry.python_code = matcher::normalize_layout(variant.at("python_code"));
  entry.triton_code = matcher::normalize_layout(variant.at("triton_code"));
  entry.test_code = validator::synthesize_test(launcher, reference, recipe);
  entry.phase = 2;
  entry.id = "templates/" + template_name + "::" + launcher + "@" +
             xxh64_hex(entry.python_code + '\0' + entry.triton_code).substr(0, 8);
  entry.code_hash = xxh64_hex(entry.python_code + '\0' + entry.triton_code + '\0' + entry.test_code);
  entry.canonical_hash = matcher::canonical_hash(entry.python_code, entry.triton_code);
  auto existing = store.split_of(entry.canonical_hash);
  entry.split = existing ? *existing : storage::assign_split(entry.canonical_hash);
  auto classification = matcher::classify(entry.triton_code);
  int lines = static_cast<int>(std::count(entry.triton_code.begin(), entry.triton_code.end(), '\n'));
  entry.metadata = {
      {"operation_type", variant.value("operation_type", classification.operation_type)},
      {"difficulty", variant.value("difficulty", classification.difficulty)},
      {"tags", classification.tags},
      {"phase", 2},
      {"entry_points", {{"python", reference}, {"triton", launcher}}},
      {"source",
       {{"name", "templates"}, {"url", "templates/"}, {"commit", "seed:" + std::to_string(seed)},
        {"path", template_name}, {"lines", {1, lines}}, {"license", "MIT"}}},
      {"pairing", {{"evidence", "template"}, {"where", "templates/" + template_name}, {"confidence", 1.0}}},
      {"inputs", recipe},
      {"template", {{"name", template_name}, {"params", variant.at("params")}, {"seed", seed}}},
      {"dedup", {{"cluster", entry.canonical_hash}, {"canonical_hash", entry.canonical_hash}}},
  };
  return entry;
}

}  // namespace

StatusOr<GenerateSummary> generate(storage::Store& store, const GenerateOptions& options) {
  fs::path scratch = fs::temp_directory_path() / ("tritonpile-generate-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  ProcessSpec spec;
  spec.argv = {options.python, (fs::path(options.python_dir) / "tritonpile_generate.py").string(), "--count",
               std::to_string(options.count), "--seed", std::to_string(options.seed), "--templates",
               options.templates_dir};
  spec.output_path = (scratch / "variants.jsonl").string();
  spec.timeout = std::chrono::seconds(600);
  auto outcome = run_process(spec);
  std::ifstream in(spec.output_path);
  std::stringstream text;
  text << in.rdbuf();
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  if (!outcome) return outcome.status();
  if (outcome->exit_code != 0) {
    return Status::error("rendering templates failed (exit " + std::to_string(outcome->exit_code) +
                         "): " + text.str().substr(0, 2000));
  }
  GenerateSummary summary;
  std::vector<storage::Entry> entries;
  std::string line;
  while (std::getline(text, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto variant = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (variant.is_discarded()) return Status::error("the renderer printed a line that is not JSON: " + line.substr(0, 200));
    try {
      auto entry = variant_entry(variant, options.seed, store);
      if (!entry) return entry.status();
      entries.push_back(std::move(*entry));
    } catch (const std::exception& e) {
      return Status::error(std::string("a rendered variant lacks a field: ") + e.what());
    }
  }
  summary.rendered = static_cast<int>(entries.size());
  summary.new_entries = store.add_entries(entries);
  return summary;
}

}  // namespace tritonpile::cli
