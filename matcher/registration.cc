#include "matcher/registration.h"

#include <regex>

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

// A number, a string, True or False: a default the reference can state without the
// registered function's module (None is left to the op).
bool literal(const std::string& text) {
  if (text == "True" || text == "False") return true;
  if (text.size() >= 2 && (text[0] == '"' || text[0] == '\'') && text.back() == text[0] &&
      text.find(text[0], 1) == text.size() - 1) {
    return true;
  }
  static const std::regex number(R"(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
  return std::regex_match(text, number);
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

std::string aten_reference_module(const std::string& callable, const std::string& function_name,
                                  const std::vector<extractor::Parameter>& params) {
  std::string names, defaults;
  for (const auto& param : params) {
    if (param.name.empty() || param.name[0] == '*') continue;
    names += (names.empty() ? "" : ", ") + ("\"" + param.name + "\"");
    if (literal(param.default_value)) defaults += (defaults.empty() ? "" : ", ") + ("\"" + param.name + "\": " + param.default_value);
  }
  if (defaults.empty()) {
    return "import torch\n\n\ndef " + function_name + "(*args, **kwargs):\n    return " + callable + "(*args, **kwargs)\n";
  }
  return "import torch\n\n"
         "_OP = " + callable + "\n"
         "# The registered function's parameters, and the defaults it gives those a call leaves out.\n"
         "_PARAMETERS = (" + names + (names.find(',') == std::string::npos ? "," : "") + ")\n"
         "_DEFAULTS = {" + defaults + "}\n\n\n"
         "def " + function_name + "(*args, **kwargs):\n"
         "    overloads = [getattr(_OP, name) for name in _OP.overloads()] if hasattr(_OP, \"overloads\") else [_OP]\n"
         "    taken = {argument.name for overload in overloads for argument in overload._schema.arguments}\n"
         "    given = set(_PARAMETERS[: len(args)]) | set(kwargs)\n"
         "    for name, value in _DEFAULTS.items():\n"
         "        if name not in given and name in taken:\n"
         "            kwargs[name] = value\n"
         "    return _OP(*args, **kwargs)\n";
}

}  // namespace tritonpile::matcher
