#include "crawler/source_spec.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "crawler/json_locator.h"
#include "crawler/path_glob.h"

namespace tritonpile::crawler {
namespace {

using nlohmann::json;
constexpr int kSupportedVersion = 1;

// A problem found in valid JSON, with the JSON pointer of where it is.
struct Problem {
  std::string pointer;
  std::string message;
};

std::optional<Problem> read_string_list(const json& value, const std::string& pointer, const std::string& key,
                                        std::vector<std::string>* out) {
  if (!value.is_array()) return Problem{pointer, "'" + key + "' must be a list of strings"};
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) return Problem{pointer + "/" + std::to_string(i), "'" + key + "' must be a list of strings"};
    out->push_back(value[i].get<std::string>());
  }
  return std::nullopt;
}

std::optional<Problem> read_source(const json& object, const std::string& pointer,
                                   const std::filesystem::path& base, SourceSpec* spec) {
  static const std::set<std::string> kKeys = {"name",    "kind",    "url",  "ref",     "include",
                                              "exclude", "license", "tags", "enabled", "phase"};
  if (!object.is_object()) return Problem{pointer, "each source must be an object"};
  for (const auto& [key, value] : object.items()) {
    if (!kKeys.count(key)) return Problem{pointer + "/" + key, "unknown key '" + key + "'"};
  }
  for (auto [key, out, required] : {std::tuple{"name", &spec->name, true}, {"kind", &spec->kind, true},
                                    {"url", &spec->url, true}, {"ref", &spec->ref, false},
                                    {"license", &spec->license, false}}) {
    if (!object.contains(key)) {
      if (required) return Problem{pointer, std::string("missing '") + key + "'"};
      continue;
    }
    if (!object[key].is_string()) return Problem{pointer + "/" + key, std::string("'") + key + "' must be a string"};
    *out = object[key].get<std::string>();
  }
  if (spec->kind != "git" && spec->kind != "local" && spec->kind != "http") {
    return Problem{pointer + "/kind", "kind '" + spec->kind + "' is not one of git, local, http"};
  }
  if (spec->kind == "http" && spec->url.rfind("http://", 0) != 0 && spec->url.rfind("https://", 0) != 0) {
    return Problem{pointer + "/url", "an http source needs an http:// or https:// url"};
  }
  for (auto [key, list] : {std::pair{"include", &spec->include}, {"exclude", &spec->exclude}, {"tags", &spec->tags}}) {
    if (!object.contains(key)) continue;
    if (auto problem = read_string_list(object[key], pointer + "/" + key, key, list)) return problem;
  }
  for (auto [key, globs] : {std::pair{"include", &spec->include}, {"exclude", &spec->exclude}}) {
    for (size_t i = 0; i < globs->size(); ++i) {
      if (auto status = check_glob((*globs)[i]); !status) {
        return Problem{pointer + "/" + key + "/" + std::to_string(i), status.message()};
      }
    }
  }
  if (object.contains("enabled")) {
    if (!object["enabled"].is_boolean()) return Problem{pointer + "/enabled", "'enabled' must be true or false"};
    spec->enabled = object["enabled"].get<bool>();
  }
  if (object.contains("phase")) {
    const auto& phase = object["phase"];
    if (!phase.is_number_integer() || phase.get<int>() < 1 || phase.get<int>() > 3) {
      return Problem{pointer + "/phase", "'phase' must be 1, 2 or 3"};
    }
    spec->phase = phase.get<int>();
  }
  if (spec->kind == "local") {
    std::filesystem::path path(spec->url.rfind("file://", 0) == 0 ? spec->url.substr(7) : spec->url);
    if (path.is_relative()) path = base / path;
    spec->local_path = std::filesystem::weakly_canonical(path).string();
  }
  return std::nullopt;
}

std::optional<Problem> read_rewrites(const json& value, std::vector<UrlRewrite>* out) {
  if (!value.is_array()) return Problem{"/url_rewrites", "'url_rewrites' must be a list"};
  for (size_t i = 0; i < value.size(); ++i) {
    std::string pointer = "/url_rewrites/" + std::to_string(i);
    const auto& item = value[i];
    if (!item.is_object() || !item.contains("base") || !item.contains("instead_of") || !item["base"].is_string() ||
        !item["instead_of"].is_string() || item.size() != 2) {
      return Problem{pointer, "each url rewrite is {\"base\": \"...\", \"instead_of\": \"...\"}"};
    }
    out->push_back({item["base"].get<std::string>(), item["instead_of"].get<std::string>()});
  }
  return std::nullopt;
}

std::optional<Problem> read_document(const json& document, const std::filesystem::path& base, SourcesFile* file) {
  if (!document.is_object() || !document.contains("sources") || !document["sources"].is_array()) {
    return Problem{"", "expected an object with a 'sources' list"};
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "version" && key != "sources" && key != "url_rewrites") return Problem{"/" + key, "unknown key '" + key + "'"};
  }
  if (document.contains("version")) {
    if (!document["version"].is_number_integer()) return Problem{"/version", "'version' must be an integer"};
    file->version = document["version"].get<int>();
  }
  if (file->version != kSupportedVersion) {
    return Problem{"/version", "schema version " + std::to_string(file->version) +
                                   " is not supported (this build reads version " +
                                   std::to_string(kSupportedVersion) + ")"};
  }
  if (document.contains("url_rewrites")) {
    if (auto problem = read_rewrites(document["url_rewrites"], &file->url_rewrites)) return problem;
  }
  std::set<std::string> names;
  const auto& sources = document["sources"];
  for (size_t i = 0; i < sources.size(); ++i) {
    std::string pointer = "/sources/" + std::to_string(i);
    SourceSpec spec;
    if (auto problem = read_source(sources[i], pointer, base, &spec)) {
      bool named = sources[i].is_object() && sources[i].contains("name") && sources[i]["name"].is_string();
      std::string label = named ? "'" + sources[i]["name"].get<std::string>() + "'" : "#" + std::to_string(i + 1);
      problem->message = "source " + label + ": " + problem->message;
      return problem;
    }
    if (!names.insert(spec.name).second) {
      return Problem{pointer + "/name", "source '" + spec.name + "' is listed twice"};
    }
    file->sources.push_back(std::move(spec));
  }
  return std::nullopt;
}

}  // namespace

std::string rewrite_url(const std::string& url, const std::vector<UrlRewrite>& rewrites) {
  const UrlRewrite* best = nullptr;
  for (const auto& rewrite : rewrites) {
    if (url.rfind(rewrite.instead_of, 0) == 0 && (!best || rewrite.instead_of.size() > best->instead_of.size())) {
      best = &rewrite;
    }
  }
  return best ? best->base + url.substr(best->instead_of.size()) : url;
}

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
    std::string what = e.what();
    auto detail = what.find("syntax error");
    // nlohmann reports the byte just past the offending token.
    size_t at = e.byte > 0 ? e.byte - 1 : 0;
    return Status::error(path + ":" + line_and_column(text, at) + ": invalid JSON: " +
                         (detail == std::string::npos ? what : what.substr(detail)));
  }
  SourcesFile file;
  file.path = path;
  if (auto problem = read_document(document, std::filesystem::absolute(path).parent_path(), &file)) {
    return Status::error(path + ":" + JsonLocator(text).position(problem->pointer) + ": " + problem->message);
  }
  return file;
}

}  // namespace tritonpile::crawler
