// Running and scoring each engine's answer to a judged query.
#include "bench/relevance/engine_runs.h"

#include <chrono>
#include <set>
#include <stdexcept>

#include "server/search_request.h"
#include "server/search_service.h"

namespace nexuskb::relevance {
namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void score_hits(const std::vector<Hit>& hits, const JudgedQuery& q, const Titles& titles,
                EngineRun& run) {
  run.ran = true;
  std::set<std::string> seen;
  for (size_t i = 0; i < hits.size(); ++i) {
    const Hit& h = hits[i];
    if (!seen.insert(h.id).second) continue;
    run.ranking.push_back(h.id);
    if (run.top.size() < kCutoff) {
      auto t = titles.find(h.id);
      run.top.push_back({h.id, h.lang, t == titles.end() ? "" : t->second, h.score});
    }
    if (i < kCutoff) ++run.scores.distinct_top10;
  }
  const int distinct = run.scores.distinct_top10;
  run.scores = score(q, run.ranking);
  run.scores.distinct_top10 = distinct;
}

EngineRun nexuskb_run(const SearchService& service, const Taxonomy& taxonomy, const JudgedQuery& q,
                      const Titles& titles, int depth) {
  QueryParams params{{"q", q.query}, {"per_page", std::to_string(depth)}};
  for (const auto& [facet, values] : q.filters) {
    for (const auto& v : values) params.emplace(facet, v);
  }
  Expected<SearchRequest> req = parse_search_request(params, taxonomy);
  if (!req.ok()) {
    throw std::runtime_error(q.id + ": the API rejects this query: " + req.error().message);
  }
  EngineRun run;
  const auto t0 = std::chrono::steady_clock::now();
  SearchResult res = service.search(req.value());
  run.ms = ms_since(t0);
  run.total = static_cast<long>(res.total);
  std::vector<Hit> hits;
  for (const SearchHit& h : res.hits) hits.push_back({h.item.id, h.item.lang, h.score});
  score_hits(hits, q, titles, run);
  if (!res.corrected_query.empty()) {
    run.notes.push_back(
        std::string(res.correction_applied ? "results for corrected query" : "did you mean") +
        " '" + res.corrected_query + "'");
  }
  if (res.relaxed) run.notes.push_back("relaxed: no item had every word, words ORed");
  if (res.syntax_fallback) run.notes.push_back("syntax fallback to plain words");
  return run;
}

EngineRun fts_run(const FtsBaseline& fts, const Bm25Weights& weights, const JudgedQuery& q,
                  const Titles& titles, int depth) {
  EngineRun run;
  const auto t0 = std::chrono::steady_clock::now();
  FtsRun f = fts.search(q.query, q.filters, weights, depth);
  run.ms = ms_since(t0);
  run.total = f.rows;
  score_hits(f.hits, q, titles, run);
  run.notes.push_back("MATCH " + f.match);
  return run;
}

EngineRun orama_run(const OramaResults& orama, const JudgedQuery& q, const Titles& titles) {
  EngineRun run;
  if (!orama.unavailable.empty()) return run;
  auto it = orama.by_query.find(q.id);
  if (it == orama.by_query.end()) {
    throw std::runtime_error(q.id + ": missing from Orama's output");
  }
  run.ms = it->second.ms;
  run.total = it->second.matched;
  score_hits(it->second.hits, q, titles, run);
  return run;
}

}  // namespace nexuskb::relevance
