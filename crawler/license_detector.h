// The SPDX id of a licence file's text, for the common licences of open-source code; empty
// when the text is none of them. Used when sources.json gives a source no "license".
#pragma once

#include <string>

namespace tritonpile::crawler {

std::string detect_license(const std::string& text);

// True for the file names a repository keeps its licence under (LICENSE, LICENCE.md, COPYING).
bool is_license_file(const std::string& name);

}  // namespace tritonpile::crawler
