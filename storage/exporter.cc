#include "storage/exporter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace tritonpile::storage {
namespace fs = std::filesystem;

const std::vector<std::string>& permissive_licenses() {
  static const std::vector<std::string> licenses = {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause",
                                                    "ISC", "Unlicense", "CC0-1.0", "Zlib", "PSF-2.0"};
  return licenses;
}

StatusOr<ExportCounts> export_dataset(Store& store, const std::string& directory, const EntryFilter& filter) {
  ExportCounts counts;
  for (const char* split : {"train", "test", "validation"}) {
    EntryFilter split_filter = filter;
    split_filter.split = split;
    fs::path dir = fs::path(directory) / split;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::error("cannot create " + dir.string() + ": " + ec.message());
    fs::path final_path = dir / "entries.jsonl";
    fs::path temporary = dir / "entries.jsonl.partial";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error("cannot write " + temporary.string());
    int written = 0;
    for (const auto& entry : store.entries(split_filter)) {
      if (!filter.licenses.empty()) {
        std::string license = entry.metadata.contains("source") ? entry.metadata["source"].value("license", "") : "";
        if (std::find(filter.licenses.begin(), filter.licenses.end(), license) == filter.licenses.end()) {
          ++counts.excluded_by_license[license];
          continue;
        }
      }
      auto validation = store.latest_validation(entry.id);
      out << entry_json(entry, validation ? &*validation : nullptr).dump() << '\n';
      ++written;
    }
    out.close();
    if (!out) return Status::error("write failed: " + temporary.string());
    fs::rename(temporary, final_path, ec);
    if (ec) return Status::error("cannot move " + temporary.string() + " into place: " + ec.message());
    counts.per_split[split] = written;
    counts.total += written;
  }
  return counts;
}

}  // namespace tritonpile::storage
