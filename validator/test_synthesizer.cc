#include "validator/test_synthesizer.h"

#include <sstream>
#include <string_view>

#include "common/hash.h"

namespace tritonpile::validator {

namespace templates {
extern const std::string_view kTestEntry;
}

namespace {

std::string python_float(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  std::string text = out.str();
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string input_line(const matcher::InputArg& arg) {
  if (arg.kind != "tensor") return "        " + arg.literal + ",  # " + arg.name;
  std::string shape;
  for (auto dim : arg.tensor.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(dim);
  shape = "(" + shape + (arg.tensor.shape.size() == 1 ? ",)" : ")");
  return "        tensor(\"" + arg.tensor.constructor + "\", " + shape + ", torch." + arg.tensor.dtype + ", " +
         python_float(arg.tensor.scale) + ", " + python_float(arg.tensor.offset) + "),  # " + arg.name;
}

void replace_all(std::string* text, const std::string& from, const std::string& to) {
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
  }
}

}  // namespace

std::string test_template_hash() { return xxh64_hex(templates::kTestEntry); }

std::string synthesize_test(const std::string& launcher, const std::string& reference,
                            const matcher::InputRecipe& recipe) {
  std::string inputs;
  for (const auto& arg : recipe.args) inputs += input_line(arg) + "\n";
  if (!inputs.empty()) inputs.pop_back();
  std::string code(templates::kTestEntry);
  replace_all(&code, "@LAUNCHER@", launcher);
  replace_all(&code, "@REFERENCE@", reference);
  replace_all(&code, "@INPUTS@", inputs);
  replace_all(&code, "@RESULT_INPUT@", recipe.result_input < 0 ? "None" : std::to_string(recipe.result_input));
  replace_all(&code, "@RESULT_ELEMENT@", recipe.result_element < 0 ? "None" : std::to_string(recipe.result_element));
  replace_all(&code, "@NO_INPUTS@",
              recipe.origin.empty() ? "\"no test calls the launcher with inputs that could be rebuilt\"" : "None");
  return code;
}

}  // namespace tritonpile::validator
