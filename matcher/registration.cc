#include "matcher/registration.h"

namespace tritonpile::matcher {

namespace {

std::string packet_of(const std::string& op) { return op.substr(0, op.find('.')); }

// "addmm.out", "sum.IntList_out": an overload that writes into its keyword-only `out`.
bool writes_out(const std::string& op) {
  size_t dot = op.find('.');
  if (dot == std::string::npos) return false;
  std::string overload = op.substr(dot + 1);
  return overload == "out" || (overload.size() > 4 && overload.compare(overload.size() - 4, 4, "_out") == 0);
}

}  // namespace

std::string aten_callable(const std::vector<std::string>& ops) {
  const std::string packet = packet_of(ops.front());
  if (packet == ops.front() || writes_out(ops.front())) return "torch.ops.aten." + packet;
  for (size_t i = 1; i < ops.size(); ++i) {
    if (packet_of(ops[i]) == packet && ops[i] != ops.front()) return "torch.ops.aten." + packet;
  }
  return "torch.ops.aten." + ops.front();
}

std::string aten_reference_module(const std::string& callable, const std::string& function_name) {
  return "import torch\n\n\ndef " + function_name + "(*args, **kwargs):\n    return " + callable + "(*args, **kwargs)\n";
}

}  // namespace tritonpile::matcher
