#include "crawler/notebook.h"

#include <nlohmann/json.hpp>

namespace tritonpile::crawler {

StatusOr<NotebookModule> notebook_to_module(const std::string& notebook_json) {
  auto notebook = nlohmann::json::parse(notebook_json, nullptr, /*allow_exceptions=*/false);
  if (notebook.is_discarded() || !notebook.is_object()) return Status::error("not a JSON notebook");
  if (!notebook.contains("cells") || !notebook["cells"].is_array()) {
    return Status::error("notebook has no 'cells' list (only nbformat 4 is read)");
  }
  NotebookModule module;
  int line = 1;
  const auto& cells = notebook["cells"];
  for (size_t index = 0; index < cells.size(); ++index) {
    const auto& cell = cells[index];
    if (!cell.is_object() || cell.value("cell_type", "") != "code" || !cell.contains("source")) continue;
    std::string text;
    if (cell["source"].is_string()) {
      text = cell["source"].get<std::string>();
    } else if (cell["source"].is_array()) {
      for (const auto& part : cell["source"]) {
        if (part.is_string()) text += part.get<std::string>();
      }
    }
    std::string cleaned;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      std::string current = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      size_t first = current.find_first_not_of(" \t");
      if (first != std::string::npos && (current[first] == '%' || current[first] == '!')) current = "# " + current;
      cleaned += current + "\n";
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (cleaned.find_first_not_of(" \t\n") == std::string::npos) continue;
    if (!module.source.empty()) {
      module.source += "\n\n";
      line += 2;
    }
    module.cells.emplace_back(static_cast<int>(index), line);
    module.source += cleaned;
    for (char c : cleaned) line += c == '\n';
  }
  return module;
}

}  // namespace tritonpile::crawler
