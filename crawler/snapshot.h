// A snapshot is what the crawler saw of one source at one moment: the commit (or, for a
// plain directory, a digest of its listing) and every wanted file with its blob id.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tritonpile::crawler {

struct SourceFile {
  std::string path;                    // relative to the source root, '/'-separated
  std::string blob_id;                 // git blob id of the content
  uint64_t size = 0;
  std::optional<std::string> content;  // absent when the blob was already known
};

struct SkipCounts {
  int too_large = 0;
  int binary = 0;
  int unreadable = 0;
};

struct Snapshot {
  std::string source;
  std::string commit;  // git commit id, or "dir:<digest>" for a plain directory
  std::vector<SourceFile> files;
  SkipCounts skipped;
};

struct CrawlOptions {
  std::string cache_dir;                 // where git mirrors live
  uint64_t max_file_bytes = 1 << 20;     // larger files are skipped and counted
  // Blobs for which this returns true are listed without reading their content.
  std::function<bool(const std::string& blob_id)> is_known_blob;
};

}  // namespace tritonpile::crawler
