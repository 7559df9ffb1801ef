// Where a snapshot's own modules are: resolves `from .ops.utils import x` or
// `from liger_kernel.ops.utils import x` in a file to the file of the snapshot that defines
// the module, so closures can follow a repository's imports instead of stopping at them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "matcher/pair.h"

namespace tritonpile::matcher {

class ModuleIndex {
 public:
  explicit ModuleIndex(const std::vector<AnalyzedFile>& files);

  // The file a module named in `from` resolves to (relative names against from's package);
  // nullptr when it is not one of the snapshot's files.
  const AnalyzedFile* resolve(const AnalyzedFile& from, const std::string& module) const;

  // The data file `name` (tune_configs.yaml) in the directory of the package `package`
  // resolves to from `from`; nullptr when it is not one of the snapshot's files.
  const AnalyzedFile* data_file(const AnalyzedFile& from, const std::string& package, const std::string& name) const;

 private:
  std::map<std::string, const AnalyzedFile*> by_path_;    // "src/pkg/ops.py"
  std::map<std::string, const AnalyzedFile*> by_suffix_;  // "pkg.ops", "ops", ...: longest paths win
};

}  // namespace tritonpile::matcher
