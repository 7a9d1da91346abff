// LRU bookkeeping for ResponseCache.
#include "server/response_cache.h"

namespace nexuskb {
namespace {

// Approximate memory of one entry: key and body twice over (list + map) is not counted; the
// fixed overhead of the nodes is.
constexpr size_t kEntryOverhead = 128;

size_t cost(const std::string& key, const std::string& body) {
  return key.size() + body.size() + kEntryOverhead;
}

}  // namespace

bool ResponseCache::reset_for(uint64_t generation) {
  if (generation < generation_) return false;  // a request that began before an index switch
  if (generation == generation_) return true;
  order_.clear();
  entries_.clear();
  bytes_ = 0;
  generation_ = generation;
  return true;
}

ResponseCache::Body ResponseCache::find(const std::string& key, uint64_t generation) {
  if (!enabled()) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = reset_for(generation) ? entries_.find(key) : entries_.end();
  if (it == entries_.end()) {
    ++misses_;
    return nullptr;
  }
  order_.splice(order_.begin(), order_, it->second);
  ++hits_;
  return it->second->body;
}

void ResponseCache::put(const std::string& key, uint64_t generation, Body body) {
  if (!enabled() || !body || cost(key, *body) > max_bytes_ / 8) return;
  std::lock_guard lock(mutex_);
  if (!reset_for(generation)) return;
  if (auto it = entries_.find(key); it != entries_.end()) {  // another thread was first
    bytes_ -= cost(key, *it->second->body);
    order_.erase(it->second);
    entries_.erase(it);
  }
  bytes_ += cost(key, *body);
  order_.push_front({key, std::move(body)});
  entries_.emplace(key, order_.begin());
  while (bytes_ > max_bytes_) {
    const Entry& last = order_.back();
    bytes_ -= cost(last.key, *last.body);
    entries_.erase(last.key);
    order_.pop_back();
  }
}

ResponseCache::Body ResponseCache::get_or_compute(const std::string& key, uint64_t generation,
                                                  const std::function<Computed()>& compute,
                                                  Outcome& outcome) {
  outcome = Outcome::kMiss;
  if (!enabled()) return compute().body;
  if (Body body = find(key, generation)) {
    outcome = Outcome::kHit;
    return body;
  }
  const std::string flight = std::to_string(generation) + '\n' + key;
  std::promise<Body> promise;
  std::shared_future<Body> shared;
  bool computing = false;
  {
    std::lock_guard lock(mutex_);
    // Stored since the lookup above (a computation finished in between): a hit after all.
    if (auto stored = entries_.find(key); stored != entries_.end() && generation == generation_) {
      ++hits_;
      outcome = Outcome::kHit;
      return stored->second->body;
    }
    auto it = in_flight_.find(flight);
    if (it == in_flight_.end()) {
      it = in_flight_.emplace(flight, promise.get_future().share()).first;
      computing = true;
    }
    shared = it->second;
  }
  if (!computing) {
    outcome = Outcome::kShared;
    return shared.get();  // rethrows the computing request's exception
  }
  auto finish = [&] {
    std::lock_guard lock(mutex_);
    in_flight_.erase(flight);
  };
  try {
    Computed computed = compute();
    if (computed.keep) put(key, generation, computed.body);
    finish();
    promise.set_value(computed.body);
    return computed.body;
  } catch (...) {
    finish();
    promise.set_exception(std::current_exception());
    throw;
  }
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace nexuskb
