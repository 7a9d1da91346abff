// A bounded cache of rendered responses, least recently used first out.
//
// Real traffic repeats itself: facet clicks, paging back, the popular words of the week. A
// response is keyed by the canonical request (every parameter that changes the answer) and is
// valid for one index generation: the first lookup after an index switch empties the cache.
// Thread-safe; values are shared, immutable strings.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nexuskb {

class ResponseCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  // Holds at most `max_bytes` of keys and bodies; 0 disables the cache.
  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body stored for `key` in index `generation`, or null.
  Body find(const std::string& key, uint64_t generation);
  // Stores `body`; a body larger than an eighth of the cache, or for an index generation older
  // than the newest seen, is not kept.
  void put(const std::string& key, uint64_t generation, Body body);

  struct Computed {
    Body body;
    bool keep = true;  // false: answer with it, but do not cache it (e.g. an inexhaustive search)
  };
  enum class Outcome { kHit, kShared, kMiss };
  // The body for `key`: from the cache; or from a concurrent identical request's computation
  // (single flight: one computes, the others wait for its result); or computed now by `compute`.
  // An exception from `compute` reaches every request waiting for it. With the cache disabled,
  // computes every time.
  Body get_or_compute(const std::string& key, uint64_t generation,
                      const std::function<Computed()>& compute, Outcome& outcome);

  unsigned long long hits() const { return hits_; }
  unsigned long long misses() const { return misses_; }
  size_t bytes() const;
  bool enabled() const { return max_bytes_ > 0; }

 private:
  struct Entry {
    std::string key;
    Body body;
  };
  // With mutex_ held: empties the cache for a newer generation; false for an older one.
  bool reset_for(uint64_t generation);

  const size_t max_bytes_;
  mutable std::mutex mutex_;
  uint64_t generation_ = 0;
  size_t bytes_ = 0;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> entries_;
  // Computations under way, by generation and key.
  std::unordered_map<std::string, std::shared_future<Body>> in_flight_;
  std::atomic<unsigned long long> hits_{0}, misses_{0};
};

}  // namespace nexuskb
