// What validating one entry produced. Statuses and failure classes follow DESIGN.md:
// passed; failed (wrong values); error with a class (compile, runtime, timeout, oom, crash,
// import, unsupported-in-interpreter, sandbox-violation); skipped with a reason.
#pragma once

#include <string>

namespace tritonpile::validator {

struct ValidationJob {
  std::string entry_id;
  std::string python_code;
  std::string triton_code;
  std::string test_code;
};

struct ValidationResult {
  std::string entry_id;
  std::string status;
  std::string failure_class;
  std::string message;   // the first failure, for people
  std::string device;    // "H100", "interpreter", ...
  std::string torch_version;
  std::string triton_version;
  double max_abs_err = -1;  // -1: not measured
  double max_rel_err = -1;
  double speedup = -1;
  double seconds = 0;
};

}  // namespace tritonpile::validator
