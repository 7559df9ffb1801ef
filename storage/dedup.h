// Groups dataset entries into duplicate clusters and picks the one entry per cluster to keep.
//
// Two items are in one cluster when a chain of these links joins them:
//   - exact: they have the same non-empty canonical hash;
//   - near: their MinHash signatures (storage/minhash.h) share an LSH band and agree on at least
//     `threshold` of their minima (estimated Jaccard similarity of the shingle sets).
// An item's shingle set is the union of the shingles of its python_code and of its triton_code:
// a pair is a near duplicate of another when the two fields together mostly are, so the same
// kernel behind a different reference still counts, in proportion to how much of the entry it is.
// Clusters are the connected components of those links, so the result depends only on the set
// of items, never on their order or on the number of threads.
//
// Each cluster keeps one representative, the member of least (rank, id); the others are dropped
// and defer to it. The caller's rank carries whatever ordering it wants (the pipeline: validation
// status, evidence strength, licence, then source order).
//
// Thread-safe: deduplicate is a pure function; it uses up to options.threads threads itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace tritonpile::storage {

struct DedupItem {
  std::string id;  // unique among the items
  std::string python_code;
  std::string triton_code;
  std::string canonical_hash;  // empty: the item takes part in near-duplicate matching only
  int64_t rank = 0;            // smaller is the better representative
};

struct DedupOptions {
  double threshold = 0.7;  // least estimated Jaccard similarity of a near-duplicate link
  int threads = 0;         // 0: one per hardware thread
};

enum class DuplicateKind {
  kRepresentative,  // kept
  kExact,           // dropped: same canonical hash as its representative
  kNear,            // dropped: joined to its representative through near-duplicate links
};

struct DedupResult {
  // The least canonical hash among the cluster's members (a member without one counts with its
  // id). A cluster of one entry, or of exact duplicates only, is thus identified by the hash
  // that storage/splitter.h has always split it by.
  std::string cluster_id;
  std::string representative_id;  // the item's own id when it is the representative
  DuplicateKind kind = DuplicateKind::kRepresentative;

  bool dropped() const { return kind != DuplicateKind::kRepresentative; }
};

struct DedupOutcome {
  std::vector<DedupResult> results;  // results[i] describes items[i]
  int clusters = 0;
  int exact_dropped = 0;
  int near_dropped = 0;
};

// Clusters the items. Fails, naming the id, when two items share an id, or when the threshold is
// not in (0, 1].
StatusOr<DedupOutcome> deduplicate(const std::vector<DedupItem>& items, const DedupOptions& options = {});

// Picks the representatives of outcome's clusters again from the items' ranks, keeping the
// clusters: for a caller whose ranks depend on the clusters themselves (the export's split
// rule). items must be the ones outcome was computed from, in the same order.
void choose_representatives(const std::vector<DedupItem>& items, DedupOutcome& outcome);

}  // namespace tritonpile::storage
