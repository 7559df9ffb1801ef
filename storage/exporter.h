// Writes the dataset into a directory:
//   train/entries.jsonl, test/entries.jsonl, validation/entries.jsonl: one entry (DESIGN.md
//     format) per line, sorted by id, metadata.split and metadata.dedup filled in;
//   dedup.jsonl: one line per entry left out as a duplicate, naming its representative;
//   decontamination.jsonl: one line per entry left out as benchmark contamination;
//   README.md and distribution.svg: the dataset card (storage/dataset_card.h).
// What goes where is storage/dataset_plan.h's plan. The splits the plan fixes for the first
// time are stored before any file is written, so an entry never changes split. Each file is
// written beside its final name and renamed into place, so readers never see half a file, and
// the same database always exports the same bytes.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/dataset_plan.h"
#include "storage/representative_rank.h"
#include "storage/store.h"

namespace tritonpile::storage {

StatusOr<DatasetCounts> export_dataset(Store& store, const std::string& directory, const DatasetOptions& options);

}  // namespace tritonpile::storage
