// A pair is a Triton launcher matched with its PyTorch reference, with the evidence for the
// match, the inputs to call both with, and both sides cut out as self-contained modules.
#pragma once

#include <string>
#include <vector>

#include "extractor/extraction.h"

namespace tritonpile::matcher {

// One file of a snapshot as the matcher sees it.
struct AnalyzedFile {
  std::string path;
  std::string blob_id;
  std::string source;
  extractor::FileExtraction extraction;
};

struct InputArg {
  std::string name;         // the launcher's parameter name
  std::string kind;         // tensor | int | float | bool
  extractor::TensorSpec tensor;
  std::string literal;      // Python literal for scalars
};

struct InputRecipe {
  std::vector<InputArg> args;
  std::string origin;  // path:line of the call the inputs were read from
  // The launcher returns nothing and writes its result into this input (add_in_place(x, y),
  // kernel(x, out)): the one to compare with the reference's result. -1: what it returns.
  int result_input = -1;
  // The launcher returns a tuple and the reference computes this element of it (the test
  // unpacked `o, ht = launcher(...)` and compared o alone). -1: the whole result.
  int result_element = -1;
};

struct Classification {
  std::string operation_type;
  std::string difficulty;
  std::vector<std::string> tags;
};

struct Pair {
  std::string path;              // file of the launcher
  std::string launcher;          // entry point of triton_code
  extractor::Span launcher_span;
  std::string reference;         // entry point of python_code
  std::string reference_path;
  std::string evidence;          // test-compare | naming | ...
  std::string where;             // path:line of the evidence
  double confidence = 0;
  InputRecipe recipe;
  std::string triton_code;
  std::string python_code;
  std::string canonical_hash;    // identifies exact duplicates across formatting/comments
  Classification classification;
};

// Why a launcher found in the snapshot did not become a pair.
struct Unpaired {
  std::string path;
  std::string launcher;
  std::string reason;
};

struct MatchResult {
  std::vector<Pair> pairs;
  std::vector<Unpaired> unpaired;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InputArg, name, kind, tensor, literal)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InputRecipe, args, origin, result_input, result_element)

}  // namespace tritonpile::matcher
