// The phases of SearchService::search re-enacted through the public QueryBuilder API (query
// building, top-k match, exact total, built-in spies, disjunctive runs, the service's own
// FacetCounter), so that bench_search can say where a search's time goes without a profiler.
#pragma once

#include <xapian.h>

#include "core/facet_codes.h"
#include "server/search_request.h"

namespace nexuskb::bench {

struct Phases {
  double build = 0, match_topk = 0, match_exact = 0, match_spies = 0, disjunctive = 0;
  double own_counting = 0;  // what SearchService pays for counts with its FacetCounter
};

Phases time_phases(Xapian::Database& db, const FacetCodes& codes, const SearchRequest& request);

}  // namespace nexuskb::bench
