#include "matcher/recipe_inference.h"

#include <algorithm>
#include <set>

#include "matcher/signature.h"

namespace tritonpile::matcher {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Names that are one row of a normalization or a bias, not a matrix.
const std::set<std::string> kRowNames = {"weight", "bias", "gamma", "beta", "norm_weight", "ln_weight", "rms_weight"};

// A scalar the name gives away; nothing when the name says tensor (or nothing).
std::optional<InputArg> scalar_by_name(const std::string& name) {
  std::string n = lower(name);
  if (n == "eps" || n == "epsilon" || contains(n, "_eps")) return InputArg{name, "float", {}, "1e-6"};
  if (n == "dim" || n == "axis") return InputArg{name, "int", {}, "-1"};
  if (n == "scale" || n == "alpha" || n == "sm_scale" || n == "softmax_scale") return InputArg{name, "float", {}, "0.5"};
  if (n == "p" || n == "dropout_p") return InputArg{name, "float", {}, "0.0"};
  if (n == "index" || n == "idx" || n == "start" || n == "offset") return InputArg{name, "int", {}, "0"};
  if (n == "step" || n == "stride") return InputArg{name, "int", {}, "1"};
  if (n == "k" || n == "topk" || n == "top_k") return InputArg{name, "int", {}, "8"};
  return std::nullopt;
}

std::optional<InputArg> by_annotation(const extractor::Parameter& p, bool first_tensor) {
  std::string a = p.annotation;
  // A sequence of tensors (cat(tensors, dim)) has no shape to guess.
  for (const char* sequence : {"List", "list", "Tuple", "tuple", "Sequence", "Iterable"}) {
    if (contains(a, sequence)) return std::nullopt;
  }
  if (a.empty() && (lower(p.name) == "tensors" || lower(p.name) == "inputs")) return std::nullopt;
  if (auto named = scalar_by_name(p.name); named && !contains(a, "Tensor")) return named;
  if (a.empty() || contains(a, "Tensor")) {
    if (contains(a, "Optional") || contains(a, "None")) return std::nullopt;  // left to the caller
    InputArg arg{p.name, "tensor", {}, ""};
    arg.tensor.constructor = "randn";
    arg.tensor.dtype = "float32";
    arg.tensor.shape = !first_tensor && kRowNames.count(lower(p.name))
                           ? std::vector<int64_t>{kInferredSide}
                           : std::vector<int64_t>{kInferredSide, kInferredSide};
    for (auto d : arg.tensor.shape) arg.tensor.dims.push_back(std::to_string(d));
    return arg;
  }
  if (a == "int") return InputArg{p.name, "int", {}, std::to_string(kInferredSide)};
  if (a == "float") return InputArg{p.name, "float", {}, "1.0"};
  if (a == "bool") return InputArg{p.name, "bool", {}, "False"};
  return std::nullopt;
}

// The number an inferred scalar of a registered op gets.
InputArg number(const std::string& name) { return InputArg{name, "float", {}, "0.5"}; }

void apply_registered_op(const std::string& op, std::vector<InputArg>* args) {
  size_t dot = op.find('.');
  const std::string overload = dot == std::string::npos ? "" : op.substr(dot + 1);
  std::vector<size_t> tensors;
  for (size_t i = 0; i < args->size(); ++i) {
    if ((*args)[i].kind == "tensor") tensors.push_back(i);
  }
  std::optional<size_t> scalar;
  if (op == "pow.Scalar" && tensors.size() >= 2) {  // ATen's exception: pow.Scalar's base is the number
    scalar = tensors.front();
  } else if ((overload == "Scalar" || overload == "Tensor_Scalar" || overload == "ScalarOther" ||
       overload == "Scalar_mode") && tensors.size() >= 2) {
    scalar = tensors.back();
  } else if (overload == "Scalar_Tensor" && tensors.size() >= 2) {
    scalar = tensors.front();
  } else if (overload == "ScalarSelf" && tensors.size() >= 3) {
    scalar = tensors[1];
  }
  if (scalar) (*args)[*scalar] = number((*args)[*scalar].name);
  if (overload.find("Tensor") != std::string::npos) return;
  static const std::set<std::string> kNumberNames = {"threshold", "value", "min", "max", "mini", "maxi"};
  for (size_t i = 1; i < args->size(); ++i) {
    if ((*args)[i].kind == "tensor" && kNumberNames.count(lower((*args)[i].name))) (*args)[i] = number((*args)[i].name);
  }
}

}  // namespace

std::optional<InputRecipe> infer_recipe(const std::vector<extractor::Parameter>& params, const std::string& origin,
                                        const std::string& registered_op) {
  InputRecipe recipe;
  bool first_tensor = true;
  for (const auto& p : params) {
    // *args leaves no way to know what to pass; nothing is needed for **kwargs.
    if (is_variadic(p) && p.name.rfind("**", 0) != 0) return std::nullopt;
  }
  // An op table registers module-level functions, whose `self` is ATen's name for the input
  // (gelu(self, *, approximate)), not a method's receiver.
  std::vector<const extractor::Parameter*> passed = passed_parameters(params);
  if (!registered_op.empty()) {
    passed.clear();
    for (const auto& p : params) {
      if (!is_variadic(p)) passed.push_back(&p);
    }
  }
  for (const auto* p : passed) {
    if (!p->default_value.empty()) continue;  // the launcher's own default
    auto arg = by_annotation(*p, first_tensor);
    if (!arg) return std::nullopt;
    first_tensor = first_tensor && arg->kind != "tensor";
    recipe.args.push_back(std::move(*arg));
  }
  if (!registered_op.empty()) apply_registered_op(registered_op, &recipe.args);
  bool has_tensor = std::any_of(recipe.args.begin(), recipe.args.end(), [](const InputArg& a) { return a.kind == "tensor"; });
  if (!has_tensor) return std::nullopt;
  recipe.origin = "inferred from the signature at " + origin;
  return recipe;
}

}  // namespace tritonpile::matcher
