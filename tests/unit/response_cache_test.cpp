// ResponseCache: LRU eviction by bytes, one index generation at a time, size limits, and the
// single-flight get_or_compute (one computation for concurrent identical misses).
#include "server/response_cache.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace nexuskb {
namespace {

using Body = ResponseCache::Body;
using Outcome = ResponseCache::Outcome;

// The cache's own accounting of one entry (response_cache.cpp): key + body + a fixed overhead.
constexpr size_t kEntryOverhead = 128;

Body body_of(size_t size, char fill = 'x') {
  return std::make_shared<const std::string>(size, fill);
}

// Keys of equal length, so that every entry costs the same.
std::string key_of(int i) {
  return "k" + std::to_string(100 + i);  // "k100", "k101", ...
}

// Waits (bounded) until `done` holds; false on timeout.
template <typename Predicate>
bool wait_for(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST(ResponseCacheTest, FindsWhatWasPutInTheSameGeneration) {
  ResponseCache cache(1 << 20);
  EXPECT_EQ(cache.find("a", 1), nullptr);
  const Body body = body_of(10, 'a');
  cache.put("a", 1, body);
  const Body found = cache.find("a", 1);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, "aaaaaaaaaa");
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.bytes(), 1 + 10 + kEntryOverhead);
}

TEST(ResponseCacheTest, EvictsTheLeastRecentlyUsedWhenBytesRunOut) {
  // Every entry costs 4 + 500 + 128 = 632 bytes; 12 fit in 8,000 (7,584), a 13th does not.
  constexpr size_t kMax = 8000, kBody = 500;
  const size_t each = key_of(0).size() + kBody + kEntryOverhead;
  ASSERT_LE(each, kMax / 8);  // each entry is small enough to be kept
  ResponseCache cache(kMax);
  for (int i = 0; i < 12; ++i) cache.put(key_of(i), 7, body_of(kBody));
  EXPECT_EQ(cache.bytes(), 12 * each);
  for (int i = 0; i < 12; ++i) EXPECT_NE(cache.find(key_of(i), 7), nullptr) << key_of(i);
  // Recency is now 11 (newest) ... 0 (oldest). Touch 0, so that 1 is the least recently used.
  ASSERT_NE(cache.find(key_of(0), 7), nullptr);
  cache.put(key_of(12), 7, body_of(kBody));
  EXPECT_EQ(cache.find(key_of(1), 7), nullptr) << "the least recently used entry stays";
  EXPECT_NE(cache.find(key_of(0), 7), nullptr) << "a recently read entry was evicted";
  EXPECT_NE(cache.find(key_of(12), 7), nullptr);
  EXPECT_EQ(cache.bytes(), 12 * each);
  EXPECT_LE(cache.bytes(), kMax);

  // Two more: the next two least recently used (2, then 3) go, nothing else.
  cache.put(key_of(13), 7, body_of(kBody));
  cache.put(key_of(14), 7, body_of(kBody));
  EXPECT_EQ(cache.find(key_of(2), 7), nullptr);
  EXPECT_EQ(cache.find(key_of(3), 7), nullptr);
  for (int i : {0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14})
    EXPECT_NE(cache.find(key_of(i), 7), nullptr) << key_of(i);
  EXPECT_EQ(cache.bytes(), 12 * each);
}

TEST(ResponseCacheTest, ReplacingAKeyKeepsTheByteCountRight) {
  ResponseCache cache(1 << 20);
  cache.put("same", 1, body_of(100));
  cache.put("same", 1, body_of(300, 'y'));
  EXPECT_EQ(cache.bytes(), 4 + 300 + kEntryOverhead);
  ASSERT_NE(cache.find("same", 1), nullptr);
  EXPECT_EQ(cache.find("same", 1)->size(), 300u);
}

TEST(ResponseCacheTest, ANewerGenerationEmptiesTheCache) {
  ResponseCache cache(1 << 20);
  cache.put("a", 1, body_of(10));
  cache.put("b", 1, body_of(10));
  ASSERT_GT(cache.bytes(), 0u);
  EXPECT_EQ(cache.find("a", 2), nullptr) << "an entry of generation 1 served for generation 2";
  EXPECT_EQ(cache.bytes(), 0u) << "the first lookup of a newer generation empties the cache";
  EXPECT_EQ(cache.find("b", 2), nullptr);
  // A put of a newer generation empties it too.
  cache.put("c", 2, body_of(10));
  cache.put("d", 3, body_of(10));
  EXPECT_EQ(cache.find("c", 3), nullptr);
  EXPECT_NE(cache.find("d", 3), nullptr);
}

TEST(ResponseCacheTest, AnOlderGenerationNeitherReadsNorStores) {
  ResponseCache cache(1 << 20);
  cache.put("a", 5, body_of(10));
  const size_t bytes = cache.bytes();
  // A request that began before an index switch:
  EXPECT_EQ(cache.find("a", 4), nullptr) << "generation 4 read an entry of generation 5";
  cache.put("b", 4, body_of(10));
  EXPECT_EQ(cache.bytes(), bytes) << "a body of an older generation was stored";
  EXPECT_EQ(cache.find("b", 5), nullptr);
  EXPECT_EQ(cache.find("b", 4), nullptr);
  // ... and it did not disturb the current generation.
  EXPECT_NE(cache.find("a", 5), nullptr);
}

TEST(ResponseCacheTest, OversizedBodiesAreNotKept) {
  constexpr size_t kMax = 8000;  // the limit per entry is an eighth: 1,000 bytes
  ResponseCache cache(kMax);
  const std::string key = "key";
  const size_t fits = kMax / 8 - key.size() - kEntryOverhead;
  cache.put(key, 1, body_of(fits + 1));
  EXPECT_EQ(cache.find(key, 1), nullptr) << "a body over an eighth of the cache was kept";
  EXPECT_EQ(cache.bytes(), 0u);
  cache.put(key, 1, body_of(fits));
  EXPECT_NE(cache.find(key, 1), nullptr) << "a body of exactly an eighth was not kept";
  cache.put("null", 1, nullptr);
  EXPECT_EQ(cache.find("null", 1), nullptr);
}

TEST(ResponseCacheTest, ADisabledCacheKeepsNothingAndComputesEveryTime) {
  ResponseCache cache(0);
  EXPECT_FALSE(cache.enabled());
  cache.put("a", 1, body_of(1));
  EXPECT_EQ(cache.find("a", 1), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
  int computed = 0;
  for (int i = 0; i < 3; ++i) {
    Outcome outcome = Outcome::kHit;
    const Body body = cache.get_or_compute(
        "a", 1,
        [&] {
          ++computed;
          return ResponseCache::Computed{body_of(3, 'z')};
        },
        outcome);
    ASSERT_NE(body, nullptr);
    EXPECT_EQ(*body, "zzz");
    EXPECT_EQ(outcome, Outcome::kMiss);
  }
  EXPECT_EQ(computed, 3);
}

TEST(ResponseCacheTest, GetOrComputeStoresThenHits) {
  ResponseCache cache(1 << 20);
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return ResponseCache::Computed{body_of(5, 'q')};
  };
  Outcome first = Outcome::kHit, second = Outcome::kMiss;
  const Body a = cache.get_or_compute("k", 1, compute, first);
  const Body b = cache.get_or_compute("k", 1, compute, second);
  EXPECT_EQ(first, Outcome::kMiss);
  EXPECT_EQ(second, Outcome::kHit);
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(a, b) << "a hit returns the stored body";
  // A new generation computes again.
  Outcome third = Outcome::kHit;
  cache.get_or_compute("k", 2, compute, third);
  EXPECT_EQ(third, Outcome::kMiss);
  EXPECT_EQ(computed, 2);
}

TEST(ResponseCacheTest, KeepFalseAnswersButDoesNotStore) {
  ResponseCache cache(1 << 20);
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return ResponseCache::Computed{body_of(5, 'p'), /*keep=*/false};
  };
  for (int i = 0; i < 2; ++i) {
    Outcome outcome = Outcome::kHit;
    const Body body = cache.get_or_compute("k", 1, compute, outcome);
    ASSERT_NE(body, nullptr);
    EXPECT_EQ(*body, "ppppp");
    EXPECT_EQ(outcome, Outcome::kMiss);
  }
  EXPECT_EQ(computed, 2);
  EXPECT_EQ(cache.find("k", 1), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

// Eight threads miss the same key at once. The computation waits until all eight have looked the
// key up and missed (the cache counts misses), plus a grace period for them to reach the
// in-flight table, so that the seven others are certainly waiting for it.
TEST(ResponseCacheTest, ConcurrentIdenticalMissesShareOneComputation) {
  constexpr int kThreads = 8;
  ResponseCache cache(1 << 20);
  std::atomic<int> computed{0};
  std::atomic<bool> all_missed{true};
  auto compute = [&] {
    ++computed;
    all_missed = wait_for([&] { return cache.misses() >= kThreads; });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return ResponseCache::Computed{body_of(64, 's')};
  };
  std::vector<Body> bodies(kThreads);
  std::vector<Outcome> outcomes(kThreads, Outcome::kHit);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(
        [&, t] { bodies[t] = cache.get_or_compute("same", 3, compute, outcomes[t]); });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(all_missed) << "the threads did not all miss within 10 s";
  EXPECT_EQ(computed.load(), 1) << "concurrent identical misses computed more than once";
  int misses = 0, shared = 0;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_NE(bodies[t], nullptr);
    EXPECT_EQ(bodies[t], bodies[0]) << "thread " << t << " got another body";
    misses += outcomes[t] == Outcome::kMiss;
    shared += outcomes[t] == Outcome::kShared;
  }
  EXPECT_EQ(misses, 1);
  EXPECT_EQ(shared, kThreads - 1);
  // And the result is cached for the next request.
  Outcome later = Outcome::kMiss;
  EXPECT_EQ(cache.get_or_compute("same", 3, compute, later), bodies[0]);
  EXPECT_EQ(later, Outcome::kHit);
  EXPECT_EQ(computed.load(), 1);
}

TEST(ResponseCacheTest, AFailedComputationReachesEveryWaiterAndIsNotRemembered) {
  constexpr int kThreads = 8;
  ResponseCache cache(1 << 20);
  std::atomic<int> computed{0};
  auto failing = [&]() -> ResponseCache::Computed {
    ++computed;
    wait_for([&] { return cache.misses() >= kThreads; });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    throw std::runtime_error("index exploded");
  };
  std::vector<std::string> errors(kThreads);
  // Every waiter gets the same exception object. Its reference count lives in libstdc++, which
  // ThreadSanitizer does not see; holding a reference here until the threads are joined makes
  // this thread the one that frees it, after every read.
  std::vector<std::exception_ptr> caught(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Outcome outcome;
      try {
        cache.get_or_compute("boom", 1, failing, outcome);
        errors[t] = "no exception";
      } catch (const std::runtime_error& e) {
        errors[t] = e.what();
        caught[t] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 1; t < kThreads; ++t) {
    EXPECT_EQ(caught[t], caught[0]) << "thread " << t << " got another exception object";
  }
  caught.clear();
  EXPECT_EQ(computed.load(), 1);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], "index exploded") << "thread " << t;

  // The failure is neither cached nor left in flight: the next call computes again.
  Outcome outcome = Outcome::kHit;
  const Body body = cache.get_or_compute(
      "boom", 1,
      [&] {
        ++computed;
        return ResponseCache::Computed{body_of(2, 'o')};
      },
      outcome);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(*body, "oo");
  EXPECT_EQ(outcome, Outcome::kMiss);
  EXPECT_EQ(computed.load(), 2);
}

}  // namespace
}  // namespace nexuskb
