#include "crawler/local_dir_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hash.h"
#include "crawler/crawler.h"
#include "crawler/license_detector.h"
#include "crawler/utf8.h"

namespace tritonpile::crawler {
namespace fs = std::filesystem;

namespace {

bool is_skipped_directory(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || name == "__pycache__" || name == "node_modules";
}

bool looks_binary(const std::string& content) {
  return content.find('\0') != std::string::npos;
}

}  // namespace

StatusOr<Snapshot> read_local_directory(const SourceSpec& spec, const CrawlOptions& options) {
  Snapshot snapshot;
  const fs::path root(spec.local_path);
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return Status::error("cannot list " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::error("cannot list " + root.string() + ": " + ec.message());
    if (it->is_directory() && is_skipped_directory(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    // Symlinks are not followed: a source cannot reach outside its own directory.
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const std::string relative = fs::relative(it->path(), root).generic_string();
    if (it.depth() == 0 && snapshot.license.empty() && is_license_file(relative)) {
      std::ifstream license(it->path(), std::ios::binary);
      std::stringstream text;
      text << license.rdbuf();
      snapshot.license = detect_license(text.str());
    }
    if (!wanted_path(spec, relative)) continue;
    if (!is_valid_utf8(relative)) {
      ++snapshot.skipped.not_utf8;
      continue;
    }
    if (it->file_size() > options.max_file_bytes) {
      ++snapshot.skipped.too_large;
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      ++snapshot.skipped.unreadable;
      continue;
    }
    std::string content = buffer.str();
    if (looks_binary(content)) {
      ++snapshot.skipped.binary;
      continue;
    }
    if (!is_valid_utf8(content)) {
      ++snapshot.skipped.not_utf8;
      continue;
    }
    SourceFile file;
    file.path = relative;
    file.blob_id = git_blob_id(content);
    file.size = content.size();
    if (!options.is_known_blob || !options.is_known_blob(file.blob_id)) file.content = std::move(content);
    snapshot.files.push_back(std::move(file));
  }
  std::sort(snapshot.files.begin(), snapshot.files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  std::string listing;
  for (const auto& file : snapshot.files) listing += file.path + '\0' + file.blob_id + '\n';
  snapshot.commit = "dir:" + xxh64_hex(listing);
  return snapshot;
}

}  // namespace tritonpile::crawler
