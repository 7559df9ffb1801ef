#include "storage/entry.h"

namespace tritonpile::storage {

int validation_status_rank(std::string_view status) {
  if (status == "passed") return 0;
  if (status == "failed") return 1;
  if (status == "error") return 2;
  return 3;
}

nlohmann::json entry_json(const Entry& entry, const Validation* validation) {
  nlohmann::json metadata = entry.metadata;
  if (validation) {
    auto measured = [](double value) { return value < 0 ? nlohmann::json(nullptr) : nlohmann::json(value); };
    metadata["validation"] = {
        {"status", validation->status},           {"failure_class", validation->failure_class},
        {"device", validation->device},           {"torch", validation->torch_version},
        {"triton", validation->triton_version},   {"max_abs_err", measured(validation->max_abs_err)},
        {"max_rel_err", measured(validation->max_rel_err)}, {"speedup", measured(validation->speedup)}};
  } else {
    metadata["validation"] = {{"status", "skipped"}, {"failure_class", "not-validated"}};
  }
  metadata["split"] = entry.split;
  return {{"id", entry.id},
          {"python_code", entry.python_code},
          {"triton_code", entry.triton_code},
          {"test_code", entry.test_code},
          {"metadata", metadata}};
}

}  // namespace tritonpile::storage
