// Path globs as sources.json uses them: '*' and '?' stay within one path segment, '**'
// spans segments ("src/**/*.py" matches "src/a.py" and "src/x/y/a.py"), '[abc]' is a class.
#pragma once

#include <string_view>

#include "common/status.h"

namespace tritonpile::crawler {

bool glob_match(std::string_view pattern, std::string_view path);

// Rejects malformed globs (an unclosed '[', an empty pattern) with a reason.
Status check_glob(std::string_view pattern);

}  // namespace tritonpile::crawler
