#include "matcher/substitutes.h"

#include <algorithm>
#include <set>
#include <vector>

namespace tritonpile::matcher {

namespace data {
extern const std::string_view kPackagingVersion;
extern const std::string_view kNvtx;
extern const std::string_view kEinops;
extern const std::string_view kFlagGemsRuntime;
extern const std::string_view kFlagGemsLibentry;
extern const std::string_view kFlagGemsTritonLangHelper;
extern const std::string_view kFlagGemsPointwiseDynamic;
}

namespace {

// What packaging_version.py's namespace class provides, by the names packaging.version has.
const std::set<std::string>& packaging_version_members() {
  static const std::set<std::string> members = {"Version", "InvalidVersion", "parse"};
  return members;
}

// The profiling calls nvtx.py's no-op namespace answers.
const std::set<std::string>& nvtx_members() {
  static const std::set<std::string> members = {"annotate", "push_range", "pop_range", "start_range", "end_range",
                                                "mark"};
  return members;
}

// The einops functions einops.py computes (not pack/unpack, nor its layers).
const std::set<std::string>& einops_members() {
  static const std::set<std::string> members = {"rearrange", "repeat", "reduce", "einsum"};
  return members;
}

// A repository module's stand-in: the Python defining it (a class named `namespace`) and the
// members it has, by the module names the repository imports it by.
struct RepositoryStandIn {
  std::vector<std::string> modules;
  std::string_view definition;
  std::string namespace_name;
  std::set<std::string> members;
  std::vector<LookupTable> tables;
};

const std::vector<RepositoryStandIn>& repository_stand_ins() {
  static const std::vector<RepositoryStandIn> stand_ins = {
      {{"flag_gems.runtime"},
       data::kFlagGemsRuntime,
       "_flag_gems_runtime",
       {"torch_device_fn", "device", "get_heuristic_config", "get_tuned_config"},
       {{"get_heuristic_config", LookupTable::kPythonDict, "flag_gems.runtime.backend._nvidia.heuristics_config_utils",
         "HEURISTICS_CONFIGS", "_flag_gems_heuristics_"},
        {"get_tuned_config", LookupTable::kFlagGemsTuneYaml, "flag_gems.runtime.backend._nvidia", "tune_configs.yaml",
         "_flag_gems_tuned_"}}},
      {{"flag_gems.utils.libentry", "flag_gems.utils"},
       data::kFlagGemsLibentry,
       "_flag_gems_libentry",
       {"libentry", "libtuner"},
       {}},
      {{"flag_gems.utils.triton_lang_helper", "flag_gems.utils"},
       data::kFlagGemsTritonLangHelper,
       "_flag_gems_triton_lang_helper",
       {"tl_extra_shim", "use_backend", "use_tl_extra"},
       {}},
      {{"flag_gems.utils.pointwise_dynamic", "flag_gems.utils"},
       data::kFlagGemsPointwiseDynamic,
       "_flag_gems_pointwise_dynamic",
       {"pointwise_dynamic"},
       {}},
  };
  return stand_ins;
}

// A stand-in bound by name, not as a module object.
Substitute bound(std::string_view definition, std::string binding) {
  Substitute substitute;
  substitute.definition = std::string(definition);
  substitute.binding = std::move(binding);
  return substitute;
}

}  // namespace

std::optional<std::string> refused_repository_module(const std::string& module) {
  const std::string backend = "flag_gems.runtime.backend";
  if (module == backend || module.rfind(backend + ".", 0) == 0) {
    return "FlagGems' vendor backend, which its runtime sets up only when it detects a device";
  }
  return std::nullopt;
}

std::optional<std::string> refused_repository_path(const std::string& path) {
  const std::string backend = "flag_gems/runtime/backend/";
  size_t at = path.find(backend);
  if (at != std::string::npos && (at == 0 || path[at - 1] == '/')) return refused_repository_module("flag_gems.runtime.backend");
  return std::nullopt;
}

std::optional<Substitute> repository_substitute_for(const std::string& module, const std::string& member,
                                                    const std::string& local) {
  // A member first: `from flag_gems.utils import libentry` is the function its package
  // re-exports, not the submodule of that name.
  for (const auto& stand_in : repository_stand_ins()) {
    bool looks_up = std::any_of(stand_in.tables.begin(), stand_in.tables.end(),
                                [&](const LookupTable& table) { return table.attribute == member; });
    if (looks_up || !stand_in.members.count(member)) continue;
    if (std::find(stand_in.modules.begin(), stand_in.modules.end(), module) != stand_in.modules.end()) {
      return bound(stand_in.definition, local + " = " + stand_in.namespace_name + "." + member);
    }
  }
  // The module itself: `from flag_gems import runtime`, `import flag_gems.runtime as runtime`.
  for (const auto& stand_in : repository_stand_ins()) {
    const std::string& home = stand_in.modules.front();
    if ((member.empty() && module == home) || (!member.empty() && module + "." + member == home)) {
      return Substitute{std::string(stand_in.definition), local + " = " + stand_in.namespace_name, home,
                        stand_in.members, stand_in.tables};
    }
  }
  return std::nullopt;
}

std::optional<Substitute> substitute_for(const std::string& module, const std::string& member,
                                         const std::string& local) {
  if (module == "packaging" && member == "version") {
    return bound(data::kPackagingVersion, local + " = _packaging_version");
  }
  if (module == "packaging.version" && packaging_version_members().count(member)) {
    return bound(data::kPackagingVersion, local + " = _packaging_version." + member);
  }
  if (module == "einops" && (member.empty() || einops_members().count(member))) {
    return bound(data::kEinops, local + " = _einops" + (member.empty() ? "" : "." + member));
  }
  if (module == "nvtx" && (member.empty() || nvtx_members().count(member))) {
    return bound(data::kNvtx, local + " = _nvtx" + (member.empty() ? "" : "." + member));
  }
  return std::nullopt;
}

}  // namespace tritonpile::matcher
