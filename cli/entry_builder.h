// Turns a matched pair into a dataset entry: its stable id, synthesized test_code and the
// metadata of DESIGN.md (validation is added at export).
#pragma once

#include <string>

#include "crawler/source_spec.h"
#include "matcher/pair.h"
#include "storage/entry.h"
#include "storage/store.h"

namespace tritonpile::cli {

storage::Entry build_entry(const crawler::SourceSpec& source, const std::string& commit,
                           const matcher::Pair& pair, storage::Store& store);

storage::PairRecord pair_record(const matcher::Pair& pair);

}  // namespace tritonpile::cli
