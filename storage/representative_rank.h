// Which member of a duplicate cluster the dataset keeps: the entry of least rank, compared by,
// in order,
//   1. validation status: passed, failed, error, skipped or not validated
//      (validation_status_rank);
//   2. evidence strength: curated (phase 1), template (phase 2), then the pairing evidence of a
//      crawled entry: test-compare, registration, naive-module, naming, module-wrapper, other;
//   3. licence: a permissive one, another one, none;
//   4. source order: the source's row id (the order of sources.json when first crawled); a
//      source not in the table (templates) comes last;
// and then, in storage/dedup.h, the least id.
//
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/entry.h"

namespace tritonpile::storage {

// What `export` keeps unless told otherwise: permissive licences.
const std::vector<std::string>& permissive_licenses();

// 0 strongest: curated, template, test-compare, registration, naive-module, naming,
// module-wrapper; 7 anything else.
int evidence_rank(int phase, std::string_view evidence);

// The entry's rank as a representative; status is its latest validation's ("" when none).
// source_order maps a source name to its order (Store::source_order).
int64_t representative_rank(const Entry& entry, std::string_view status,
                            const std::map<std::string, int64_t>& source_order);

}  // namespace tritonpile::storage
