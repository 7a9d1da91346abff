// Running independent indexing jobs on a few threads.
#pragma once

#include <functional>
#include <vector>

namespace nexuskb {

// Runs `jobs` on up to `threads` threads (the caller's included) and rethrows the first
// exception any of them threw, after all have finished.
void run_parallel(const std::vector<std::function<void()>>& jobs, unsigned threads);

// One thread per core (at least one).
unsigned default_threads();

}  // namespace nexuskb
