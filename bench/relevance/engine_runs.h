// One judged query through each engine, its answer reduced to distinct items and scored.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/relevance/fts_baseline.h"
#include "bench/relevance/orama_baseline.h"
#include "bench/relevance/report.h"

namespace nexuskb {
class SearchService;
class Taxonomy;
}  // namespace nexuskb

namespace nexuskb::relevance {

using Titles = std::map<std::string, std::string>;  // item id -> title shown in the report

// Fills run.ranking (distinct items, first occurrence wins), run.top, the scores and
// scores.distinct_top10 from `hits` as the engine returned them; sets run.ran.
void score_hits(const std::vector<Hit>& hits, const JudgedQuery& q, const Titles& titles,
                EngineRun& run);

// nexuskb: the request exactly as the API parses it (per_page = depth). Throws
// std::runtime_error when the API would reject the query.
EngineRun nexuskb_run(const SearchService& service, const Taxonomy& taxonomy, const JudgedQuery& q,
                      const Titles& titles, int depth);

EngineRun fts_run(const FtsBaseline& fts, const Bm25Weights& weights, const JudgedQuery& q,
                  const Titles& titles, int depth);

// Orama's answer to `q` from a run of run.mjs; not run when Orama was unavailable.
EngineRun orama_run(const OramaResults& orama, const JudgedQuery& q, const Titles& titles);

}  // namespace nexuskb::relevance
