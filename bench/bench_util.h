// Small helpers shared by the benchmark drivers (bench_search, bench_sphinx): the query file,
// URL query strings, clocks and percentile summaries. Header-only; no nexuskb dependency.
//
// Query file lines (bench/gen_corpus.py): <category> TAB <number of filters> TAB <query string>.
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexuskb::bench {

using Clock = std::chrono::steady_clock;
using Params = std::multimap<std::string, std::string>;

inline double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// CPU time of the calling thread: unaffected by other processes competing for the cores.
inline double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

inline std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

inline Params parse_query_string(const std::string& qs) {
  Params params;
  size_t pos = 0;
  while (pos <= qs.size()) {
    size_t amp = qs.find('&', pos);
    if (amp == std::string::npos) amp = qs.size();
    std::string pair = qs.substr(pos, amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      params.emplace(url_decode(pair.substr(0, eq)),
                     eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  return params;
}

struct QueryLine {
  std::string category, qs;
  int filters = 0;
};

inline std::vector<QueryLine> read_query_file(const std::string& path) {
  std::vector<QueryLine> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    out.push_back(
        {line.substr(0, t1), line.substr(t2 + 1), std::stoi(line.substr(t1 + 1, t2 - t1 - 1))});
  }
  return out;
}

// Latency samples -> n, p50, p95, p99, max, mean (milliseconds, three decimals).
struct Stats {
  std::vector<double> samples;
  void add(double v) { samples.push_back(v); }
  nlohmann::json summary() {
    nlohmann::json j;
    if (samples.empty()) return j;
    std::sort(samples.begin(), samples.end());
    auto pct = [&](double p) {
      size_t i = static_cast<size_t>(std::ceil(p / 100.0 * samples.size())) - 1;
      return samples[std::min(i, samples.size() - 1)];
    };
    auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
    j["n"] = samples.size();
    j["p50_ms"] = round3(pct(50));
    j["p95_ms"] = round3(pct(95));
    j["p99_ms"] = round3(pct(99));
    j["max_ms"] = round3(samples.back());
    j["mean_ms"] = round3(std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size());
    return j;
  }
};

// Latency of one engine over a query file: overall, per category and per number of filters,
// wall clock and the thread's CPU time.
struct LatencyTable {
  Stats wall, cpu;
  std::map<std::string, Stats> by_category, by_filters, cpu_by_filters;
  void add(const QueryLine& q, double wall_ms, double cpu_ms) {
    wall.add(wall_ms);
    cpu.add(cpu_ms);
    by_category[q.category].add(wall_ms);
    const std::string f = std::to_string(q.filters) + "_filters";
    by_filters[f].add(wall_ms);
    cpu_by_filters[f].add(cpu_ms);
  }
  // Writes warm, warm_cpu, warm_by_category, warm_by_filters, warm_cpu_by_filters into `out`.
  void write(nlohmann::json& out) {
    out["warm"] = wall.summary();
    out["warm_cpu"] = cpu.summary();
    for (auto& [k, s] : by_category) out["warm_by_category"][k] = s.summary();
    for (auto& [k, s] : by_filters) out["warm_by_filters"][k] = s.summary();
    for (auto& [k, s] : cpu_by_filters) out["warm_cpu_by_filters"][k] = s.summary();
  }
};

// A process's proportional set size (shared pages divided among the processes mapping them),
// from /proc/PID/smaps_rollup; 0 when unreadable.
inline long pss_kb(const std::string& pid = "self") {
  std::ifstream in("/proc/" + pid + "/smaps_rollup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Pss:", 0) == 0) return std::stol(line.substr(4));
  }
  return 0;
}

// A field of /proc/self/status in kB ("VmRSS:", "VmHWM:").
inline long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string f(field);
  while (std::getline(in, line)) {
    if (line.rfind(f, 0) == 0) return std::stol(line.substr(f.size()));
  }
  return 0;
}

}  // namespace nexuskb::bench
