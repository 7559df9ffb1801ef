// Asks a source whether it answers, without crawling it: ls-remote for git, HEAD for http,
// a directory check for local sources. Used by `sources add` and `sources check`.
#pragma once

#include <string>

#include "crawler/snapshot.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

// "" when the source answers, else the reason it does not.
std::string probe_source(const SourceSpec& spec, const CrawlOptions& options);

}  // namespace tritonpile::crawler
