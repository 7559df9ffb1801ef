// Where things are in a JSON text, so errors about valid-but-wrong JSON (an unknown key, a
// duplicate name) can name a line and column as syntax errors do. Paths are JSON pointers
// ("/sources/2/branch"); a key's position is that of its quoted name.
#pragma once

#include <map>
#include <string>

namespace tritonpile::crawler {

class JsonLocator {
 public:
  // text must be valid JSON (parse it first); positions of a malformed text are partial.
  explicit JsonLocator(const std::string& text);

  // "line:column" (1-based) of the value at pointer, or of the key when the pointer's last
  // segment is an object key; "1:1" when unknown.
  std::string position(const std::string& pointer) const;

  // Byte offsets [begin, end) of the value at pointer; false when there is none.
  bool value_span(const std::string& pointer, size_t* begin, size_t* end) const;

 private:
  void value(const std::string& pointer);
  void scan_value(const std::string& pointer);
  void skip_space();
  void skip_string();

  const std::string& text_;
  size_t at_ = 0;
  std::map<std::string, size_t> offsets_;      // value starts
  std::map<std::string, size_t> ends_;         // value ends
  std::map<std::string, size_t> key_offsets_;  // quoted key starts
};

// "line:column" (1-based) of a byte offset in text.
std::string line_and_column(const std::string& text, size_t offset);

}  // namespace tritonpile::crawler
