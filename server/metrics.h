// Request metrics in Prometheus text format: requests and errors per route, a latency histogram,
// index document count and revision, build info. Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>

#include "server/index_snapshot.h"

namespace nexuskb {

// The route family a path belongs to ("/doc/gp-1" -> "/doc/{id}"), so labels stay few.
std::string route_label(const std::string& path);

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // `seconds` < 0: duration unknown (refused before routing); counted, not timed.
  void record(const std::string& route, int status, double seconds);
  std::string render(const IndexSnapshot& snapshot) const;

 private:
  struct RouteStats {
    std::map<int, unsigned long long> by_status;
    std::array<unsigned long long, kBuckets.size()> buckets{};  // cumulative at render time
    unsigned long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, RouteStats> routes_;
};

}  // namespace nexuskb
