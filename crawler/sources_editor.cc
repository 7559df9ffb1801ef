#include "crawler/sources_editor.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crawler/json_locator.h"

namespace tritonpile::crawler {
namespace {

// The whitespace that starts the line holding offset.
std::string indentation_at(const std::string& text, size_t offset) {
  size_t line_start = text.rfind('\n', offset);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  size_t end = line_start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return text.substr(line_start, end - line_start);
}

std::string indent_lines(const std::string& block, const std::string& indent) {
  std::string out;
  size_t start = 0;
  while (start <= block.size()) {
    size_t end = block.find('\n', start);
    std::string line = block.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += (start == 0 ? "" : "\n" + indent) + line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

SourceSpec source_for_url(const std::string& url) {
  SourceSpec spec;
  spec.url = url;
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return url.size() >= s.size() && url.compare(url.size() - s.size(), s.size(), s) == 0;
  };
  bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  bool remote = web || url.rfind("ssh://", 0) == 0 || url.rfind("git://", 0) == 0 ||
                (url.find('@') != std::string::npos && url.find(':') != std::string::npos);
  if (web && (ends_with(".py") || ends_with(".ipynb"))) {
    spec.kind = "http";
  } else if (remote || ends_with(".git")) {
    spec.kind = "git";
  } else {
    spec.kind = "local";
  }
  std::string path = url;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string name = path.substr(path.find_last_of("/:") + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
  for (const char* suffix : {".py", ".ipynb"}) {
    std::string s(suffix);
    if (spec.kind == "http" && name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      name.resize(name.size() - s.size());
    }
  }
  spec.name = name;
  return spec;
}

std::string source_json(const SourceSpec& spec, int indent) {
  nlohmann::ordered_json object;
  object["name"] = spec.name;
  object["kind"] = spec.kind;
  object["url"] = spec.url;
  if (!spec.ref.empty()) object["ref"] = spec.ref;
  if (!spec.include.empty()) object["include"] = spec.include;
  if (!spec.exclude.empty()) object["exclude"] = spec.exclude;
  if (!spec.license.empty()) object["license"] = spec.license;
  if (!spec.tags.empty()) object["tags"] = spec.tags;
  if (spec.phase != 3) object["phase"] = spec.phase;
  if (!spec.enabled) object["enabled"] = false;
  return object.dump(indent);
}

Status append_source(const std::string& path, const SourceSpec& spec) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(path + ": cannot read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  auto current = load_sources_file(path);
  if (!current) return current.status();

  JsonLocator locator(text);
  size_t begin = 0, end = 0;
  if (!locator.value_span("/sources", &begin, &end)) return Status::error(path + ": no 'sources' list");
  size_t closing = end - 1;  // the ']'
  size_t count = current->sources.size();
  std::string updated;
  if (count == 0) {
    std::string outer = indentation_at(text, closing);
    std::string inner = outer + "  ";
    updated = text.substr(0, begin + 1) + "\n" + inner + indent_lines(source_json(spec, 2), inner) + "\n" + outer +
              text.substr(closing);
  } else {
    size_t last_begin = 0, last_end = 0;
    locator.value_span("/sources/" + std::to_string(count - 1), &last_begin, &last_end);
    std::string indent = indentation_at(text, last_begin);
    // Keep the style of the last element: its indentation and its nesting depth.
    std::string last_text = text.substr(last_begin, last_end - last_begin);
    int step = 2;
    if (size_t nl = last_text.find('\n'); nl != std::string::npos) {
      size_t spaces = 0;
      while (nl + 1 + spaces < last_text.size() && last_text[nl + 1 + spaces] == ' ') ++spaces;
      if (spaces > indent.size()) step = static_cast<int>(spaces - indent.size());
    }
    updated = text.substr(0, last_end) + ",\n" + indent + indent_lines(source_json(spec, step), indent) +
              text.substr(last_end);
  }
  const std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << updated;
    if (!out) return Status::error("cannot write " + temporary);
  }
  auto check = load_sources_file(temporary);
  if (!check || check->sources.size() != count + 1) {
    std::filesystem::remove(temporary);
    return Status::error(path + ": the edited file did not load back: " +
                         (check ? std::string("wrong source count") : check.status().message()));
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Status::error("cannot replace " + path + ": " + ec.message());
  return Status::ok();
}

}  // namespace tritonpile::crawler
