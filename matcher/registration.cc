#include "matcher/registration.h"

namespace tritonpile::matcher {

std::string aten_callable(const std::string& op) {
  return "torch.ops.aten." + op + (op.find('.') == std::string::npos ? ".default" : "");
}

std::string aten_reference_module(const std::string& op, const std::string& function_name) {
  return "import torch\n\n\ndef " + function_name + "(*args, **kwargs):\n    return " + aten_callable(op) +
         "(*args, **kwargs)\n";
}

}  // namespace tritonpile::matcher
