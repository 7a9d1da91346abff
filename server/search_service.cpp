// Search, facet counting, passages and snippets, documents, related items, suggestions.
#include "server/search_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>

#include "core/schema.h"
#include "core/stopwords.h"
#include "core/text.h"
#include "server/facet_counter.h"
#include "server/query_builder.h"

namespace nexuskb {
namespace {

namespace s = schema;

constexpr size_t kSnippetLength = 260;
constexpr int kMaxFacetValues = 200;
// A bound on any one match, so that no query can hold a worker for long.
constexpr double kSearchTimeLimitSeconds = 2.0;
constexpr size_t kNoPassage = static_cast<size_t>(-1);

std::string item_url(const std::string& id, const std::string& lang, const std::string& anchor) {
  std::string url = "/doc/" + id;
  if (lang != "en") url += "?lang=" + lang;
  if (!anchor.empty()) url += "#" + anchor;
  return url;
}

// Counts of each value of a multi- or single-valued facet, expanded from packed combinations.
std::map<std::string, Xapian::doccount> expand_counts(const Xapian::ValueCountMatchSpy& spy,
                                                      bool multi_valued) {
  std::map<std::string, Xapian::doccount> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    if (!multi_valued) {
      counts[*it] += it.get_termfreq();
      continue;
    }
    for (const std::string& v : unpack_values(*it)) counts[v] += it.get_termfreq();
  }
  return counts;
}

FacetResult facet_result(const s::Facet& facet,
                         const std::map<std::string, Xapian::doccount>& counts,
                         const std::vector<std::string>& selected, const IndexSnapshot& snap,
                         const std::string& lang) {
  FacetResult out;
  out.name = std::string(facet.name);
  const FacetDefinition* def = snap.taxonomy.facet(out.name);
  out.label = def ? def->labels.get(lang, out.name)
                  : (lang == "fr"   ? "Bonne pratique"
                     : lang == "ar" ? "الممارسة الجيدة"
                                    : "Good practice");
  auto label_of = [&](const std::string& value) {
    if (facet.name == "practice") {
      std::string label = snap.taxonomy.value_label("practice", value, lang);
      int n = std::atoi(value.c_str());
      if (auto it = snap.practice_titles.find(n); it != snap.practice_titles.end()) {
        auto t = it->second.find(lang);
        if (t == it->second.end()) t = it->second.find("en");
        if (t != it->second.end()) label += " — " + t->second;
      }
      return label;
    }
    return snap.taxonomy.value_label(out.name, value, lang);
  };
  for (const auto& [value, count] : counts) {
    bool is_selected = std::find(selected.begin(), selected.end(), value) != selected.end();
    out.values.push_back({value, label_of(value), count, is_selected});
  }
  for (const std::string& value : selected) {
    if (counts.count(value) == 0) out.values.push_back({value, label_of(value), 0, true});
  }
  const bool numeric = facet.name == "practice";
  std::sort(out.values.begin(), out.values.end(), [&](const FacetCount& a, const FacetCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (numeric) return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
    return a.label < b.label;
  });
  if (out.values.size() > kMaxFacetValues) out.values.resize(kMaxFacetValues);
  return out;
}

// Stemmed (Z) terms carry no positions: replace each by the document's unstemmed words that
// start with the stem (the usual shape of Snowball stems), which do.
std::vector<std::string> positional_terms(const Xapian::Database& db, Xapian::docid did,
                                          const std::vector<std::string>& terms) {
  std::vector<std::string> out;
  for (const std::string& t : terms) {
    if (t.empty() || t[0] != 'Z') {
      out.push_back(t);
      continue;
    }
    const std::string stem = t.substr(1);
    Xapian::TermIterator it = db.termlist_begin(did);
    for (it.skip_to(stem); it != db.termlist_end(did); ++it) {
      const std::string word = *it;
      if (word.compare(0, stem.size(), stem) != 0) break;
      out.push_back(word);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The passage whose positions hold the most (idf-weighted) query matches, or kNoPassage.
size_t best_passage(const Xapian::Database& db, Xapian::docid did,
                    const std::vector<StoredPassage>& passages,
                    const std::vector<std::string>& terms) {
  if (terms.empty()) return kNoPassage;
  std::vector<double> score(passages.size(), 0.0);
  const double n = db.get_doccount();
  for (const std::string& t : positional_terms(db, did, terms)) {
    std::vector<unsigned> hits(passages.size(), 0);
    for (auto p = db.positionlist_begin(did, t); p != db.positionlist_end(did, t); ++p) {
      auto it = std::upper_bound(
          passages.begin(), passages.end(), *p,
          [](unsigned pos, const StoredPassage& sp) { return pos < sp.first_pos; });
      if (it != passages.begin()) ++hits[std::distance(passages.begin(), it) - 1];
    }
    const double idf = std::log((n + 1) / (db.get_termfreq(t) + 0.5));
    for (size_t i = 0; i < passages.size(); ++i) {
      if (hits[i]) score[i] += idf * (1.0 + std::log(hits[i]));
    }
  }
  size_t best = std::max_element(score.begin(), score.end()) - score.begin();
  return score[best] > 0 ? best : kNoPassage;
}

// Per-search state shared by the hits of one page.
struct HitContext {
  const Xapian::Database& db;
  const Xapian::Enquire& enquire;
  const Xapian::MSet& mset;
  bool has_text;
  std::map<std::string, Xapian::Stem> stems;  // one per language, not one per hit

  const Xapian::Stem& stem(const std::string& lang) {
    auto it = stems.find(lang);
    if (it == stems.end())
      it = stems.emplace(lang, Xapian::Stem(std::string(s::stemmer_name(lang)))).first;
    return it->second;
  }
};

std::string snippet(HitContext& ctx, const std::string& text, const std::string& lang) {
  // Without SNIPPET_BACKGROUND_MODEL: that model looks up the frequency of every word of the
  // text in the index, which cost a quarter of a search's CPU; the passage is already the best.
  return ctx.mset.snippet(text, kSnippetLength, ctx.stem(lang), Xapian::MSet::SNIPPET_EXHAUSTIVE,
                          "<mark>", "</mark>", "…");
}

SearchHit make_hit(HitContext& ctx, Xapian::MSetIterator it) {
  SearchHit hit;
  const Xapian::Document doc = it.get_document();
  hit.item = StoredItem::from_data(doc.get_data());
  hit.score = it.get_weight();
  std::vector<std::string> terms;
  if (ctx.has_text) {
    const Xapian::Stopper& stopper = stopper_for(hit.item.lang);
    for (auto t = ctx.enquire.get_matching_terms_begin(it);
         t != ctx.enquire.get_matching_terms_end(it); ++t) {
      const std::string term = *t;
      const bool text_term =
          !term.empty() && (term[0] == 'Z' || !(term[0] >= 'A' && term[0] <= 'Z'));
      // Another language's branch may carry words that are stop words in this item's language.
      if (text_term && !stopper(term[0] == 'Z' ? term.substr(1) : term)) terms.push_back(term);
    }
  }
  const auto& passages = hit.item.passages;
  if (!passages.empty()) {
    const size_t best = best_passage(ctx.db, *it, passages, terms);
    const StoredPassage& p = passages[best == kNoPassage ? 0 : best];
    hit.passage_anchor = best == kNoPassage ? "" : p.anchor;
    hit.passage = p.heading;
    if (ctx.has_text && best != kNoPassage) {
      hit.snippet_html =
          snippet(ctx, passage_text(doc.get_value(s::kSlotPassageTexts), best), hit.item.lang);
    }
  }
  if (ctx.has_text && hit.passage_anchor.empty()) {
    // The match is in the title or summary rather than a passage: show the summary highlighted.
    hit.snippet_html = snippet(ctx, hit.item.summary, hit.item.lang);
  }
  if (hit.snippet_html.empty()) hit.snippet_html = html_escape(hit.item.summary);
  hit.url = item_url(hit.item.id, hit.item.lang, hit.passage_anchor);
  return hit;
}

struct Run {
  Xapian::doccount total = 0;
  bool exhaustive = true;
  std::vector<SearchHit> hits;
  std::map<std::string, std::map<std::string, Xapian::doccount>> counts;
};

// The main match: the page of hits, sorted as asked; `spies` (if any) see every match.
Xapian::MSet match_page(const Xapian::Database& db, const QueryPlan& plan,
                        const SearchRequest& request, const std::vector<Xapian::MatchSpy*>& spies,
                        Run& run) {
  Xapian::Enquire enquire(db);
  enquire.set_query(filtered(plan));
  if (request.sort == SortOrder::kNumber) {
    enquire.set_sort_by_value_then_relevance(s::kSlotSortNumber, false);
  }
  for (Xapian::MatchSpy* spy : spies) enquire.add_matchspy(spy);
  enquire.set_time_limit(kSearchTimeLimitSeconds);
  const Xapian::doccount first = (request.page - 1) * request.per_page;
  Xapian::MSet mset =
      enquire.get_mset(first, request.per_page, spies.empty() ? 0 : db.get_doccount());
  HitContext ctx{db, enquire, mset, plan.has_text, {}};
  for (auto it = mset.begin(); it != mset.end(); ++it) run.hits.push_back(make_hit(ctx, it));
  return mset;
}

// Counts with the server's own one-pass counter (local databases).
Run run_with_counter(const Xapian::Database& db, const IndexSnapshot& snap, const QueryPlan& plan,
                     const SearchRequest& request) {
  Run run;
  FacetCounter counter(snap.facet_codes, request.filters);
  if (plan.filters.empty()) {
    Xapian::MSet mset = match_page(db, plan, request, {&counter}, run);
    run.total = mset.get_matches_estimated();
    run.exhaustive = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  } else {
    // The page needs only the top hits; the counter's pass gives the exact total.
    const Xapian::MSet page = match_page(db, plan, request, {}, run);
    std::vector<Xapian::Query> groups;
    for (const auto& [name, q] : plan.filters) groups.push_back(q);
    Xapian::Enquire counting(db);
    counting.set_query(FacetCounter::counting_query(plan.text, groups));
    counting.add_matchspy(&counter);
    counting.set_time_limit(kSearchTimeLimitSeconds);
    const Xapian::MSet all = counting.get_mset(0, 0, db.get_doccount());
    run.total = counter.matching_all();
    run.exhaustive = all.get_matches_lower_bound() == all.get_matches_upper_bound();
    if (!run.exhaustive) {
      // Cut short by the time limit: the counter saw only some matches; the total is at least
      // what the page match found.
      const Xapian::doccount seen = (request.page - 1) * request.per_page + page.size();
      run.total = std::max({run.total, seen, page.get_matches_estimated()});
    }
  }
  for (size_t f = 0; f < s::kFacets.size(); ++f) {
    run.counts[std::string(s::kFacets[f].name)] = counter.counts(f);
  }
  return run;
}

// Counts with Xapian's built-in spies, which remote shards can run: a spy per unselected facet
// on the main match, and one more match per selected facet with its own selection removed.
Run run_with_builtin_spies(const Xapian::Database& db, const QueryPlan& plan,
                           const SearchRequest& request) {
  Run run;
  const Xapian::doccount all = db.get_doccount();
  std::vector<std::pair<const s::Facet*, std::unique_ptr<Xapian::ValueCountMatchSpy>>> spies;
  std::vector<Xapian::MatchSpy*> list;
  for (const s::Facet& f : s::kFacets) {
    if (plan.filters.count(std::string(f.name))) continue;
    spies.emplace_back(&f, std::make_unique<Xapian::ValueCountMatchSpy>(f.slot));
    list.push_back(spies.back().second.get());
  }
  Xapian::MSet mset = match_page(db, plan, request, list, run);
  run.total = mset.get_matches_estimated();
  run.exhaustive = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  for (auto& [facet, spy] : spies)
    run.counts[std::string(facet->name)] = expand_counts(*spy, facet->multi_valued);

  for (const auto& [name, q] : plan.filters) {
    const s::Facet* facet = s::find_facet(name);
    Xapian::Enquire widened(db);
    widened.set_query(filtered(plan, name));
    Xapian::ValueCountMatchSpy spy(facet->slot);
    widened.add_matchspy(&spy);
    widened.set_time_limit(kSearchTimeLimitSeconds);
    widened.get_mset(0, 0, all);
    run.counts[name] = expand_counts(spy, facet->multi_valued);
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

}  // namespace

SearchResult SearchService::search(const SearchRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
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
  // A search cut short by the time limit may have missed matches: no retries then.
  if (run.total == 0 && run.exhaustive && !plan.corrected_query.empty()) {
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
  if (run.total == 0 && run.exhaustive && plan.has_text &&
      request.query.find(' ') != std::string::npos) {
    builder.set_match_any(true);
    QueryPlan relaxed = builder.build(request);
    Run any = run_query(db, *snap, relaxed, request, counting_);
    if (any.total > 0) {
      run = std::move(any);
      plan = std::move(relaxed);
    }
  }
  result.relaxed = plan.relaxed;
  result.syntax_fallback = plan.syntax_fallback;
  result.practice_mentions = plan.practice_mentions;
  result.total = run.total;
  result.exhaustive = run.exhaustive;
  result.index_generation = snap->generation;
  result.hits = std::move(run.hits);
  for (const s::Facet& f : s::kFacets) {
    const std::string name(f.name);
    auto sel = request.filters.find(name);
    result.facets.push_back(
        facet_result(f, run.counts[name],
                     sel == request.filters.end() ? std::vector<std::string>{} : sel->second, *snap,
                     request.ui_lang));
  }
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

Citation make_citation(const StoredItem& item, const Taxonomy& taxonomy) {
  Citation c;
  c.stable_url = item_url(item.id, item.lang, "");
  c.page = item.source_page;
  c.source_url = item.source_url;
  if (const SourceDocument* d = taxonomy.document(item.source_document)) {
    c.document_title = d->title;
    c.publisher = d->publisher;
    c.year = d->year;
    if (c.source_url.empty()) c.source_url = d->url;
  }
  std::string label = item.title;
  if (item.number && item.kind == "practice")
    label = "Good Practice " + std::to_string(*item.number) + ": " + label;
  c.text = label + ". Paraphrased from: " + c.document_title;
  if (!c.publisher.empty())
    c.text += " (" + c.publisher + (c.year ? ", " + std::to_string(c.year) : "") + ")";
  if (!c.page.empty()) c.text += ", p. " + c.page;
  c.text += ". nexuskb item " + item.id + " [" + item.lang + "]";
  c.text += item.verified ? "." : "; summary not verified against the official text.";
  return c;
}

Expected<DocumentResult> SearchService::document(const std::string& id,
                                                 const std::string& lang) const {
  return document_in(index_.open(), id, lang);
}

Expected<DocumentResult> SearchService::document_in(const IndexView& view, const std::string& id,
                                                    const std::string& lang) const {
  const auto& snap = view.snapshot;
  Xapian::Database& db = view.db;
  const std::string item_term = std::string(s::kPrefixItem) + id;
  std::map<std::string, Xapian::docid> by_lang;
  for (auto it = db.postlist_begin(item_term); it != db.postlist_end(item_term); ++it) {
    by_lang[db.get_document(*it).get_value(s::kSlotLang)] = *it;
  }
  if (by_lang.empty()) return ApiError{404, "not_found", "no item with id '" + id + "'", "id"};
  std::string chosen = lang;
  if (chosen.empty()) chosen = by_lang.count("en") ? "en" : by_lang.begin()->first;
  auto found = by_lang.find(chosen);
  if (found == by_lang.end()) {
    return ApiError{404, "not_found", "item '" + id + "' has no '" + chosen + "' version", "lang"};
  }
  Xapian::Document doc = db.get_document(found->second);
  DocumentResult out;
  out.item = StoredItem::from_data(doc.get_data());
  out.item.html = doc.get_value(s::kSlotHtml);
  fill_passage_texts(out.item.passages, doc.get_value(s::kSlotPassageTexts));
  for (const auto& [code, did] : by_lang) {
    if (code == chosen) continue;
    StoredItem other = StoredItem::from_data(db.get_document(did).get_data());
    out.translations.push_back({code, other.title, item_url(id, code, "")});
  }
  out.citation = make_citation(out.item, snap->taxonomy);
  return out;
}

Expected<std::vector<SearchHit>> SearchService::related(const std::string& id,
                                                        const std::string& lang, int count) const {
  const IndexView view = index_.open();
  Xapian::Database& db = view.db;
  auto doc = document_in(view, id, lang);
  if (!doc.ok()) return doc.error();
  const StoredItem& item = doc.value().item;
  const std::string uid = std::string(s::kPrefixUid) + item.id + ":" + item.lang;
  Xapian::PostingIterator pit = db.postlist_begin(uid);
  Xapian::RSet rset;
  rset.add_document(*pit);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(uid));
  struct TextTermsOnly : Xapian::ExpandDecider {
    bool operator()(const std::string& t) const override { return !t.empty() && t[0] == 'Z'; }
  } decider;
  Xapian::ESet eset = enquire.get_eset(25, rset, &decider);
  std::vector<Xapian::Query> terms;
  for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
  Xapian::Query text(Xapian::Query::OP_OR, terms.begin(), terms.end());
  Xapian::Query query(Xapian::Query::OP_FILTER, text,
                      Xapian::Query(std::string(s::kPrefixLang) + item.lang));
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                        Xapian::Query(std::string(s::kPrefixItem) + item.id));
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, 40);
  std::vector<SearchHit> hits;
  const double top = mset.empty() ? 1.0 : std::max(mset.begin().get_weight(), 1e-9);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    SearchHit hit;
    hit.item = StoredItem::from_data(it.get_document().get_data());
    int shared_practices = 0, shared_actors = 0;
    for (int p : hit.item.practices)
      shared_practices += std::count(item.practices.begin(), item.practices.end(), p);
    for (const auto& a : hit.item.actors)
      shared_actors += std::count(item.actors.begin(), item.actors.end(), a);
    hit.score = it.get_weight() / top + 0.3 * shared_practices + 0.1 * shared_actors;
    hit.url = item_url(hit.item.id, hit.item.lang, "");
    hit.snippet_html = html_escape(hit.item.summary);
    hits.push_back(std::move(hit));
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  if (static_cast<int>(hits.size()) > count) hits.resize(count);
  return hits;
}

std::vector<Suggestion> SearchService::suggest(const std::string& text, const std::string& lang,
                                               int count) const {
  std::vector<Suggestion> out;
  const std::string folded = Xapian::Unicode::tolower(text);
  if (folded.find_first_not_of(' ') == std::string::npos) return out;
  const IndexView view = index_.open();
  for (const TitleEntry& t : view.snapshot->titles) {
    if (!lang.empty() && t.lang != lang) continue;
    size_t pos = t.folded.find(folded);
    if (pos == std::string::npos || (pos > 0 && t.folded[pos - 1] != ' ')) continue;
    out.push_back({t.title, "title", item_url(t.id, t.lang, "")});
    if (static_cast<int>(out.size()) >= count) return out;
  }
  // Complete the last word from the index's own vocabulary, most frequent first.
  const size_t space = folded.find_last_of(' ');
  const std::string head = space == std::string::npos ? "" : folded.substr(0, space + 1);
  const std::string last = space == std::string::npos ? folded : folded.substr(space + 1);
  if (last.size() < 2) return out;
  Xapian::Database& db = view.db;
  std::vector<std::pair<Xapian::doccount, std::string>> words;
  for (auto it = db.allterms_begin(last); it != db.allterms_end(last); ++it) {
    if (words.size() >= 2000) break;  // bounded: suggestions must stay fast while typing
    if ((*it).size() > last.size()) words.emplace_back(it.get_termfreq(), *it);
  }
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [freq, word] : words) {
    if (static_cast<int>(out.size()) >= count) break;
    out.push_back({head + word, "term", ""});
  }
  return out;
}

}  // namespace nexuskb
