// Search: the matching tiers, exact facet counting (own counter or built-in spies), one retry
// with the spelling correction, and the hits of the page.
#include "server/search_service.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/schema.h"
#include "server/facet_counter.h"
#include "server/facet_results.h"
#include "server/hit_builder.h"
#include "server/query_builder.h"
#include "server/search_options.h"

namespace nexuskb {
namespace {

namespace s = schema;
using Clock = std::chrono::steady_clock;

struct Run {
  Xapian::doccount total = 0, total_all_words = 0;
  bool exhaustive = true;
  std::vector<SearchHit> hits;
  std::map<std::string, ValueCounts> counts;
};

// The reader's language: a single `lang` filter, else the request's UI language.
std::string reader_language(const SearchRequest& request) {
  auto lang = request.filters.find("lang");
  if (lang != request.filters.end() && lang->second.size() == 1) return lang->second.front();
  return request.ui_lang;
}

Xapian::Enquire enquire_for(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  // Stops the counting beyond the page (the result is then marked inexhaustive); the query's
  // shape (wildcards bounded in QueryBuilder, at most one retry) bounds the rest.
  enquire.set_time_limit(search_options::kMatchTimeLimitSeconds);
  return enquire;
}

// The main match: the page of hits, sorted as asked; `spies` (if any) see every match.
Xapian::MSet match_page(const Xapian::Database& db, const QueryPlan& plan,
                        const SearchRequest& request, const std::vector<Xapian::MatchSpy*>& spies,
                        Run& run) {
  Xapian::Enquire enquire = enquire_for(db, filtered(plan));
  if (request.sort == SortOrder::kNumber) {
    enquire.set_sort_by_value_then_relevance(s::kSlotSortNumber, false);
  }
  for (Xapian::MatchSpy* spy : spies) enquire.add_matchspy(spy);
  const Xapian::doccount first = (request.page - 1) * request.per_page;
  Xapian::MSet mset =
      enquire.get_mset(first, request.per_page, spies.empty() ? 0 : db.get_doccount());
  const auto lang_filter = request.filters.find("lang");
  HitBuilder hits(
      db, enquire, mset, plan.has_text, reader_language(request),
      lang_filter == request.filters.end() ? std::vector<std::string>{} : lang_filter->second);
  for (auto it = mset.begin(); it != mset.end(); ++it) run.hits.push_back(hits.make(it));
  return mset;
}

bool exhaustive(const Xapian::MSet& mset) {
  return mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
}

// The exact number of documents matching `query` (0 work beyond counting).
Xapian::doccount count_matches(const Xapian::Database& db, const Xapian::Query& query,
                               bool& complete) {
  Xapian::Enquire enquire = enquire_for(db, query);
  const Xapian::MSet all = enquire.get_mset(0, 0, db.get_doccount());
  complete = complete && exhaustive(all);
  return all.get_matches_estimated();
}

// Counts with the server's own one-pass counter (local databases).
Run run_with_counter(const Xapian::Database& db, const IndexSnapshot& snap, const QueryPlan& plan,
                     const SearchRequest& request) {
  Run run;
  FacetCounter counter(snap.facet_codes, request.filters);
  counter.set_top_tier_weight(plan.tiered ? kAllWordsBonus : 0);
  if (plan.filters.empty()) {
    Xapian::MSet mset = match_page(db, plan, request, {&counter}, run);
    run.total = mset.get_matches_estimated();
    run.exhaustive = exhaustive(mset);
  } else {
    // The page needs only the top hits; the counter's pass gives the exact total.
    const Xapian::MSet page = match_page(db, plan, request, {}, run);
    std::vector<Xapian::Query> groups;
    for (const auto& [name, q] : plan.filters) groups.push_back(q);
    Xapian::Enquire counting = enquire_for(db, FacetCounter::counting_query(plan.text, groups));
    counting.add_matchspy(&counter);
    const Xapian::MSet all = counting.get_mset(0, 0, db.get_doccount());
    run.total = counter.matching_all();
    run.exhaustive = exhaustive(all);
    if (!run.exhaustive) {
      // Cut short by the time limit: the counter saw only some matches; the total is at least
      // what the page match found.
      const Xapian::doccount seen = (request.page - 1) * request.per_page + page.size();
      run.total = std::max({run.total, seen, page.get_matches_estimated()});
    }
  }
  run.total_all_words = std::min(run.total, counter.matching_all_top_tier());
  for (size_t f = 0; f < s::kFacets.size(); ++f) {
    run.counts[std::string(s::kFacets[f].name)] = counter.counts(f);
  }
  return run;
}

// Counts with Xapian's built-in spies, which remote shards can run. The spies ride on count-only
// matches rather than on the page's match (which may be sorted by value): one match with a spy
// per unselected facet, one more per selected facet with its own selection removed.
Run run_with_builtin_spies(const Xapian::Database& db, const QueryPlan& plan,
                           const SearchRequest& request) {
  Run run;
  const Xapian::doccount all = db.get_doccount();
  const Xapian::MSet page = match_page(db, plan, request, {}, run);
  std::vector<std::pair<const s::Facet*, std::unique_ptr<Xapian::ValueCountMatchSpy>>> spies;
  Xapian::Enquire counting = enquire_for(db, filtered(plan));
  for (const s::Facet& f : s::kFacets) {
    if (plan.filters.count(std::string(f.name))) continue;
    spies.emplace_back(&f, std::make_unique<Xapian::ValueCountMatchSpy>(f.slot));
    counting.add_matchspy(spies.back().second.get());
  }
  const Xapian::MSet counted = counting.get_mset(0, 0, all);
  run.total = counted.get_matches_estimated();
  // The count-only matches say whether counting was complete; the page's match asks for no exact
  // count (its bounds may differ across shards), so it has no say.
  run.exhaustive = exhaustive(counted);
  for (auto& [facet, spy] : spies)
    run.counts[std::string(facet->name)] = expand_counts(*spy, facet->multi_valued);

  for (const auto& [name, q] : plan.filters) {
    const s::Facet* facet = s::find_facet(name);
    Xapian::Enquire widened = enquire_for(db, filtered(plan, name));
    Xapian::ValueCountMatchSpy spy(facet->slot);
    widened.add_matchspy(&spy);
    run.exhaustive = exhaustive(widened.get_mset(0, 0, all)) && run.exhaustive;
    run.counts[name] = expand_counts(spy, facet->multi_valued);
  }
  run.total_all_words = run.total;
  if (plan.tiered) {
    QueryPlan top = plan;
    top.text = plan.all_words;
    run.total_all_words = count_matches(db, filtered(top), run.exhaustive);
  }
  return run;
}

Run run_query(const Xapian::Database& db, const IndexSnapshot& snap, const QueryPlan& plan,
              const SearchRequest& request, FacetCounting counting) {
  if (snap.remote || counting == FacetCounting::kBuiltinSpies) {
    return run_with_builtin_spies(db, plan, request);
  }
  try {
    return run_with_counter(db, snap, plan, request);
  } catch (const Xapian::UnimplementedError&) {
    // A remote shard reached some way the stub check did not see (a nested stub, say).
    return run_with_builtin_spies(db, plan, request);
  }
}

constexpr size_t kMaxOverviews = 64;  // (language, filters) combinations remembered

}  // namespace

SearchResult SearchService::overview(const SearchRequest& request) const {
  const std::string key = cache_key(request);
  const uint64_t generation = index_.snapshot()->generation;
  {
    std::lock_guard lock(overview_mutex_);
    if (overview_generation_ == generation) {
      if (auto it = overviews_.find(key); it != overviews_.end()) return it->second;
    }
  }
  SearchResult result = search(request);
  std::lock_guard lock(overview_mutex_);
  if (result.index_generation > overview_generation_) {
    overviews_.clear();
    overview_generation_ = result.index_generation;
  }
  if (result.index_generation == overview_generation_ && result.exhaustive &&
      overviews_.size() < kMaxOverviews) {
    overviews_.emplace(key, result);
  }
  return result;
}

Unavailable SearchService::shard_unavailable(const Xapian::NetworkError& e) const {
  index_.reconnect_this_thread();
  // The error's context names the shard; else the watcher's probes tell which are down.
  std::string shard = shard_of(e);
  if (health_ && !shard.empty()) health_->record_failure(shard, e.get_description());
  if (shard.empty() && health_) {
    for (const std::string& down : health_->down()) shard += (shard.empty() ? "" : ", ") + down;
  }
  return Unavailable("shard_unavailable",
                     (shard.empty() ? std::string("a shard") : "shard " + shard) +
                         " of the index did not answer (" + e.get_msg() +
                         "); the results would be incomplete, so none are given");
}

SearchResult SearchService::search(const SearchRequest& request) const {
  for (int attempt = 1;; ++attempt) {
    try {
      return search_once(request);
    } catch (const Xapian::NetworkTimeoutError& e) {
      throw shard_unavailable(e);  // too slow: a retry would hold the worker as long again
    } catch (const Xapian::NetworkError& e) {
      // A remote shard's connection is dead for good: reconnect on the next try. The first
      // failure may be benign (xapian-tcpsrv closes connections idle for --idle-timeout, 60 s by
      // default), so retry once; a second failure means the shard is down, and the answer says
      // so rather than give a silently smaller total.
      if (attempt == 1) {
        index_.reconnect_this_thread();
        continue;
      }
      throw shard_unavailable(e);
    }
  }
}

SearchResult SearchService::search_once(const SearchRequest& request) const {
  const auto started = Clock::now();
  const IndexView view = index_.open();
  const auto& snap = view.snapshot;
  Xapian::Database& db = view.db;
  QueryBuilder builder(db, view.terms);

  SearchResult result;
  result.query = request.query;
  result.page = request.page;
  result.per_page = request.per_page;
  QueryPlan plan = builder.build(request);
  Run run = run_query(db, *snap, plan, request, counting_);
  result.corrected_query = plan.corrected_query;
  // Nothing matched any word, and a word is unknown to the index (a likely typo): one retry
  // with the correction, if the first search left time for it (a search cut short may have
  // missed matches: no retry). When some words matched, their results stand and the correction
  // is only offered ("did you mean"): a correction applied on its own can turn a rare word
  // into a stop word and silently drop it ("hawala zebra" -> "hawala sera").
  const bool time_left = Clock::now() - started < search_options::kRetryBudget;
  if (run.total == 0 && run.exhaustive && !plan.corrected_query.empty() && time_left) {
    SearchRequest corrected = request;
    corrected.query = plan.corrected_query;
    QueryPlan retry = builder.build(corrected);
    Run second = run_query(db, *snap, retry, corrected, counting_);
    if (second.total > 0) {
      run = std::move(second);
      plan = std::move(retry);
      result.correction_applied = true;
    }
  }
  result.syntax_fallback = plan.syntax_fallback;
  result.words_dropped = plan.words_dropped;
  result.practice_mentions = plan.practice_mentions;
  result.total = run.total;
  result.total_all_words = plan.has_text ? run.total_all_words : run.total;
  result.relaxed = plan.tiered && result.total_all_words == 0 && result.total > 0;
  result.exhaustive = run.exhaustive;
  result.index_generation = snap->generation;
  result.hits = std::move(run.hits);
  if (!plan.tiered) {
    for (SearchHit& hit : result.hits) hit.all_words = true;  // one tier: every hit has it all
  }
  for (const s::Facet& f : s::kFacets) {
    const std::string name(f.name);
    auto sel = request.filters.find(name);
    result.facets.push_back(
        facet_result(f, run.counts[name],
                     sel == request.filters.end() ? std::vector<std::string>{} : sel->second, *snap,
                     request.ui_lang));
  }
  result.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return result;
}

}  // namespace nexuskb
