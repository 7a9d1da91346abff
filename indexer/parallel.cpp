// A minimal job runner: a shared counter hands out job indexes.
#include "indexer/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace nexuskb {

void run_parallel(const std::vector<std::function<void()>>& jobs, unsigned threads) {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < jobs.size();) {
      try {
        jobs[i]();
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  try {
    for (size_t t = 1; t < std::min<size_t>(threads, jobs.size()); ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started and this one do all the jobs.
  }
  worker();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

unsigned default_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace nexuskb
