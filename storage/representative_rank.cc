#include "storage/representative_rank.h"

#include <algorithm>

namespace tritonpile::storage {
namespace {

std::string metadata_string(const Entry& entry, const char* object, const char* key) {
  if (!entry.metadata.contains(object) || !entry.metadata[object].is_object()) return "";
  const auto& value = entry.metadata[object];
  return value.contains(key) && value[key].is_string() ? value[key].get<std::string>() : "";
}

int license_rank(const std::string& license) {
  if (license.empty()) return 2;
  const auto& permissive = permissive_licenses();
  return std::find(permissive.begin(), permissive.end(), license) == permissive.end() ? 1 : 0;
}

}  // namespace

const std::vector<std::string>& permissive_licenses() {
  static const std::vector<std::string> licenses = {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause",
                                                    "ISC", "Unlicense", "CC0-1.0", "Zlib", "PSF-2.0"};
  return licenses;
}

int evidence_rank(int phase, std::string_view evidence) {
  if (phase == 1) return 0;
  if (phase == 2) return 1;
  static constexpr std::string_view kCrawled[] = {"test-compare", "registration", "naive-module", "naming",
                                                  "module-wrapper"};
  for (int i = 0; i < 5; ++i) {
    if (evidence == kCrawled[i]) return 2 + i;
  }
  return 7;
}

int64_t representative_rank(const Entry& entry, std::string_view status,
                            const std::map<std::string, int64_t>& source_order) {
  auto source = source_order.find(metadata_string(entry, "source", "name"));
  // Source ids are row ids, far below 2^32; an unknown source sorts after every known one.
  int64_t order = source == source_order.end() ? 0xffffffffLL : std::min<int64_t>(source->second, 0xfffffffeLL);
  int64_t rank = validation_status_rank(status);
  rank = rank * 8 + evidence_rank(entry.phase, metadata_string(entry, "pairing", "evidence"));
  rank = rank * 4 + license_rank(metadata_string(entry, "source", "license"));
  return (rank << 32) | order;
}

}  // namespace tritonpile::storage
