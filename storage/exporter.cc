#include "storage/exporter.h"

#include <filesystem>
#include <fstream>

namespace tritonpile::storage {
namespace fs = std::filesystem;

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
