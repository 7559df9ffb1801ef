// What a caller passes a function: its parameters less the receiver (self, cls, an autograd
// Function's ctx), and how many positional arguments it takes. Pairing, lifting and both
// ways of building inputs agree on this through here.
#pragma once

#include <cstddef>
#include <vector>

#include "extractor/extraction.h"

namespace tritonpile::matcher {

// True for self, cls and ctx: bound by Python, never passed.
bool is_receiver(const extractor::Parameter& parameter);

// True for *args and **kwargs.
bool is_variadic(const extractor::Parameter& parameter);

// The named parameters a caller can pass, in order: neither receivers nor variadic.
std::vector<const extractor::Parameter*> passed_parameters(const std::vector<extractor::Parameter>& parameters);

// How many positional arguments a function takes: at least `required`, at most `all`
// (kUnbounded behind *args).
struct Arity {
  static constexpr size_t kUnbounded = static_cast<size_t>(-1);
  size_t required = 0;
  size_t all = 0;
  bool accepts(size_t count) const { return required <= count && count <= all; }
};
Arity arity(const std::vector<extractor::Parameter>& parameters);

}  // namespace tritonpile::matcher
