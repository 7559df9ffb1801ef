#include "crawler/source_spec.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "crawler/path_glob.h"

namespace tritonpile::crawler {
namespace {

using nlohmann::json;
constexpr int kSupportedVersion = 1;

std::string line_and_column(const std::string& text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

Status read_string_list(const json& value, const std::string& key, std::vector<std::string>* out) {
  if (!value.is_array()) return Status::error("'" + key + "' must be a list of strings");
  for (const auto& item : value) {
    if (!item.is_string()) return Status::error("'" + key + "' must be a list of strings");
    out->push_back(item.get<std::string>());
  }
  return Status::ok();
}

Status read_source(const json& object, const std::filesystem::path& base, SourceSpec* spec) {
  static const std::set<std::string> kKeys = {"name",    "kind", "url",   "ref",     "include",
                                              "exclude", "license", "tags", "enabled", "phase"};
  if (!object.is_object()) return Status::error("each source must be an object");
  for (const auto& [key, value] : object.items()) {
    if (!kKeys.count(key)) return Status::error("unknown key '" + key + "'");
  }
  auto text = [&](const char* key, std::string* out, bool required) -> Status {
    if (!object.contains(key)) {
      return required ? Status::error(std::string("missing '") + key + "'") : Status::ok();
    }
    if (!object[key].is_string()) return Status::error(std::string("'") + key + "' must be a string");
    *out = object[key].get<std::string>();
    return Status::ok();
  };
  for (auto status : {text("name", &spec->name, true), text("kind", &spec->kind, true),
                      text("url", &spec->url, true), text("ref", &spec->ref, false),
                      text("license", &spec->license, false)}) {
    if (!status) return status;
  }
  if (spec->kind != "git" && spec->kind != "local" && spec->kind != "http") {
    return Status::error("kind '" + spec->kind + "' is not one of git, local, http");
  }
  for (const char* key : {"include", "exclude", "tags"}) {
    if (!object.contains(key)) continue;
    auto* list = std::string(key) == "include" ? &spec->include
                 : std::string(key) == "exclude" ? &spec->exclude : &spec->tags;
    if (auto status = read_string_list(object[key], key, list); !status) return status;
  }
  for (const auto* globs : {&spec->include, &spec->exclude}) {
    for (const auto& glob : *globs) {
      if (auto status = check_glob(glob); !status) return status;
    }
  }
  if (object.contains("enabled")) {
    if (!object["enabled"].is_boolean()) return Status::error("'enabled' must be true or false");
    spec->enabled = object["enabled"].get<bool>();
  }
  if (object.contains("phase")) {
    if (!object["phase"].is_number_integer() || object["phase"].get<int>() < 1 ||
        object["phase"].get<int>() > 3) {
      return Status::error("'phase' must be 1, 2 or 3");
    }
    spec->phase = object["phase"].get<int>();
  }
  if (spec->kind == "local") {
    std::filesystem::path path(spec->url);
    if (spec->url.rfind("file://", 0) == 0) path = spec->url.substr(7);
    if (path.is_relative()) path = base / path;
    spec->local_path = std::filesystem::weakly_canonical(path).string();
  }
  return Status::ok();
}

}  // namespace

StatusOr<SourcesFile> load_sources_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(path + ": cannot read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports the byte just past the offending token.
    size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    auto detail = what.find("syntax error");
    return Status::error(path + ":" + line_and_column(text, at) + ": invalid JSON: " +
                         (detail == std::string::npos ? what : what.substr(detail)));
  }
  if (!document.is_object() || !document.contains("sources") || !document["sources"].is_array()) {
    return Status::error(path + ": expected an object with a 'sources' list");
  }
  SourcesFile file;
  file.path = path;
  if (document.contains("version")) {
    if (!document["version"].is_number_integer()) return Status::error(path + ": 'version' must be an integer");
    file.version = document["version"].get<int>();
  }
  if (file.version != kSupportedVersion) {
    return Status::error(path + ": schema version " + std::to_string(file.version) +
                         " is not supported (this build reads version " +
                         std::to_string(kSupportedVersion) + ")");
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "version" && key != "sources") return Status::error(path + ": unknown key '" + key + "'");
  }
  const auto base = std::filesystem::absolute(path).parent_path();
  std::set<std::string> names;
  int index = 0;
  for (const auto& object : document["sources"]) {
    SourceSpec spec;
    Status status = read_source(object, base, &spec);
    bool named = object.is_object() && object.contains("name") && object["name"].is_string();
    std::string label = named ? "'" + object["name"].get<std::string>() + "'" : "#" + std::to_string(index);
    if (!status) return status.with_context(path + ": source " + label);
    if (!names.insert(spec.name).second) {
      return Status::error(path + ": source '" + spec.name + "' is listed twice");
    }
    file.sources.push_back(std::move(spec));
    ++index;
  }
  return file;
}

}  // namespace tritonpile::crawler
