// A snapshot is what the crawler saw of one source at one moment: the commit (or, for a
// plain directory, a digest of its listing) and every wanted file with its blob id.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "crawler/source_spec.h"

namespace tritonpile::crawler {

struct SourceFile {
  std::string path;                    // relative to the source root, '/'-separated
  std::string blob_id;                 // git blob id of the content
  uint64_t size = 0;
  std::optional<std::string> content;  // absent when the blob was already known
  std::string provenance;              // JSON; for notebooks the cell map, else empty
};

struct Submodule {
  std::string path;
  std::string commit;
};

// What an HTTP source answered last time, for a conditional request now.
struct HttpState {
  std::string etag;
  std::string last_modified;
  std::string blob_id;
  std::string path;
  std::string provenance;
};

struct HttpOptions {
  long connect_timeout_ms = 10000;
  long total_timeout_ms = 120000;
  int max_retries = 3;            // on 429 and 5xx
  double backoff_seconds = 1.0;   // doubled each retry, unless Retry-After says otherwise
  double max_retry_after_seconds = 60;
};

// Progress of one source, for people watching a long crawl.
struct CrawlProgress {
  std::string source;
  std::string stage;  // "receiving objects", "listing files"
  size_t done = 0;
  size_t total = 0;
};

struct SkipCounts {
  int too_large = 0;
  int binary = 0;
  int not_utf8 = 0;  // content or path
  int unreadable = 0;
};

struct Snapshot {
  std::string source;
  std::string commit;  // git commit id, "dir:<digest>" for a plain directory, "blob:<id>" over HTTP
  bool unchanged = false;  // the commit is CrawlOptions::unchanged_commit: files not listed
  std::vector<SourceFile> files;
  std::vector<Submodule> submodules;  // recorded, never followed
  SkipCounts skipped;
  HttpState http;                     // HTTP sources: what to send next time
  std::string license;                // SPDX id detected from the root licence file, if any
};

struct CrawlOptions {
  std::string cache_dir;                 // where git mirrors live
  uint64_t max_file_bytes = 1 << 20;     // larger files are skipped and counted
  // Blobs for which this returns true are listed without reading their content.
  std::function<bool(const std::string& blob_id)> is_known_blob;
  // When the resolved commit equals this, the snapshot comes back unchanged and unlisted.
  std::string unchanged_commit;
  HttpState previous_http;
  HttpOptions http;
  std::vector<UrlRewrite> url_rewrites;
  std::function<void(const CrawlProgress&)> on_progress;
};

}  // namespace tritonpile::crawler
