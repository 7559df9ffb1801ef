// A dataset entry as storage keeps it (DESIGN.md, "An exported entry"): the three code fields
// and the metadata, with the latest validation merged in when it is exported.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tritonpile::storage {

struct Entry {
  std::string id;  // source/path::launcher@hash8, stable while the code is the same
  int phase = 3;
  std::string python_code;
  std::string triton_code;
  std::string test_code;
  std::string code_hash;       // of the three code fields: a change re-validates the entry
  std::string canonical_hash;  // exact-duplicate identity
  // train | test | validation: the dataset split an export fixed (cluster grouping), else the
  // provisional one the entry got when stored.
  std::string split;
  nlohmann::json metadata;     // without "validation"
};

struct Validation {
  std::string entry_id;
  std::string code_hash;
  std::string environment;
  std::string status;
  std::string failure_class;
  std::string message;
  std::string device;
  std::string torch_version;
  std::string triton_version;
  double max_abs_err = -1;  // -1: not measured
  double max_rel_err = -1;
  double speedup = -1;
  double seconds = 0;
};

// Validation statuses from best to worst: passed 0, failed 1 (it ran, with wrong values),
// error 2 (it did not run), skipped or anything else (not validated) 3.
int validation_status_rank(std::string_view status);

// The entry as one exported JSON object, validation included when there is one.
nlohmann::json entry_json(const Entry& entry, const Validation* validation);

}  // namespace tritonpile::storage
