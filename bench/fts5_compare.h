// bench_search's side of the FTS5 peer: runs it over the query file (requests parsed before the
// clock starts, as nexuskb's are), times it like nexuskb, and checks its answers against
// nexuskb's (exact totals and disjunctive facet counts, per query category).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "bench/bench_util.h"
#include "bench/fts5_peer.h"
#include "server/search_result.h"

namespace nexuskb::bench {

// nexuskb's answer to one query as the peers are checked against it: {"total", "facets":
// {facet: {value: count}}} with zero counts left out. bench_search --answers writes one per line
// (with "qs"); bench_sphinx --expect reads them back.
nlohmann::json answer_json(const SearchResult& r);

class Fts5Compare {
 public:
  explicit Fts5Compare(const std::string& db_path);
  PeerResult search(const QueryLine& q);  // untimed (warm-up)
  void timed_search(const QueryLine& q);
  // Compares the peer's answer to `q` with nexuskb's.
  void compare(const QueryLine& q, const SearchResult& ours);
  nlohmann::json report();

 private:
  const PeerRequest& request(const QueryLine& q);
  struct Agreement {
    long queries = 0, same_total = 0, same_counts = 0, same_all_words = 0;
    long zero_results = 0, corrected = 0, corrected_ours = 0;
  };
  std::string path_;
  double open_ms_ = 0;
  std::unique_ptr<Fts5Peer> peer_;
  std::unordered_map<std::string, PeerRequest> requests_;
  LatencyTable latency_;
  std::map<std::string, Agreement> agreement_;
  nlohmann::json mismatches_ = nlohmann::json::array();  // a few examples, for the report
};

}  // namespace nexuskb::bench
