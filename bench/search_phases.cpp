#include "bench/search_phases.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/schema.h"
#include "server/facet_counter.h"
#include "server/query_builder.h"

namespace nexuskb::bench {

Phases time_phases(Xapian::Database& db, const FacetCodes& codes, const SearchRequest& request) {
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

}  // namespace nexuskb::bench
