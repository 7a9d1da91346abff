// In-process search latency: SearchService::search over a query file, warm and cold, with the
// time split into phases (bench/search_phases.cpp); and, with --fts5, the SQLite FTS5 peer
// (bench/fts5_peer.*) over the same queries in the same process and thread, its passes
// interleaved with nexuskb's so that both see the same machine load. Links nexuskb_server; no
// HTTP involved. Neither engine has a response cache here: every call is a fresh search.
//
//   search_bench --index PATH --queries FILE [--repeat 5] [--cold 40] [--json OUT]
//                [--fts5 DB] [--answers OUT.jsonl] [--no-phases]
//   search_bench --index PATH --queries FILE --loop-seconds 20 [--loop-engine fts5 --fts5 DB]
//
// Query file lines: <category> TAB <filters> TAB <url query string> (bench/gen_corpus.py).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "bench/bench_util.h"
#include "bench/fts5_compare.h"
#include "bench/search_phases.h"
#include "server/index_snapshot.h"
#include "server/search_request.h"
#include "server/search_service.h"

namespace {

using namespace nexuskb::bench;
namespace fs = std::filesystem;

struct Query {
  QueryLine line;
  nexuskb::SearchRequest request;
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

int usage() {
  std::cerr << "usage: search_bench --index PATH --queries FILE [--repeat N] [--cold N] "
               "[--json OUT] [--fts5 DB] [--answers OUT] [--loop-seconds S] "
               "[--loop-engine nexuskb|fts5] "
               "[--no-phases]\n";
  return 2;
}

void write_phases(nlohmann::json& out, nexuskb::IndexHandle& handle,
                  const std::vector<Query>& queries, int repeat) {
  Xapian::Database& db = handle.database();
  Stats build, topk, exact, spies, disj, counting, own;
  std::map<std::string, Stats> counting_by_filters, own_by_filters;
  const auto snapshot = handle.snapshot();
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
      const std::string f = std::to_string(q.line.filters) + "_filters";
      counting_by_filters[f].add(c);
      own.add(p.own_counting);
      own_by_filters[f].add(p.own_counting);
    }
  }
  auto& ph = out["phases"];
  ph["build_query"] = build.summary();
  ph["match_topk_no_counts"] = topk.summary();
  ph["match_exact_total"] = exact.summary();
  ph["match_exact_with_spies"] = spies.summary();
  ph["disjunctive_count_runs"] = disj.summary();
  // Facet counting with Xapian's built-in spies (the method remote shards still use) ...
  ph["facet_counting_builtin_spies"] = counting.summary();
  for (auto& [k, s] : counting_by_filters)
    ph["facet_counting_builtin_spies_by_filters"][k] = s.summary();
  // ... and with the server's own FacetCounter (local indexes), in the same run.
  ph["facet_counting"] = own.summary();
  for (auto& [k, s] : own_by_filters) ph["facet_counting_by_filters"][k] = s.summary();
}

}  // namespace

int main(int argc, char** argv) {
  std::string index_path, queries_path, json_out, fts5_path, answers_path, loop_engine = "nexuskb";
  int repeat = 5, cold = 40;
  double loop_seconds = 0;
  bool phases = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--index")
      index_path = next();
    else if (a == "--queries")
      queries_path = next();
    else if (a == "--json")
      json_out = next();
    else if (a == "--fts5")
      fts5_path = next();
    else if (a == "--answers")
      answers_path = next();
    else if (a == "--repeat")
      repeat = std::stoi(next());
    else if (a == "--cold")
      cold = std::stoi(next());
    else if (a == "--loop-seconds")
      loop_seconds = std::stod(next());
    else if (a == "--loop-engine")
      loop_engine = next();
    else if (a == "--no-phases")
      phases = false;
    else
      return usage();
  }
  if (index_path.empty() || queries_path.empty()) return usage();
  if (loop_engine == "fts5" && fts5_path.empty()) return usage();

  const long rss_before = status_kb("VmRSS:");
  auto opened = Clock::now();
  auto handle = std::make_unique<nexuskb::IndexHandle>(index_path);
  const double open_ms = ms_since(opened);
  const auto snap = handle->snapshot();

  std::vector<Query> queries;
  for (QueryLine& line : read_query_file(queries_path)) {
    auto parsed = nexuskb::parse_search_request(parse_query_string(line.qs), snap->taxonomy);
    if (!parsed.ok()) {
      std::cerr << "skipping invalid query '" << line.qs << "': " << parsed.error().message << "\n";
      continue;
    }
    queries.push_back({std::move(line), parsed.value()});
  }
  if (queries.empty()) {
    std::cerr << "no queries\n";
    return 1;
  }

  if (loop_seconds > 0) {  // steady load for `perf record`
    nexuskb::SearchService service(*handle);
    std::unique_ptr<Fts5Peer> peer;
    if (loop_engine == "fts5") peer = std::make_unique<Fts5Peer>(fts5_path);
    const auto until = Clock::now() + std::chrono::duration<double>(loop_seconds);
    size_t n = 0;
    while (Clock::now() < until) {
      for (const Query& q : queries) {
        if (peer)
          peer->search(peer_request(parse_query_string(q.line.qs)));
        else
          service.search(q.request);
      }
      n += queries.size();
    }
    std::cout << "{\"searches\": " << n << ", \"engine\": \"" << loop_engine << "\"}\n";
    return 0;
  }

  nlohmann::json out;
  out["index"] = fs::path(index_path).filename().string();  // no machine paths in results
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
  if (n_cold)
    out["cold"]["resident_after_evict_pct"] = std::round(resident_sum / n_cold * 1000) / 10;

  // Warm: one pass to load the caches, then `repeat` timed passes; with --fts5 the peer's
  // passes alternate with nexuskb's.
  nexuskb::SearchService service(*handle);
  std::unique_ptr<Fts5Compare> fts5;
  if (!fts5_path.empty()) fts5 = std::make_unique<Fts5Compare>(fts5_path);
  for (const Query& q : queries) service.search(q.request);
  if (fts5) {
    for (const Query& q : queries) fts5->search(q.line);
  }
  std::ofstream answers;  // nexuskb's totals and counts, for bench_sphinx --expect
  if (!answers_path.empty()) answers.open(answers_path);
  LatencyTable ours;
  Stats took;
  std::map<std::string, long> zero_hits, corrected, relaxed;
  for (int r = 0; r < repeat; ++r) {
    for (const Query& q : queries) {
      auto t = Clock::now();
      const double c0 = thread_cpu_ms();
      nexuskb::SearchResult res = service.search(q.request);
      ours.add(q.line, ms_since(t), thread_cpu_ms() - c0);
      took.add(res.took_ms);
      if (r == 0) {
        zero_hits[q.line.category] += res.total == 0;
        corrected[q.line.category] += res.correction_applied;
        relaxed[q.line.category] += res.relaxed;
        if (fts5) fts5->compare(q.line, res);
        if (answers) {
          nlohmann::json a = answer_json(res);
          a["qs"] = q.line.qs;
          answers << a.dump() << "\n";
        }
      }
    }
    if (fts5) {
      for (const Query& q : queries) fts5->timed_search(q.line);
    }
  }
  ours.write(out);
  out["warm_took_ms"] = took.summary();
  for (auto& [k, v] : out["warm_by_category"].items()) {
    v["zero_results"] = zero_hits[k];
    v["corrected"] = corrected[k];
    v["relaxed"] = relaxed[k];
  }
  if (fts5) out["fts5"] = fts5->report();

  if (phases) write_phases(out, *handle, queries, repeat);
  out["rss_kb"] = status_kb("VmRSS:");
  out["rss_peak_kb"] = status_kb("VmHWM:");
  out["pss_kb"] = pss_kb();
  out["rss_before_open_kb"] = rss_before;

  const std::string text = out.dump(2);
  if (!json_out.empty()) std::ofstream(json_out) << text << "\n";
  std::cout << text << "\n";
  return 0;
}
