#include "matcher/substitutes.h"

#include <set>

namespace tritonpile::matcher {

namespace data {
extern const std::string_view kPackagingVersion;
}

namespace {

// What packaging_version.py's namespace class provides, by the names packaging.version has.
const std::set<std::string>& packaging_version_members() {
  static const std::set<std::string> members = {"Version", "InvalidVersion", "parse"};
  return members;
}

}  // namespace

std::optional<Substitute> substitute_for(const std::string& module, const std::string& member,
                                         const std::string& local) {
  std::string target;
  if (module == "packaging" && member == "version") {
    target = "_packaging_version";
  } else if (module == "packaging.version" && packaging_version_members().count(member)) {
    target = "_packaging_version." + member;
  } else {
    return std::nullopt;
  }
  return Substitute{std::string(data::kPackagingVersion), local + " = " + target};
}

}  // namespace tritonpile::matcher
