// Runs the extractor over files named on stdin (one path a line) with N threads (argv[1],
// default 1) and prints, per file, one JSON line with what it found, then a timing line on
// stderr. The extractor benchmark (bench/extractor_benchmark.py) compares this with a Python
// ast-based extractor.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <atomic>

#include "extractor/file_extractor.h"

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
  std::vector<std::pair<std::string, std::string>> files;
  std::string path;
  size_t bytes = 0;
  while (std::getline(std::cin, path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    files.emplace_back(path, buffer.str());
    bytes += files.back().second.size();
  }
  std::vector<tritonpile::extractor::FileExtraction> results(files.size());
  tritonpile::extractor::extract_file("");  // compiles the queries once, outside the timing
  // Largest files first, so the threads run out of work within a small file of each other.
  std::vector<size_t> order(files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return files[a].second.size() > files[b].second.size(); });
  auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < order.size(); k = next++) {
      size_t i = order[k];
      results[i] = tritonpile::extractor::extract_file(std::move(files[i].second), files[i].first);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t i = 0; i < files.size(); ++i) {
    std::cout << nlohmann::json{{"path", files[i].first}, {"extraction", results[i]}}.dump() << "\n";
  }
  std::fprintf(stderr, "{\"files\": %zu, \"bytes\": %zu, \"seconds\": %.6f, \"threads\": %d}\n", files.size(),
               bytes, seconds, threads);
  return 0;
}
