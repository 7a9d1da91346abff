// Bounds the work the server does at once: at most `workers` requests search the index (the
// CPU-bound part) at the same time, whatever the number of open connections. A request that
// cannot start within `wait` gets Unavailable ("busy", 503 with Retry-After) instead of queueing
// without end. Thread-safe.
#pragma once

#include <chrono>
#include <semaphore>

namespace nexuskb {

class SearchGate {
 public:
  SearchGate(int workers, std::chrono::milliseconds wait) : slots_(workers), wait_(wait) {}

  // Holds one worker slot for its lifetime.
  class Pass {
   public:
    explicit Pass(SearchGate& gate);  // throws Unavailable when no slot frees up in time
    ~Pass() { gate_.slots_.release(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    SearchGate& gate_;
  };

 private:
  std::counting_semaphore<4096> slots_;
  std::chrono::milliseconds wait_;
};

}  // namespace nexuskb
