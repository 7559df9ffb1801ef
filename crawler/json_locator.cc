#include "crawler/json_locator.h"

#include <cctype>

namespace tritonpile::crawler {

JsonLocator::JsonLocator(const std::string& text) : text_(text) {
  skip_space();
  value("");
}

void JsonLocator::skip_space() {
  while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
}

void JsonLocator::skip_string() {
  ++at_;  // opening quote
  while (at_ < text_.size() && text_[at_] != '"') at_ += text_[at_] == '\\' ? 2 : 1;
  ++at_;
}

void JsonLocator::value(const std::string& pointer) {
  if (at_ >= text_.size()) return;
  offsets_[pointer] = at_;
  scan_value(pointer);
  ends_[pointer] = at_;
}

void JsonLocator::scan_value(const std::string& pointer) {
  char c = text_[at_];
  if (c == '{') {
    ++at_;
    for (skip_space(); at_ < text_.size() && text_[at_] != '}'; skip_space()) {
      size_t key_start = at_;
      skip_string();
      std::string key = text_.substr(key_start + 1, at_ - key_start - 2);
      key_offsets_[pointer + "/" + key] = key_start;
      skip_space();
      ++at_;  // ':'
      skip_space();
      value(pointer + "/" + key);
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
    }
    ++at_;
  } else if (c == '[') {
    ++at_;
    int index = 0;
    for (skip_space(); at_ < text_.size() && text_[at_] != ']'; skip_space()) {
      value(pointer + "/" + std::to_string(index++));
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
    }
    ++at_;
  } else if (c == '"') {
    skip_string();
  } else {
    while (at_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[at_])) && text_[at_] != ',' &&
           text_[at_] != '}' && text_[at_] != ']') {
      ++at_;
    }
  }
}

bool JsonLocator::value_span(const std::string& pointer, size_t* begin, size_t* end) const {
  auto start = offsets_.find(pointer);
  auto stop = ends_.find(pointer);
  if (start == offsets_.end() || stop == ends_.end()) return false;
  *begin = start->second;
  *end = stop->second;
  return true;
}

std::string JsonLocator::position(const std::string& pointer) const {
  size_t offset = 0;
  if (auto key = key_offsets_.find(pointer); key != key_offsets_.end()) {
    offset = key->second;
  } else if (auto value = offsets_.find(pointer); value != offsets_.end()) {
    offset = value->second;
  }
  return line_and_column(text_, offset);
}

std::string line_and_column(const std::string& text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace tritonpile::crawler
