// Jupyter notebooks as Python modules: the code cells in order, joined into one module, with
// IPython magics and shell escapes commented out so the module parses. Where each cell landed
// is kept, so an entry can point back into the notebook.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace tritonpile::crawler {

struct NotebookModule {
  std::string source;
  std::vector<std::pair<int, int>> cells;  // (cell index in the notebook, first line in source)
};

StatusOr<NotebookModule> notebook_to_module(const std::string& notebook_json);

}  // namespace tritonpile::crawler
