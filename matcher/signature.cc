#include "matcher/signature.h"

namespace tritonpile::matcher {

bool is_receiver(const extractor::Parameter& parameter) {
  return parameter.name == "self" || parameter.name == "cls" || parameter.name == "ctx";
}

bool is_variadic(const extractor::Parameter& parameter) { return !parameter.name.empty() && parameter.name[0] == '*'; }

std::vector<const extractor::Parameter*> passed_parameters(const std::vector<extractor::Parameter>& parameters) {
  std::vector<const extractor::Parameter*> out;
  for (const auto& p : parameters) {
    if (!is_receiver(p) && !is_variadic(p)) out.push_back(&p);
  }
  return out;
}

Arity arity(const std::vector<extractor::Parameter>& parameters) {
  Arity out;
  for (const auto& p : parameters) {
    if (is_variadic(p) && p.name.rfind("**", 0) != 0) out.all = Arity::kUnbounded;  // *args
  }
  for (const auto* p : passed_parameters(parameters)) {
    if (out.all != Arity::kUnbounded) ++out.all;
    if (p->default_value.empty()) ++out.required;
  }
  return out;
}

}  // namespace tritonpile::matcher
