// The dataset card: DIR/README.md, what a person reads first about an export (what the files
// hold, how the dataset was filtered, deduplicated, split and decontaminated, and counts per
// split, phase, operation type, difficulty, source and validation status), and
// DIR/distribution.svg, those distributions as a chart the card shows. Neither holds a
// timestamp: the same plan always gives the same bytes, so re-exporting is idempotent.
//
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "storage/dataset_plan.h"

namespace tritonpile::storage {

inline constexpr const char* kDistributionChart = "distribution.svg";

std::string dataset_card_markdown(const DatasetPlan& plan, const DatasetOptions& options);

std::string dataset_distribution_svg(const DatasetPlan& plan);

}  // namespace tritonpile::storage
