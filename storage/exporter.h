// Writes the dataset: DIR/{train,test,validation}/entries.jsonl, one entry (DESIGN.md format)
// per line, sorted by id so the same database always exports the same bytes. Each file is
// written beside its final name and renamed into place, so readers never see half a file.
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace tritonpile::storage {

struct ExportCounts {
  std::map<std::string, int> per_split;
  int total = 0;
  std::map<std::string, int> excluded_by_license;  // licence ("" for none) -> entries left out
};

// What `export` keeps unless told otherwise: permissive licences.
const std::vector<std::string>& permissive_licenses();

StatusOr<ExportCounts> export_dataset(Store& store, const std::string& directory, const EntryFilter& filter);

}  // namespace tritonpile::storage
