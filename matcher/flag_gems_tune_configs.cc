#include "matcher/flag_gems_tune_configs.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>

namespace tritonpile::matcher {
namespace {

// A scalar as Python writes it: YAML's null, true/false, integers and floats as such, anything
// else a string.
std::string python_scalar(const YAML::Node& node) {
  if (node.IsNull()) return "None";
  const std::string& text = node.Scalar();
  if (node.Tag() != "!" && node.Tag() != "tag:yaml.org,2002:str") {
    if (text == "true" || text == "True") return "True";
    if (text == "false" || text == "False") return "False";
    static const std::regex number(R"([-+]?(\d+|\d*\.\d+([eE][-+]?\d+)?|\d+[eE][-+]?\d+))");
    if (std::regex_match(text, number)) return text;
  }
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return quoted + "\"";
}

// The META of one configuration, keys in their order.
using Meta = std::vector<std::pair<std::string, std::string>>;

struct Launch {
  std::map<std::string, std::string> values = {{"num_stages", "2"}, {"num_warps", "4"}, {"num_ctas", "1"}};
};

std::string config_text(const Meta& meta, const Launch& launch) {
  std::string text = "triton.Config({";
  for (size_t i = 0; i < meta.size(); ++i) {
    text += (i ? ", \"" : "\"") + meta[i].first + "\": " + meta[i].second;
  }
  return text + "}, num_warps=" + launch.values.at("num_warps") + ", num_stages=" + launch.values.at("num_stages") +
         ", num_ctas=" + launch.values.at("num_ctas") + ")";
}

StatusOr<Meta> read_meta(const YAML::Node& node, const std::string& op) {
  if (!node.IsMap()) return Status::error("op '" + op + "': META is not a mapping");
  Meta meta;
  for (const auto& field : node) {
    if (!field.second.IsScalar() && !field.second.IsNull()) {
      return Status::error("op '" + op + "': META." + field.first.Scalar() + " is no scalar");
    }
    meta.emplace_back(field.first.Scalar(), python_scalar(field.second));
  }
  return meta;
}

// The `gen: true` form: every combination of the value lists param_map names, in the order
// FlagGems' stack-based walk produces them.
StatusOr<std::vector<std::string>> generated(const YAML::Node& entry, const Launch& defaults, const std::string& op) {
  const YAML::Node param_map = entry["param_map"];
  if (!param_map || !param_map.IsMap() || !param_map["META"] || !param_map["META"].IsMap()) {
    return Status::error("op '" + op + "': a gen entry needs param_map with META");
  }
  struct Step {
    std::string key;
    bool meta;
    std::vector<std::string> values;
  };
  std::vector<Step> steps;
  auto values_of = [&](const YAML::Node& source, const std::string& key, bool meta) -> Status {
    const std::string& variable = source.Scalar();
    static const std::regex integer(R"([-+]?\d+)");
    Step step{key, meta, {}};
    if (std::regex_match(variable, integer)) {
      step.values.push_back(variable);
    } else {
      const YAML::Node list = entry[variable];
      if (!list || !list.IsSequence()) return Status::error("op '" + op + "': '" + variable + "' lists no values");
      for (const auto& value : list) {
        if (!value.IsScalar() && !value.IsNull()) return Status::error("op '" + op + "': '" + variable + "' lists a non-scalar");
        step.values.push_back(python_scalar(value));
      }
    }
    steps.push_back(std::move(step));
    return Status::ok();
  };
  for (const auto& field : param_map["META"]) {
    if (auto status = values_of(field.second, field.first.Scalar(), true); !status) return status;
  }
  for (const auto& field : param_map) {
    if (field.first.Scalar() == "META") continue;
    if (auto status = values_of(field.second, field.first.Scalar(), false); !status) return status;
  }
  struct State {
    Meta meta;
    Launch launch;
    size_t step;
  };
  std::vector<std::string> configs;
  std::vector<State> stack = {{{}, defaults, 0}};
  while (!stack.empty()) {
    State state = std::move(stack.back());
    stack.pop_back();
    if (state.step == steps.size()) {
      configs.push_back(config_text(state.meta, state.launch));
      continue;
    }
    const Step& step = steps[state.step];
    for (const auto& value : step.values) {
      State next = state;
      if (step.meta) {
        next.meta.emplace_back(step.key, value);
      } else {
        next.launch.values[step.key] = value;
      }
      ++next.step;
      stack.push_back(std::move(next));
    }
  }
  return configs;
}

}  // namespace

StatusOr<std::vector<std::pair<std::string, std::string>>> flag_gems_tuned_configs(const std::string& yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::error(std::string("not YAML: ") + e.what());
  }
  if (!root.IsMap()) return Status::error("not a mapping of op names");
  std::vector<std::pair<std::string, std::string>> ops;
  Launch defaults;  // FlagGems' shared defaults, updated by every entry in file order
  try {
    for (const auto& op_entry : root) {
      const std::string op = op_entry.first.Scalar();
      const YAML::Node entries = op_entry.second;
      if (!entries.IsSequence()) return Status::error("op '" + op + "': not a list of configurations");
      std::vector<std::string> configs;
      if (entries.size() == 1 && entries[0].IsMap() && entries[0]["gen"]) {
        auto made = generated(entries[0], defaults, op);
        if (!made) return made.status();
        configs = std::move(*made);
      } else {
        for (const auto& entry : entries) {
          if (!entry.IsMap() || !entry["META"]) return Status::error("op '" + op + "': a configuration without META");
          for (auto& [name, value] : defaults.values) {
            if (entry[name]) value = python_scalar(entry[name]);
          }
          auto meta = read_meta(entry["META"], op);
          if (!meta) return meta.status();
          configs.push_back(config_text(*meta, defaults));
        }
      }
      std::string list = "[";
      for (const auto& config : configs) list += "\n    " + config + ",";
      ops.emplace_back(op, list + (configs.empty() ? "]" : "\n]"));
    }
  } catch (const YAML::Exception& e) {
    return Status::error(std::string("unexpected YAML: ") + e.what());
  }
  return ops;
}

}  // namespace tritonpile::matcher
