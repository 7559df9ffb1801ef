#include "matcher/substitutes.h"

#include <set>

namespace tritonpile::matcher {

namespace data {
extern const std::string_view kPackagingVersion;
extern const std::string_view kNvtx;
extern const std::string_view kEinops;
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

}  // namespace

std::optional<Substitute> substitute_for(const std::string& module, const std::string& member,
                                         const std::string& local) {
  if (module == "packaging" && member == "version") {
    return Substitute{std::string(data::kPackagingVersion), local + " = _packaging_version"};
  }
  if (module == "packaging.version" && packaging_version_members().count(member)) {
    return Substitute{std::string(data::kPackagingVersion), local + " = _packaging_version." + member};
  }
  if (module == "einops" && (member.empty() || einops_members().count(member))) {
    return Substitute{std::string(data::kEinops), local + " = _einops" + (member.empty() ? "" : "." + member)};
  }
  if (module == "nvtx" && (member.empty() || nvtx_members().count(member))) {
    return Substitute{std::string(data::kNvtx), local + " = _nvtx" + (member.empty() ? "" : "." + member)};
  }
  return std::nullopt;
}

}  // namespace tritonpile::matcher
