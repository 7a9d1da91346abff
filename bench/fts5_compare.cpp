#include "bench/fts5_compare.h"

#include <sys/stat.h>

namespace nexuskb::bench {
namespace {

using Counts = std::map<std::string, std::map<std::string, long>>;

Counts nonzero(const Counts& in) {
  Counts out;
  for (const auto& [facet, values] : in) {
    for (const auto& [v, n] : values) {
      if (n) out[facet][v] = n;
    }
  }
  return out;
}

Counts counts_of(const SearchResult& r) {
  Counts out;
  for (const FacetResult& f : r.facets) {
    for (const FacetCount& c : f.values) {
      if (c.count) out[f.name][c.value] = c.count;
    }
  }
  return out;
}

}  // namespace

nlohmann::json answer_json(const SearchResult& r) {
  return {{"total", r.total}, {"facets", counts_of(r)}};
}

Fts5Compare::Fts5Compare(const std::string& db_path) : path_(db_path) {
  const auto t = Clock::now();
  peer_ = std::make_unique<Fts5Peer>(db_path);
  open_ms_ = ms_since(t);
}

const PeerRequest& Fts5Compare::request(const QueryLine& q) {
  auto it = requests_.find(q.qs);
  if (it == requests_.end())
    it = requests_.emplace(q.qs, peer_request(parse_query_string(q.qs))).first;
  return it->second;
}

PeerResult Fts5Compare::search(const QueryLine& q) {
  return peer_->search(request(q));
}

void Fts5Compare::timed_search(const QueryLine& q) {
  const PeerRequest& r = request(q);
  const auto t = Clock::now();
  const double c0 = thread_cpu_ms();
  peer_->search(r);
  latency_.add(q, ms_since(t), thread_cpu_ms() - c0);
}

void Fts5Compare::compare(const QueryLine& q, const SearchResult& ours) {
  const PeerResult theirs = search(q);
  Agreement& a = agreement_[q.category];
  ++a.queries;
  const bool total = theirs.total == static_cast<long>(ours.total);
  const bool counts = nonzero(theirs.facets) == counts_of(ours);
  a.same_total += total;
  a.same_counts += counts;
  a.same_all_words += theirs.total_all_words == static_cast<long>(ours.total_all_words);
  a.zero_results += theirs.total == 0;
  a.corrected += theirs.corrected;
  a.corrected_ours += ours.correction_applied;
  if ((!total || !counts) && (q.category == "facets_only" || q.category == "gp") &&
      mismatches_.size() < 10) {
    mismatches_.push_back({{"query", q.qs},
                           {"total", {{"nexuskb", ours.total}, {"fts5", theirs.total}}},
                           {"counts_equal", counts}});
  }
}

nlohmann::json Fts5Compare::report() {
  nlohmann::json out;
  latency_.write(out);
  out["open_ms"] = std::round(open_ms_ * 100) / 100;
  out["documents"] = peer_->documents();
  out["array_bytes"] = peer_->array_bytes();
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) out["db_kb"] = st.st_size / 1024;
  out["settings"] = peer_->settings();
  out["explain"] = peer_->explain();
  for (const auto& [cat, a] : agreement_) {
    out["agreement"][cat] = {{"queries", a.queries},
                             {"same_total", a.same_total},
                             {"same_facet_counts", a.same_counts},
                             {"same_all_words_total", a.same_all_words},
                             {"zero_results", a.zero_results},
                             {"corrected", a.corrected},
                             {"corrected_nexuskb", a.corrected_ours}};
  }
  out["mismatch_examples"] = mismatches_;
  return out;
}

}  // namespace nexuskb::bench
