// In-process search latency: SearchService::search over a query file, warm and cold, with the
// time split into phases (query building, matching, facet counting, hits) so that a regression
// can be located without a profiler. Links nexuskb_server; no HTTP involved.
//
//   search_bench --index PATH --queries FILE [--repeat 5] [--cold 40] [--json OUT]
//   search_bench --index PATH --queries FILE --loop-seconds 20     (a steady load for perf)
//
// Query file lines: <category> TAB <filters> TAB <url query string> (bench/gen_corpus.py).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/schema.h"
#include "server/facet_counter.h"
#include "server/index_snapshot.h"
#include "server/query_builder.h"
#include "server/search_request.h"
#include "server/search_service.h"

namespace {

using nexuskb::QueryParams;
using nexuskb::SearchRequest;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// CPU time of the calling thread: unaffected by other processes competing for the cores.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::string url_decode(const std::string& s) {
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

QueryParams parse_query_string(const std::string& qs) {
  QueryParams params;
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

struct Query {
  std::string category, qs;
  int filters = 0;
  SearchRequest request;
};

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
    j["mean_ms"] =
        round3(std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size());
    return j;
  }
};

// Evicts every file of the index from the page cache; returns the resident fraction afterwards.
double evict_index(const std::string& dir) {
  size_t pages = 0, resident = 0;
  const long page = sysconf(_SC_PAGESIZE);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    int fd = ::open(e.path().c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* map = ::mmap(nullptr, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
      if (map != MAP_FAILED) {
        const size_t n = (st.st_size + page - 1) / page;
        std::vector<unsigned char> vec(n);
        if (::mincore(map, st.st_size, vec.data()) == 0) {
          pages += n;
          for (unsigned char c : vec) resident += c & 1;
        }
        ::munmap(map, st.st_size);
      }
    }
    ::close(fd);
  }
  return pages ? static_cast<double>(resident) / pages : 0.0;
}

long rss_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return 0;
}

// The phases of SearchService::search, re-enacted through the public QueryBuilder API.
struct Phases {
  double build = 0, match_topk = 0, match_exact = 0, match_spies = 0, disjunctive = 0;
  double own_counting = 0;  // what SearchService pays for counts with its FacetCounter
};

Phases time_phases(Xapian::Database& db, const nexuskb::FacetCodes& codes,
                   const SearchRequest& request) {
  Phases p;
  const Xapian::doccount all = db.get_doccount();
  const Xapian::doccount first = (request.page - 1) * request.per_page;
  auto t = Clock::now();
  nexuskb::QueryBuilder builder(db);
  nexuskb::QueryPlan plan = builder.build(request);
  p.build = ms_since(t);
  const Xapian::Query query = nexuskb::filtered(plan);
  {
    // What a top-k engine does: no exact total, no counts. (Run once untimed first, so that
    // this first phase does not pay for warming the blocks the later ones reuse.)
    Xapian::Enquire warm(db);
    warm.set_query(query);
    warm.get_mset(first, request.per_page, all);
    t = Clock::now();
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.get_mset(first, request.per_page);
    p.match_topk = ms_since(t);
  }
  {
    // Exact totals (checkatleast = doccount), no counts.
    t = Clock::now();
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.get_mset(first, request.per_page, all);
    p.match_exact = ms_since(t);
  }
  {
    // Exact totals plus one ValueCountMatchSpy per facet without a selection.
    t = Clock::now();
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (const auto& f : nexuskb::schema::kFacets) {
      if (plan.filters.count(std::string(f.name))) continue;
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(f.slot));
      enquire.add_matchspy(spies.back().get());
    }
    Xapian::MSet mset = enquire.get_mset(first, request.per_page, all);
    for (auto& spy : spies) {
      for (auto it = spy->values_begin(); it != spy->values_end(); ++it) (void)*it;
    }
    p.match_spies = ms_since(t);
  }
  // One count-only run per facet with a selection (disjunctive counts).
  t = Clock::now();
  for (const auto& [name, q] : plan.filters) {
    const auto* facet = nexuskb::schema::find_facet(name);
    Xapian::Enquire widened(db);
    widened.set_query(nexuskb::filtered(plan, name));
    Xapian::ValueCountMatchSpy spy(facet->slot);
    widened.add_matchspy(&spy);
    widened.get_mset(0, 0, all);
  }
  p.disjunctive = ms_since(t);
  // The service's own counter: on the exact main match without filters (its cost is the
  // difference to the exact match alone), else one count-only match of "text AND all groups but
  // at most one" (the page itself needs only the top-k match).
  t = Clock::now();
  nexuskb::FacetCounter counter(codes, request.filters);
  Xapian::Enquire enquire(db);
  if (plan.filters.empty()) {
    enquire.set_query(query);
    enquire.add_matchspy(&counter);
    enquire.get_mset(first, request.per_page, all);
  } else {
    std::vector<Xapian::Query> groups;
    for (const auto& [name, q] : plan.filters) groups.push_back(q);
    enquire.set_query(nexuskb::FacetCounter::counting_query(plan.text, groups));
    enquire.add_matchspy(&counter);
    enquire.get_mset(0, 0, all);
  }
  for (size_t f = 0; f < nexuskb::schema::kFacets.size(); ++f) (void)counter.counts(f);
  p.own_counting = ms_since(t) - (plan.filters.empty() ? p.match_exact : 0.0);
  p.own_counting = std::max(0.0, p.own_counting);
  return p;
}

int usage() {
  std::cerr << "usage: search_bench --index PATH --queries FILE [--repeat N] [--cold N] "
               "[--json OUT] [--loop-seconds S] [--no-phases]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string index_path, queries_path, json_out;
  int repeat = 5, cold = 40;
  double loop_seconds = 0;
  bool phases = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--index") index_path = next();
    else if (a == "--queries") queries_path = next();
    else if (a == "--json") json_out = next();
    else if (a == "--repeat") repeat = std::stoi(next());
    else if (a == "--cold") cold = std::stoi(next());
    else if (a == "--loop-seconds") loop_seconds = std::stod(next());
    else if (a == "--no-phases") phases = false;
    else return usage();
  }
  if (index_path.empty() || queries_path.empty()) return usage();

  const long rss_before = rss_kb("VmRSS:");
  auto opened = Clock::now();
  auto handle = std::make_unique<nexuskb::IndexHandle>(index_path);
  const double open_ms = ms_since(opened);
  nexuskb::SearchService service(*handle);
  const auto snap = handle->snapshot();

  std::vector<Query> queries;
  {
    std::ifstream in(queries_path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      Query q;
      size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
      q.category = line.substr(0, t1);
      q.filters = std::stoi(line.substr(t1 + 1, t2 - t1 - 1));
      q.qs = line.substr(t2 + 1);
      auto parsed = nexuskb::parse_search_request(parse_query_string(q.qs), snap->taxonomy);
      if (!parsed.ok()) {
        std::cerr << "skipping invalid query '" << q.qs << "': " << parsed.error().message
                  << "\n";
        continue;
      }
      q.request = parsed.value();
      queries.push_back(std::move(q));
    }
  }
  if (queries.empty()) {
    std::cerr << "no queries\n";
    return 1;
  }

  if (loop_seconds > 0) {  // steady load for `perf record`
    const auto until = Clock::now() + std::chrono::duration<double>(loop_seconds);
    size_t n = 0;
    while (Clock::now() < until) {
      for (const Query& q : queries) service.search(q.request);
      n += queries.size();
    }
    std::cout << "{\"searches\": " << n << "}\n";
    return 0;
  }

  nlohmann::json out;
  out["index"] = index_path;
  out["documents"] = snap->doc_count;
  out["queries"] = queries.size();
  out["open_ms"] = std::round(open_ms * 100) / 100;

  // Cold: page cache of the index evicted and a fresh Database before each query.
  Stats cold_all;
  double resident_sum = 0;
  const std::string resolved = snap->resolved_path;
  const int n_cold = std::min<int>(cold, queries.size());
  for (int i = 0; i < n_cold; ++i) {
    auto fresh = std::make_unique<nexuskb::IndexHandle>(index_path);  // new address: new Database
    fresh->database();
    resident_sum += evict_index(resolved);
    nexuskb::SearchService cold_service(*fresh);
    auto t = Clock::now();
    cold_service.search(queries[i].request);
    cold_all.add(ms_since(t));
    handle.swap(fresh);  // keep one handle alive so the next one gets another address
  }
  out["cold"] = cold_all.summary();
  if (n_cold) out["cold"]["resident_after_evict_pct"] = std::round(resident_sum / n_cold * 1000) / 10;

  // Warm: one pass to load the caches, then `repeat` timed passes.
  nexuskb::SearchService warm_service(*handle);
  for (const Query& q : queries) warm_service.search(q.request);
  Stats all, took, cpu;
  std::map<std::string, Stats> by_category, by_filters, cpu_by_filters;
  std::map<std::string, long> zero_hits, corrected, relaxed;
  for (int r = 0; r < repeat; ++r) {
    for (const Query& q : queries) {
      auto t = Clock::now();
      const double c0 = thread_cpu_ms();
      nexuskb::SearchResult res = warm_service.search(q.request);
      const double ms = ms_since(t);
      const double cpu_ms = thread_cpu_ms() - c0;
      all.add(ms);
      cpu.add(cpu_ms);
      cpu_by_filters[std::to_string(q.filters) + "_filters"].add(cpu_ms);
      took.add(res.took_ms);
      by_category[q.category].add(ms);
      by_filters[std::to_string(q.filters) + "_filters"].add(ms);
      if (r == 0) {
        zero_hits[q.category] += res.total == 0;
        corrected[q.category] += res.correction_applied;
        relaxed[q.category] += res.relaxed;
      }
    }
  }
  out["warm"] = all.summary();
  out["warm_took_ms"] = took.summary();
  out["warm_cpu"] = cpu.summary();
  for (auto& [k, s] : cpu_by_filters) out["warm_cpu_by_filters"][k] = s.summary();
  for (auto& [k, s] : by_category) {
    out["warm_by_category"][k] = s.summary();
    out["warm_by_category"][k]["zero_results"] = zero_hits[k];
    out["warm_by_category"][k]["corrected"] = corrected[k];
    out["warm_by_category"][k]["relaxed"] = relaxed[k];
  }
  for (auto& [k, s] : by_filters) out["warm_by_filters"][k] = s.summary();

  if (phases) {
    Xapian::Database& db = handle->database();
    Stats build, topk, exact, spies, disj, counting, own;
    std::map<std::string, Stats> counting_by_filters, own_by_filters;
    const auto snapshot = handle->snapshot();
    for (int r = 0; r < std::max(1, repeat / 2); ++r) {
      for (const Query& q : queries) {
        Phases p = time_phases(db, snapshot->facet_codes, q.request);
        build.add(p.build);
        topk.add(p.match_topk);
        exact.add(p.match_exact);
        spies.add(p.match_spies);
        disj.add(p.disjunctive);
        const double c = std::max(0.0, p.match_spies - p.match_exact) + p.disjunctive;
        counting.add(c);
        counting_by_filters[std::to_string(q.filters) + "_filters"].add(c);
        own.add(p.own_counting);
        own_by_filters[std::to_string(q.filters) + "_filters"].add(p.own_counting);
      }
    }
    out["phases"]["build_query"] = build.summary();
    out["phases"]["match_topk_no_counts"] = topk.summary();
    out["phases"]["match_exact_total"] = exact.summary();
    out["phases"]["match_exact_with_spies"] = spies.summary();
    out["phases"]["disjunctive_count_runs"] = disj.summary();
    // Facet counting with Xapian's built-in spies (the method remote shards still use) ...
    out["phases"]["facet_counting_builtin_spies"] = counting.summary();
    for (auto& [k, s] : counting_by_filters)
      out["phases"]["facet_counting_builtin_spies_by_filters"][k] = s.summary();
    // ... and with the server's own FacetCounter (local indexes), in the same run.
    out["phases"]["facet_counting"] = own.summary();
    for (auto& [k, s] : own_by_filters) out["phases"]["facet_counting_by_filters"][k] = s.summary();
  }
  out["rss_kb"] = rss_kb("VmRSS:");
  out["rss_peak_kb"] = rss_kb("VmHWM:");
  out["rss_before_open_kb"] = rss_before;

  const std::string text = out.dump(2);
  if (!json_out.empty()) {
    std::ofstream(json_out) << text << "\n";
  }
  std::cout << text << "\n";
  return 0;
}
