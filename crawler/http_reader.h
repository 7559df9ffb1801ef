// Single files over HTTP(S) through libcurl: a .py module or a .ipynb notebook. Sends the
// previous ETag / Last-Modified so an unchanged file costs one 304, follows redirects,
// retries 429 and 5xx with backoff (honouring Retry-After), caps the size, and refuses
// content that is not Python (an HTML error page, binary, not UTF-8).
#pragma once

#include <string>

#include "common/status.h"
#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

StatusOr<Snapshot> read_http_source(const SourceSpec& spec, const std::string& url, const CrawlOptions& options);

// Asks url whether it answers (HEAD, falling back to a ranged GET); "" when it does.
std::string probe_http(const std::string& url, const HttpOptions& options);

}  // namespace tritonpile::crawler
