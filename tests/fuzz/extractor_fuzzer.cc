// libFuzzer target: any bytes given to the extractor must come back as a FileExtraction (and
// serialise, as storage does) without a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "extractor/file_extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  auto extraction = tritonpile::extractor::extract_file(source, size % 2 ? "ops/naive.py" : "ops/kernels.py");
  nlohmann::json(extraction).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
