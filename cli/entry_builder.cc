#include "cli/entry_builder.h"

#include "common/hash.h"
#include "storage/splitter.h"
#include "validator/test_synthesizer.h"

namespace tritonpile::cli {

storage::Entry build_entry(const crawler::SourceSpec& source, const std::string& commit,
                           const matcher::Pair& pair, storage::Store& store) {
  storage::Entry entry;
  entry.python_code = pair.python_code;
  entry.triton_code = pair.triton_code;
  entry.test_code = validator::synthesize_test(pair.launcher, pair.reference, pair.recipe);
  entry.id = source.name + "/" + pair.path + "::" + pair.launcher + "@" +
             xxh64_hex(entry.python_code + '\0' + entry.triton_code).substr(0, 8);
  entry.phase = source.phase;
  entry.code_hash = xxh64_hex(entry.python_code + '\0' + entry.triton_code + '\0' + entry.test_code);
  entry.canonical_hash = pair.canonical_hash;
  auto existing_split = store.split_of(pair.canonical_hash);
  entry.split = existing_split ? *existing_split : storage::assign_split(pair.canonical_hash);

  const auto& c = pair.classification;
  entry.metadata = {
      {"operation_type", c.operation_type},
      {"difficulty", c.difficulty},
      {"tags", c.tags},
      {"phase", source.phase},
      {"entry_points", {{"python", pair.reference}, {"triton", pair.launcher}}},
      {"source",
       {{"name", source.name},
        {"url", source.url},
        {"commit", commit},
        {"path", pair.path},
        {"reference_path", pair.reference_path},
        {"lines", {pair.launcher_span.start_line, pair.launcher_span.end_line}},
        {"license", source.license}}},
      {"pairing", {{"evidence", pair.evidence}, {"where", pair.where}, {"confidence", pair.confidence}}},
      {"inputs", pair.recipe},
      // The exact-duplicate class; near-duplicate clusters (storage/dedup.h) are not applied yet.
      {"dedup", {{"cluster", pair.canonical_hash}, {"canonical_hash", pair.canonical_hash}}},
  };
  return entry;
}

storage::PairRecord pair_record(const matcher::Pair& pair) {
  return {pair.path,     pair.launcher, pair.reference,       pair.reference_path,
          pair.evidence, pair.where,    pair.confidence, nlohmann::json(pair.recipe).dump()};
}

}  // namespace tritonpile::cli
