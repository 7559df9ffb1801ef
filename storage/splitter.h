// Assigns train/test/validation. The split is a pure function of the entry's canonical hash,
// so exact duplicates always share a split and an entry's split never depends on what else
// is in the database.
#pragma once

#include <string>

namespace tritonpile::storage {

struct SplitRatios {
  double train = 0.8;
  double test = 0.1;  // validation gets the rest
};

std::string assign_split(const std::string& canonical_hash, const SplitRatios& ratios = {});

}  // namespace tritonpile::storage
