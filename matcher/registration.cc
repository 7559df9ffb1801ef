#include "matcher/registration.h"

namespace tritonpile::matcher {

namespace {

std::string packet_of(const std::string& op) { return op.substr(0, op.find('.')); }

}  // namespace

std::string aten_callable(const std::string& op) {
  return "torch.ops.aten." + op + (op.find('.') == std::string::npos ? ".default" : "");
}

std::string aten_callable(const std::vector<std::string>& ops) {
  const std::string packet = packet_of(ops.front());
  for (size_t i = 1; i < ops.size(); ++i) {
    if (packet_of(ops[i]) == packet && ops[i] != ops.front()) return "torch.ops.aten." + packet;
  }
  return aten_callable(ops.front());
}

std::string aten_reference_module(const std::string& callable, const std::string& function_name) {
  return "import torch\n\n\ndef " + function_name + "(*args, **kwargs):\n    return " + callable + "(*args, **kwargs)\n";
}

}  // namespace tritonpile::matcher
