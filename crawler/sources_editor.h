// Edits sources.json the way a person would: a new source is appended to the 'sources' list
// as text, keeping the file's order, indentation and everything else byte for byte. The
// result is checked by loading it before it replaces the file (atomically).
#pragma once

#include <string>

#include "common/status.h"
#include "crawler/source_spec.h"

namespace tritonpile::crawler {

// A source for url with the kind and name a person would pick: http(s) URLs of .py/.ipynb
// files are "http", other URLs "git", paths "local"; the name is the last path segment
// without ".git".
SourceSpec source_for_url(const std::string& url);

Status append_source(const std::string& path, const SourceSpec& spec);

// The sources.json object for spec: only the keys that differ from their defaults.
std::string source_json(const SourceSpec& spec, int indent);

}  // namespace tritonpile::crawler
