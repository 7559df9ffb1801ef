#include "storage/decontaminate.h"

#include <xxhash.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace tritonpile::storage {
namespace {

using nlohmann::json;

bool is_code(const json& value) {
  return value.is_string() && value.get_ref<const std::string&>().find('\n') != std::string::npos;
}

void collect_code(const json& value, const DecontaminationOptions& options, std::vector<std::string>& texts) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      bool named = std::find(options.code_fields.begin(), options.code_fields.end(), key) != options.code_fields.end();
      if (named && is_code(child)) {
        texts.push_back(child.get<std::string>());
      } else {
        collect_code(child, options, texts);
      }
    }
  } else if (value.is_array()) {
    for (const auto& child : value) collect_code(child, options, texts);
  }
}

std::string item_id(const json& item) {
  if (!item.is_object()) return "";
  for (const char* key : {"id", "task_id", "problem_id", "name", "uuid"}) {
    auto it = item.find(key);
    if (it == item.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  }
  return "";
}

// The items of a whole-file JSON value: an array's elements, the elements of an object's
// arrays of objects, or else the object itself.
std::vector<json> items_of_document(json document) {
  if (document.is_array()) return document.get<std::vector<json>>();
  std::vector<json> items;
  if (document.is_object()) {
    for (auto& [key, value] : document.items()) {
      if (value.is_array() && !value.empty() && value.front().is_object()) {
        for (auto& element : value) items.push_back(std::move(element));
      }
    }
    if (items.empty()) items.push_back(std::move(document));
  }
  return items;
}

bool is_json_lines(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  return extension == ".jsonl" || extension == ".ndjson";
}

StatusOr<std::vector<json>> read_items(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("benchmark " + path + ": cannot be read");
  if (!is_json_lines(path)) {
    json document = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
      return Status::error("benchmark " + path + ": not valid JSON (JSONL files must be named *.jsonl)");
    }
    return items_of_document(std::move(document));
  }
  std::vector<json> items;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json item = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (item.is_discarded()) {
      return Status::error("benchmark " + path + ":" + std::to_string(number) + ": not valid JSON");
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The hashes of every window of `width` consecutive normalised tokens of code.
std::vector<uint64_t> token_windows(std::string_view code, int width) {
  std::vector<uint64_t> tokens;
  for (const std::string& token : normalized_tokens(code)) tokens.push_back(XXH3_64bits(token.data(), token.size()));
  std::vector<uint64_t> windows;
  for (size_t i = 0; i + width <= tokens.size(); ++i) {
    windows.push_back(XXH3_64bits(&tokens[i], width * sizeof(uint64_t)));
  }
  return windows;
}

// Whether found beats best: any near-duplicate beats a shared run; then the closer match; then
// the earlier item, so that the report does not depend on hash-table order.
bool better(const Contamination& found, const std::optional<Contamination>& best) {
  if (!best) return true;
  bool found_near = found.reason == "near-duplicate", best_near = best->reason == "near-duplicate";
  if (found_near != best_near) return found_near;
  double found_measure = found_near ? found.jaccard : found.run_tokens;
  double best_measure = best_near ? best->jaccard : best->run_tokens;
  if (found_measure != best_measure) return found_measure > best_measure;
  return found.item < best->item;
}

}  // namespace

StatusOr<std::vector<BenchmarkItem>> load_benchmark(const std::string& path, const DecontaminationOptions& options) {
  auto parsed = read_items(path);
  if (!parsed) return parsed.status();
  std::vector<BenchmarkItem> items;
  for (size_t i = 0; i < parsed->size(); ++i) {
    const json& value = (*parsed)[i];
    BenchmarkItem item{path, static_cast<int>(i), item_id(value), {}};
    if (is_code(value)) item.texts.push_back(value.get<std::string>());
    collect_code(value, options, item.texts);
    if (!item.texts.empty()) items.push_back(std::move(item));
  }
  if (items.empty()) {
    return Status::error("benchmark " + path + ": no item holds code (multi-line strings under one of: " +
                         joined(options.code_fields) + ")");
  }
  return items;
}

StatusOr<std::vector<BenchmarkItem>> load_benchmarks(const std::vector<std::string>& paths,
                                                     const DecontaminationOptions& options) {
  std::vector<BenchmarkItem> all;
  for (const std::string& path : paths) {
    auto items = load_benchmark(path, options);
    if (!items) return items.status();
    for (BenchmarkItem& item : *items) all.push_back(std::move(item));
  }
  return all;
}

ContaminationIndex::ContaminationIndex(std::vector<BenchmarkItem> items, DecontaminationOptions options)
    : items_(std::move(items)), options_(std::move(options)), bands_(kLshBands) {
  for (uint32_t item = 0; item < items_.size(); ++item) {
    for (const std::string& code : items_[item].texts) {
      Text text{item, {}};
      const std::string_view one[] = {code};
      if (!minhash_signature(one, text.signature)) continue;
      uint32_t index = static_cast<uint32_t>(texts_.size());
      for (int band = 0; band < kLshBands; ++band) bands_[band][lsh_band_key(text.signature, band)].push_back(index);
      for (uint64_t window : token_windows(code, options_.min_run_tokens)) {
        auto& holders = windows_[window];
        if (holders.empty() || holders.back() != index) holders.push_back(index);
      }
      texts_.push_back(std::move(text));
    }
  }
}

void ContaminationIndex::check_field(std::string_view field, std::string_view code,
                                     std::optional<Contamination>& best) const {
  MinHashSignature signature;
  const std::string_view one[] = {code};
  if (!minhash_signature(one, signature)) return;
  for (int band = 0; band < kLshBands; ++band) {
    auto bucket = bands_[band].find(lsh_band_key(signature, band));
    if (bucket == bands_[band].end()) continue;
    for (uint32_t index : bucket->second) {
      double jaccard = estimated_jaccard(signature, texts_[index].signature);
      Contamination found{&items_[texts_[index].item], std::string(field), "near-duplicate", jaccard, 0};
      if (jaccard >= options_.threshold && better(found, best)) best = found;
    }
  }
  // For each benchmark text, the longest streak of consecutive windows it shares with the code:
  // a streak of k windows is a shared run of k + min_run_tokens - 1 tokens.
  std::unordered_map<uint32_t, std::pair<size_t, int>> streaks;  // text -> (last position, streak)
  std::unordered_map<uint32_t, int> longest;
  std::vector<uint64_t> windows = token_windows(code, options_.min_run_tokens);
  for (size_t position = 0; position < windows.size(); ++position) {
    auto holders = windows_.find(windows[position]);
    if (holders == windows_.end()) continue;
    for (uint32_t index : holders->second) {
      auto [it, first] = streaks.try_emplace(index, position, 0);
      it->second.second = !first && it->second.first + 1 == position ? it->second.second + 1 : 1;
      it->second.first = position;
      longest[index] = std::max(longest[index], it->second.second);
    }
  }
  for (const auto& [index, streak] : longest) {
    Contamination found{&items_[texts_[index].item], std::string(field), "shared-token-run", 0,
                        streak + options_.min_run_tokens - 1};
    if (better(found, best)) best = found;
  }
}

std::optional<Contamination> ContaminationIndex::find(std::string_view python_code,
                                                      std::string_view triton_code) const {
  std::optional<Contamination> best;
  check_field("python_code", python_code, best);
  check_field("triton_code", triton_code, best);
  return best;
}

}  // namespace tritonpile::storage
