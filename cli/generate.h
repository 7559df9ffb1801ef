// Phase 2: template-generated variants of the foundational kernels. The Jinja2 templates in
// templates/ are rendered by python/tritonpile_generate.py (deterministic for a seed); each
// variant becomes a phase-2 entry with its template and parameters as provenance, a
// synthesized test like any other entry's, and an id that identical renders share.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace tritonpile::cli {

struct GenerateOptions {
  int count = 0;
  int seed = 0;
  std::string python;         // runs the renderer
  std::string python_dir;     // holds tritonpile_generate.py
  std::string templates_dir;
};

struct GenerateSummary {
  int rendered = 0;
  int new_entries = 0;
};

StatusOr<GenerateSummary> generate(storage::Store& store, const GenerateOptions& options);

}  // namespace tritonpile::cli
