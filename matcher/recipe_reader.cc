#include "matcher/recipe_reader.h"

#include <map>
#include <set>

#include "matcher/signature.h"

namespace tritonpile::matcher {
namespace {

// The value a parametrize case gives name (its first case), if any.
std::optional<std::string> parametrized(const extractor::RepoTest& test, const std::string& name) {
  for (const auto& p : test.parametrize) {
    for (size_t i = 0; i < p.names.size(); ++i) {
      if (p.names[i] == name && !p.cases.empty()) return p.cases[0][i];
    }
  }
  return std::nullopt;
}

bool parse_int(const std::string& text, int64_t* out) {
  try {
    size_t used = 0;
    *out = std::stoll(text, &used, 0);
    return used == text.size();
  } catch (...) {
    return false;
  }
}

// Shape and dtype of a tensor argument, with names filled in from parametrize.
bool resolve_tensor(const extractor::RepoTest& test, extractor::TensorSpec* spec) {
  std::vector<int64_t> shape;
  for (const auto& dim : spec->dims) {
    int64_t value = 0;
    std::string text = dim;
    if (!parse_int(text, &value)) {
      auto given = parametrized(test, dim);
      if (!given) return false;
      text = *given;
    }
    if (parse_int(text, &value)) {
      shape.push_back(value);
      continue;
    }
    // A single name standing for a whole shape tuple: "(32, 128)".
    if (spec->dims.size() != 1 || text.empty() || (text.front() != '(' && text.front() != '[')) return false;
    std::string inner = text.substr(1, text.size() - 2);
    size_t start = 0;
    while (start < inner.size()) {
      size_t comma = inner.find(',', start);
      std::string part = inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      part.erase(0, part.find_first_not_of(' '));
      part.erase(part.find_last_not_of(' ') + 1);
      if (!part.empty()) {
        if (!parse_int(part, &value)) return false;
        shape.push_back(value);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  static const std::set<std::string> kDtypes = {"float32", "float16", "bfloat16", "float", "half", "float64"};
  if (!kDtypes.count(spec->dtype)) {
    auto given = parametrized(test, spec->dtype);
    if (!given || given->rfind("torch.", 0) != 0 || !kDtypes.count(given->substr(6))) return false;
    spec->dtype = given->substr(6);
  }
  if (spec->dtype == "float") spec->dtype = "float32";
  if (spec->dtype == "half") spec->dtype = "float16";
  spec->shape = shape;
  return !shape.empty();
}

// int, float, bool or none for a default written as a plain literal; empty otherwise.
std::string literal_kind(const std::string& text) {
  int64_t value = 0;
  if (parse_int(text, &value)) return "int";
  if (text == "True" || text == "False") return "bool";
  if (text == "None") return "none";
  if (!text.empty() && text.find_first_not_of("0123456789.e-+") == std::string::npos) return "float";
  return "";
}

}  // namespace

std::optional<InputRecipe> read_test_recipe(const std::vector<extractor::Parameter>& launcher_params,
                                            const extractor::RepoTest& test, const extractor::CallSite& call,
                                            const std::string& test_path) {
  std::vector<extractor::Parameter> params;
  for (const auto* p : passed_parameters(launcher_params)) params.push_back(*p);
  std::map<std::string, const extractor::CallArg*> by_name;
  size_t position = 0;
  for (const auto& arg : call.args) {
    if (arg.keyword.empty()) {
      if (position >= params.size()) return std::nullopt;
      by_name[params[position++].name] = &arg;
    } else {
      by_name[arg.keyword] = &arg;
    }
  }
  InputRecipe out;
  // The validator passes the recipe positionally: a parameter the test leaves at its default
  // before one it passes keeps its place, with the default written out.
  std::vector<InputArg> skipped;
  for (const auto& param : params) {
    auto it = by_name.find(param.name);
    if (it == by_name.end()) {
      if (param.default_value.empty()) return std::nullopt;
      skipped.push_back({param.name, literal_kind(param.default_value), {}, param.default_value});
      continue;
    }
    for (const auto& kept : skipped) {
      if (kept.kind.empty()) return std::nullopt;  // a default such as BLOCK or torch.float32
      out.args.push_back(kept);
    }
    skipped.clear();
    extractor::CallArg arg = *it->second;
    if (arg.kind == "other") {
      auto given = parametrized(test, arg.text);
      int64_t value = 0;
      if (!given) return std::nullopt;
      if (parse_int(*given, &value)) arg.kind = "int";
      else if (*given == "True" || *given == "False") arg.kind = "bool";
      else if (given->find_first_not_of("0123456789.e-+") == std::string::npos) arg.kind = "float";
      else return std::nullopt;
      arg.text = *given;
    }
    if (arg.kind == "tensor" && !resolve_tensor(test, &arg.tensor)) return std::nullopt;
    out.args.push_back({param.name, arg.kind, arg.tensor, arg.kind == "tensor" ? "" : arg.text});
  }
  out.origin = test_path + ":" + std::to_string(call.line);
  return out;
}

}  // namespace tritonpile::matcher
