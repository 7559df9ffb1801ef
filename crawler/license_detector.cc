#include "crawler/license_detector.h"

#include <algorithm>
#include <cctype>

namespace tritonpile::crawler {
namespace {

std::string squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool has(const std::string& text, const char* phrase) { return text.find(phrase) != std::string::npos; }

}  // namespace

std::string detect_license(const std::string& raw) {
  const std::string text = squeeze(raw);
  if (has(text, "apache license") && has(text, "version 2.0")) return "Apache-2.0";
  if (has(text, "permission is hereby granted, free of charge")) return "MIT";
  if (has(text, "redistribution and use in source and binary forms")) {
    return has(text, "neither the name") || has(text, "3. ") ? "BSD-3-Clause" : "BSD-2-Clause";
  }
  if (has(text, "gnu lesser general public license")) return "LGPL";
  if (has(text, "gnu affero general public license")) return "AGPL-3.0";
  if (has(text, "gnu general public license")) return has(text, "version 3") ? "GPL-3.0" : "GPL-2.0";
  if (has(text, "mozilla public license") && has(text, "2.0")) return "MPL-2.0";
  if (has(text, "this is free and unencumbered software released into the public domain")) return "Unlicense";
  if (has(text, "permission to use, copy, modify, and/or distribute this software for any purpose")) return "ISC";
  return "";
}

bool is_license_file(const std::string& name) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const char* stem : {"LICENSE", "LICENCE", "COPYING"}) {
    if (upper == stem || upper.rfind(std::string(stem) + ".", 0) == 0) return true;
  }
  return false;
}

}  // namespace tritonpile::crawler
