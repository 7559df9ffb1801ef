// UTF-8 validity, for skipping files and paths that are not text we can parse and export.
#pragma once

#include <string_view>

namespace tritonpile::crawler {

bool is_valid_utf8(std::string_view text);

}  // namespace tritonpile::crawler
