#include "matcher/registration.h"

#include <regex>

namespace tritonpile::matcher {

namespace {

std::string packet_of(const std::string& op) { return op.substr(0, op.find('.')); }

// An overload that writes into keyword-only out= arguments, by ATen's names for them:
// addmm.out, sum.IntList_out, xlogy.OutTensor, median.dim_values, log_sigmoid_backward.grad_input.
bool writes_out(const std::string& op) {
  size_t dot = op.find('.');
  if (dot == std::string::npos) return false;
  const std::string overload = op.substr(dot + 1);
  auto ends_with = [&](const std::string& tail) {
    return overload.size() >= tail.size() && overload.compare(overload.size() - tail.size(), tail.size(), tail) == 0;
  };
  return overload == "out" || ends_with("_out") || overload.rfind("Out", 0) == 0 || overload == "grad_input" ||
         ends_with("values");
}

// A number, a string, True or False: a default the reference can state without the
// registered function's module (None is left to the op).
bool literal(const std::string& text) {
  if (text == "True" || text == "False") return true;
  if (text.size() >= 2 && (text[0] == '"' || text[0] == '\'') && text.back() == text[0] &&
      text.find(text[0], 1) == text.size() - 1) {
    return true;
  }
  static const std::regex number(R"(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");  // 1, -100, 1e-05, .5
  return std::regex_match(text, number);
}

}  // namespace

std::string registered_op(const std::vector<std::string>& ops) {
  const std::string packet = packet_of(ops.front());
  for (size_t i = 1; i < ops.size(); ++i) {
    if (packet_of(ops[i]) == packet && ops[i] != ops.front()) return packet;
  }
  return ops.front();
}

std::string aten_callable(const std::vector<std::string>& ops) {
  const std::string op = registered_op(ops);
  return "torch.ops.aten." + (writes_out(op) ? packet_of(op) : op);
}

std::string aten_reference_module(const std::string& callable, const std::string& function_name,
                                  const std::vector<extractor::Parameter>& params) {
  std::string positional, defaults;
  bool past_star = false;  // after *args, a parameter is given by keyword only
  for (const auto& param : params) {
    if (param.name.empty()) continue;
    if (param.name[0] == '*') {
      past_star = true;
      continue;
    }
    if (!past_star) positional += (positional.empty() ? "" : ", ") + ("\"" + param.name + "\"");
    if (literal(param.default_value)) {
      defaults += (defaults.empty() ? "" : ", ") + ("\"" + param.name + "\": " + param.default_value);
    }
  }
  if (defaults.empty()) {
    return "import torch\n\n\ndef " + function_name + "(*args, **kwargs):\n    return " + callable +
           "(*args, **kwargs)\n";
  }
  if (positional.find(',') == std::string::npos) positional += ",";
  return "import torch\n\n"
         "_OP = " + callable + "\n"
         "# The registered function's positional parameters, and the defaults it gives those a call\n"
         "# leaves out.\n"
         "_POSITIONAL = (" + positional + ")\n"
         "_DEFAULTS = {" + defaults + "}\n\n\n"
         "def _takes(argument, value):\n"
         "    kind = str(argument.type)\n"
         "    if kind.startswith(\"Optional[\"):\n"
         "        kind = kind[len(\"Optional[\"):-1]\n"
         "    if isinstance(value, bool):\n"
         "        return kind == \"bool\"\n"
         "    if isinstance(value, int):  # an int[2] argument takes one int for both\n"
         "        return kind in (\"int\", \"SymInt\", \"float\", \"number\", \"List[int]\", \"List[SymInt]\")\n"
         "    if isinstance(value, float):\n"
         "        return kind in (\"float\", \"number\")\n"
         "    return kind == \"str\"\n\n\n"
         "_OVERLOADS = [getattr(_OP, name) for name in _OP.overloads()] if hasattr(_OP, \"overloads\") else [_OP]\n"
         "# The defaults the op has an argument for, of a type it takes.\n"
         "_FILLED = {name: value for name, value in _DEFAULTS.items()\n"
         "           if any(argument.name == name and _takes(argument, value)\n"
         "                  for overload in _OVERLOADS for argument in overload._schema.arguments)}\n\n\n"
         "def " + function_name + "(*args, **kwargs):\n"
         "    given = set(_POSITIONAL[: len(args)]) | set(kwargs)\n"
         "    return _OP(*args, **{name: value for name, value in _FILLED.items() if name not in given}, **kwargs)\n";
}

}  // namespace tritonpile::matcher
