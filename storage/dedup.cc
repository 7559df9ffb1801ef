#include "storage/dedup.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "storage/minhash.h"

namespace tritonpile::storage {
namespace {

class DisjointSets {
 public:
  explicit DisjointSets(size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }

  uint32_t find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // path halving keeps later finds short
      x = parent_[x];
    }
    return x;
  }

  void join(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

Status check_input(const std::vector<DedupItem>& items, const DedupOptions& options) {
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    return Status::error("dedup: threshold " + std::to_string(options.threshold) + " is not in (0, 1]");
  }
  std::unordered_set<std::string_view> ids;
  ids.reserve(items.size());
  for (const DedupItem& item : items) {
    if (!ids.insert(item.id).second) return Status::error("dedup: duplicate item id '" + item.id + "'");
  }
  return Status::ok();
}

void join_exact_duplicates(const std::vector<DedupItem>& items, DisjointSets& sets) {
  std::unordered_map<std::string_view, uint32_t> first_with_hash;
  first_with_hash.reserve(items.size());
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (items[i].canonical_hash.empty()) continue;
    auto [it, inserted] = first_with_hash.try_emplace(items[i].canonical_hash, i);
    if (!inserted) sets.join(it->second, i);
  }
}

struct Signatures {
  std::vector<MinHashSignature> values;
  std::vector<uint32_t> signed_items;  // the items with at least one token, ascending
};

// Signing is nearly all of the work and each item is independent: the threads take chunks of
// items off a shared counter and write into their own slots.
Signatures sign_items(const std::vector<DedupItem>& items, int threads) {
  Signatures out;
  out.values.resize(items.size());
  std::vector<char> has_tokens(items.size());
  constexpr size_t kChunk = 64;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t start; (start = next.fetch_add(kChunk)) < items.size();) {
      for (size_t i = start; i < std::min(start + kChunk, items.size()); ++i) {
        const std::string_view texts[] = {items[i].python_code, items[i].triton_code};
        has_tokens[i] = minhash_signature(texts, out.values[i]);
      }
    }
  };
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<int>(std::min<size_t>(threads, items.size() / kChunk + 1));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // out of threads: the ones running still take every chunk
    }
  }
  work();
  for (std::thread& thread : pool) thread.join();

  for (uint32_t i = 0; i < items.size(); ++i) {
    if (has_tokens[i]) out.signed_items.push_back(i);
  }
  return out;
}

// Joins items whose signatures are identical (renamed or reformatted copies mostly are) and
// returns one item per distinct signature: the others would only repeat its LSH comparisons.
std::vector<uint32_t> join_identical_signatures(const Signatures& signatures, DisjointSets& sets) {
  const auto& values = signatures.values;
  std::vector<std::pair<uint64_t, uint32_t>> by_hash;
  by_hash.reserve(signatures.signed_items.size());
  for (uint32_t i : signatures.signed_items) {
    by_hash.emplace_back(XXH3_64bits(values[i].data(), sizeof(MinHashSignature)), i);
  }
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<uint32_t> distinct;
  for (size_t start = 0; start < by_hash.size();) {
    uint32_t head = by_hash[start].second;
    distinct.push_back(head);
    size_t end = start + 1;
    for (; end < by_hash.size() && by_hash[end].first == by_hash[start].first; ++end) {
      uint32_t other = by_hash[end].second;
      if (values[other] == values[head]) {
        sets.join(head, other);
      } else {
        distinct.push_back(other);  // a 64-bit collision: LSH compares it properly
      }
    }
    start = end;
  }
  return distinct;
}

// Checks every pair in every bucket, except pairs already in one cluster: skipping those never
// changes the clusters, so the result is the components of all the links whatever the order.
// Quadratic in a bucket's size, but a bucket holds items that agree on ten minima: mostly one
// family, which the first few joins make one cluster.
void join_near_duplicates(const Signatures& signatures, const std::vector<uint32_t>& members, double threshold,
                          DisjointSets& sets) {
  for_each_lsh_bucket(signatures.values, members, [&](std::span<const uint32_t> bucket) {
    for (size_t b = 1; b < bucket.size(); ++b) {
      for (size_t a = 0; a < b; ++a) {
        if (sets.find(bucket[a]) == sets.find(bucket[b])) continue;
        if (estimated_jaccard(signatures.values[bucket[a]], signatures.values[bucket[b]]) >= threshold) {
          sets.join(bucket[a], bucket[b]);
        }
      }
    }
  });
}

const std::string& cluster_key(const DedupItem& item) {
  return item.canonical_hash.empty() ? item.id : item.canonical_hash;
}

// Each cluster's id is the least key among its members.
DedupOutcome describe_clusters(const std::vector<DedupItem>& items, DisjointSets& sets) {
  std::unordered_map<uint32_t, uint32_t> least_key;  // root -> member with the least key
  for (uint32_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = least_key.try_emplace(sets.find(i), i);
    if (cluster_key(items[i]) < cluster_key(items[it->second])) it->second = i;
  }
  DedupOutcome outcome;
  outcome.results.resize(items.size());
  for (uint32_t i = 0; i < items.size(); ++i) {
    outcome.results[i].cluster_id = cluster_key(items[least_key.at(sets.find(i))]);
  }
  choose_representatives(items, outcome);
  return outcome;
}

}  // namespace

void choose_representatives(const std::vector<DedupItem>& items, DedupOutcome& outcome) {
  std::unordered_map<std::string_view, uint32_t> representative;  // cluster id -> member
  for (uint32_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = representative.try_emplace(outcome.results[i].cluster_id, i);
    const DedupItem& best = items[it->second];
    if (std::tie(items[i].rank, items[i].id) < std::tie(best.rank, best.id)) it->second = i;
  }
  outcome.clusters = static_cast<int>(representative.size());
  outcome.exact_dropped = outcome.near_dropped = 0;
  for (uint32_t i = 0; i < items.size(); ++i) {
    DedupResult& result = outcome.results[i];
    uint32_t chosen = representative.at(result.cluster_id);
    const DedupItem& kept = items[chosen];
    result.representative_id = kept.id;
    if (i == chosen) {
      result.kind = DuplicateKind::kRepresentative;
    } else if (!items[i].canonical_hash.empty() && items[i].canonical_hash == kept.canonical_hash) {
      result.kind = DuplicateKind::kExact;
      ++outcome.exact_dropped;
    } else {
      result.kind = DuplicateKind::kNear;
      ++outcome.near_dropped;
    }
  }
}

StatusOr<DedupOutcome> deduplicate(const std::vector<DedupItem>& items, const DedupOptions& options) {
  if (Status status = check_input(items, options); !status) return status;
  DisjointSets sets(items.size());
  join_exact_duplicates(items, sets);
  Signatures signatures = sign_items(items, options.threads);
  join_near_duplicates(signatures, join_identical_signatures(signatures, sets), options.threshold, sets);
  return describe_clusters(items, sets);
}

}  // namespace tritonpile::storage
