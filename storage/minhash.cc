#include "storage/minhash.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace tritonpile::storage {
namespace {

enum class TokenKind { kName, kNumber, kString, kOperator };

struct RawToken {
  TokenKind kind;
  std::string_view text;
};

bool is_name_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_name_char(unsigned char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_quote(char c) { return c == '\'' || c == '"'; }
bool is_closing(std::string_view op) { return op == ")" || op == "]" || op == "}"; }

// Splits Python source into raw tokens. It never fails: whatever it does not recognise is a
// one-character operator, so a half-written or non-Python text still gets a signature.
class Lexer {
 public:
  explicit Lexer(std::string_view code) : code_(code) {}

  std::vector<RawToken> tokens() {
    std::vector<RawToken> out;
    out.reserve(code_.size() / 3);
    while (skip_blanks()) {
      RawToken token = next();
      if (token.kind == TokenKind::kOperator && is_closing(token.text) && !out.empty() && out.back().text == ",") {
        out.pop_back();
      }
      out.push_back(token);
    }
    return out;
  }

 private:
  // Skips whitespace, comments and line continuations; false at the end of the code.
  bool skip_blanks() {
    while (pos_ < code_.size()) {
      char c = code_[pos_];
      if (is_space(c) || c == '\\') {
        ++pos_;
      } else if (c == '#') {
        size_t end = code_.find('\n', pos_);
        pos_ = end == std::string_view::npos ? code_.size() : end;
      } else {
        return true;
      }
    }
    return false;
  }

  RawToken next() {
    size_t start = pos_;
    unsigned char c = code_[pos_];
    if (is_quote(c)) return string_from(start);
    if (is_name_start(c)) {
      while (pos_ < code_.size() && is_name_char(code_[pos_])) ++pos_;
      if (pos_ < code_.size() && is_quote(code_[pos_]) && is_string_prefix(code_.substr(start, pos_ - start))) {
        return string_from(start);
      }
      return {TokenKind::kName, code_.substr(start, pos_ - start)};
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < code_.size() && is_digit(code_[pos_ + 1]))) return number_from(start);
    return operator_from(start);
  }

  static bool is_string_prefix(std::string_view name) {
    return name.size() <= 2 && name.find_first_not_of("rRbBuUfF") == std::string_view::npos;
  }

  // A string literal from start (its prefix, if any) to its closing quote; an unterminated one
  // ends at the line break (single quotes) or the end of the code (triple quotes).
  RawToken string_from(size_t start) {
    char quote = code_[pos_];
    std::string_view triple_quote = quote == '"' ? "\"\"\"" : "'''";
    bool triple = code_.substr(pos_, 3) == triple_quote;
    pos_ += triple ? 3 : 1;
    while (pos_ < code_.size()) {
      char c = code_[pos_];
      if (c == '\\') {
        pos_ += 2;
      } else if (c == quote && (!triple || code_.substr(pos_, 3) == triple_quote)) {
        pos_ += triple ? 3 : 1;
        break;
      } else if (c == '\n' && !triple) {
        break;
      } else {
        ++pos_;
      }
    }
    pos_ = std::min(pos_, code_.size());
    return {TokenKind::kString, code_.substr(start, pos_ - start)};
  }

  // Digits, letters, '_' and '.' (1_024, 0x1F, 1e-5, 3.14j), with a sign only after a decimal
  // exponent.
  RawToken number_from(size_t start) {
    bool hex = code_.substr(start, 2) == "0x" || code_.substr(start, 2) == "0X";
    while (pos_ < code_.size()) {
      char c = code_[pos_];
      bool sign = (c == '+' || c == '-') && !hex && (code_[pos_ - 1] == 'e' || code_[pos_ - 1] == 'E');
      if (!is_name_char(c) && c != '.' && !sign) break;
      ++pos_;
    }
    return {TokenKind::kNumber, code_.substr(start, pos_ - start)};
  }

  RawToken operator_from(size_t start) {
    if (std::string_view("*/<>.=!+-%&|^@:").find(code_[start]) == std::string_view::npos) {
      ++pos_;
      return {TokenKind::kOperator, code_.substr(start, 1)};
    }
    static constexpr std::string_view kLong[] = {"**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=",
                                                 ">=",  "<<",  ">>",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=",
                                                 "^=",  "@=",  "->",  ":="};
    for (std::string_view op : kLong) {
      if (code_.substr(start, op.size()) == op) {
        pos_ += op.size();
        return {TokenKind::kOperator, op};
      }
    }
    ++pos_;
    return {TokenKind::kOperator, code_.substr(start, 1)};
  }

  std::string_view code_;
  size_t pos_ = 0;
};

bool is_keyword_or_builtin(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {
      // Keywords.
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
      "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
      "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
      // Builtins a kernel or its reference plausibly calls.
      "abs", "all", "any", "bool", "callable", "dict", "divmod", "enumerate", "filter", "float", "getattr",
      "hasattr", "int", "isinstance", "iter", "len", "list", "map", "max", "min", "next", "object", "pow", "print",
      "property", "range", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "classmethod",
      "str", "sum", "super", "tuple", "type", "zip", "Exception", "AssertionError", "NotImplementedError",
      "RuntimeError", "TypeError", "ValueError"};
  return kNames.contains(name);
}

// Whether the name at i names an API rather than a value: kept verbatim (see the header).
bool keeps_name(const std::vector<RawToken>& tokens, size_t i, int depth) {
  std::string_view previous = i > 0 ? tokens[i - 1].text : std::string_view();
  std::string_view following = i + 1 < tokens.size() ? tokens[i + 1].text : std::string_view();
  if (previous == ".") return true;
  if (depth > 0 && following == "=" && (previous == "(" || previous == ",")) return true;
  return is_keyword_or_builtin(tokens[i].text);
}

// Stands in for local names: a name becomes "<id>" at its first use in a function, and after
// that "<id:N>", N being how many local-name uses ago it was last used (beyond kMaxDistance,
// "<id:far>"). Consistent renaming keeps every N, and the Ns keep the data flow that tells
// `a * b` from `a * a`, which plain "<id>" would lose, making unrelated kernels look alike.
class LocalNames {
 public:
  static constexpr int kMaxDistance = 32;

  // Python scopes locals by function: the same spelling in two functions is two variables.
  void enter_function() { last_use_.clear(); }

  std::string_view placeholder(std::string_view name) {
    static const std::vector<std::string> kPlaceholders = [] {
      std::vector<std::string> out = {"<id>"};
      for (int n = 1; n <= kMaxDistance; ++n) out.push_back("<id:" + std::to_string(n) + ">");
      out.push_back("<id:far>");
      return out;
    }();
    auto [it, first] = last_use_.try_emplace(name, uses_);
    int distance = first ? 0 : std::min(uses_ - it->second, kMaxDistance + 1);
    it->second = uses_++;
    return kPlaceholders[distance];
  }

 private:
  std::unordered_map<std::string_view, int> last_use_;
  int uses_ = 0;
};

// Calls emit with each normalised token of code, in order.
template <typename Emit>
void for_each_normalized_token(std::string_view code, Emit&& emit) {
  std::vector<RawToken> tokens = Lexer(code).tokens();
  LocalNames locals;
  int depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const RawToken& token = tokens[i];
    switch (token.kind) {
      case TokenKind::kName:
        if (!keeps_name(tokens, i, depth)) {
          emit(locals.placeholder(token.text));
          break;
        }
        if (token.text == "def") locals.enter_function();
        emit(token.text);
        break;
      case TokenKind::kString:
        emit(std::string_view("<str>"));
        break;
      case TokenKind::kNumber:
        emit(token.text);
        break;
      case TokenKind::kOperator:
        if (token.text == "(" || token.text == "[" || token.text == "{") ++depth;
        if (is_closing(token.text) && depth > 0) --depth;
        emit(token.text);
        break;
    }
  }
}

// Appends the 64-bit hashes of code's shingles.
void append_shingles(std::string_view code, std::vector<uint64_t>& shingles) {
  std::vector<uint64_t> tokens;
  for_each_normalized_token(code, [&](std::string_view token) {
    tokens.push_back(XXH3_64bits(token.data(), token.size()));
  });
  if (tokens.empty()) return;
  size_t width = std::min<size_t>(tokens.size(), kMinHashShingleSize);
  for (size_t i = 0; i + width <= tokens.size(); ++i) {
    shingles.push_back(XXH3_64bits(&tokens[i], width * sizeof(uint64_t)));
  }
}

constexpr uint64_t kSeed = 0x7472697470696c65;  // "tritpile"

constexpr uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// h_i(x) = (a_i * x + b_i) >> 32 with a 64-bit multiplier and offset and a 32-bit x, stored as
// the multiplier's halves: the top 32 bits of a * x + b are those of a_lo * x + b plus a_hi * x,
// modulo 2^32. Every step is then a 32- or 32x32->64-bit lane operation that SIMD units have.
struct Permutations {
  std::array<uint32_t, kMinHashPermutations> multiplier_low;
  std::array<uint32_t, kMinHashPermutations> multiplier_high;
  std::array<uint64_t, kMinHashPermutations> offset;
};

constexpr Permutations make_permutations() {
  Permutations p{};
  uint64_t state = kSeed;
  for (int i = 0; i < kMinHashPermutations; ++i) {
    uint64_t multiplier = splitmix64(state);
    p.multiplier_low[i] = static_cast<uint32_t>(multiplier);
    p.multiplier_high[i] = static_cast<uint32_t>(multiplier >> 32);
    p.offset[i] = splitmix64(state);
  }
  return p;
}

constexpr Permutations kPermutations = make_permutations();

// Nearly all the time of signing goes here; the clones let the loop use AVX2 where the CPU has
// it (the x86-64 baseline lacks 32-bit lane multiply and min) and stay portable elsewhere.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void fold_shingles(const std::vector<uint64_t>& shingles, MinHashSignature& signature) {
  const Permutations& p = kPermutations;
  for (uint64_t shingle : shingles) {
    uint32_t x = static_cast<uint32_t>(shingle);
    for (int i = 0; i < kMinHashPermutations; ++i) {
      uint64_t low = static_cast<uint64_t>(p.multiplier_low[i]) * x + p.offset[i];
      uint32_t h = static_cast<uint32_t>(low >> 32) + p.multiplier_high[i] * x;
      signature[i] = std::min(signature[i], h);
    }
  }
}

}  // namespace

std::vector<std::string> normalized_tokens(std::string_view code) {
  std::vector<std::string> out;
  for_each_normalized_token(code, [&](std::string_view token) { out.emplace_back(token); });
  return out;
}

bool minhash_signature(std::span<const std::string_view> texts, MinHashSignature& signature) {
  std::vector<uint64_t> shingles;
  for (std::string_view text : texts) append_shingles(text, shingles);
  // The shingles are a set, but a repeated one cannot change a minimum, and folding it again
  // costs less than sorting it out.
  signature.fill(std::numeric_limits<uint32_t>::max());
  fold_shingles(shingles, signature);
  return !shingles.empty();
}

double estimated_jaccard(const MinHashSignature& a, const MinHashSignature& b) {
  int equal = 0;
  for (int i = 0; i < kMinHashPermutations; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kMinHashPermutations;
}

uint64_t lsh_band_key(const MinHashSignature& signature, int band) {
  return XXH3_64bits_withSeed(signature.data() + band * kLshRowsPerBand, kLshRowsPerBand * sizeof(uint32_t), band);
}

void for_each_lsh_bucket(const std::vector<MinHashSignature>& signatures, const std::vector<uint32_t>& members,
                         const std::function<void(std::span<const uint32_t> bucket)>& visit) {
  // Sorting (band key, member) pairs groups a band's buckets with less memory than a hash map
  // of vectors, and in an order that does not depend on the members' order.
  std::vector<std::pair<uint64_t, uint32_t>> keyed(members.size());
  std::vector<uint32_t> bucket;
  for (int band = 0; band < kLshBands; ++band) {
    for (size_t i = 0; i < members.size(); ++i) keyed[i] = {lsh_band_key(signatures[members[i]], band), members[i]};
    std::sort(keyed.begin(), keyed.end());
    for (size_t start = 0; start < keyed.size();) {
      size_t end = start + 1;
      while (end < keyed.size() && keyed[end].first == keyed[start].first) ++end;
      if (end - start > 1) {
        bucket.clear();
        for (size_t i = start; i < end; ++i) bucket.push_back(keyed[i].second);
        visit(bucket);
      }
      start = end;
    }
  }
}

}  // namespace tritonpile::storage
