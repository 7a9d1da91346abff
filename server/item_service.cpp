// SearchService's item lookups: one item, items like it, completions, citations.
#include <algorithm>

#include "core/schema.h"
#include "core/text.h"
#include "server/citation.h"
#include "server/hit_builder.h"
#include "server/search_service.h"

namespace nexuskb {
namespace {

namespace s = schema;

constexpr size_t kRelatedTerms = 25;
constexpr size_t kRelatedCandidates = 40;
constexpr size_t kSuggestScanLimit = 2000;  // dictionary words looked at while typing

// The item's document, or 0 when there is none.
Xapian::docid find_item(const Xapian::Database& db, const std::string& id) {
  const std::string uid = std::string(s::kPrefixUid) + id;
  Xapian::PostingIterator it = db.postlist_begin(uid);
  return it == db.postlist_end(uid) ? 0 : *it;
}

}  // namespace

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
  c.text = citation_line(item, c, CitationWords{});  // the API's citation is in English
  return c;
}

Expected<DocumentResult> SearchService::document(const std::string& id,
                                                 const std::string& lang) const {
  return document_in(index_.open(), id, lang);
}

Expected<DocumentResult> SearchService::document_in(const IndexView& view, const std::string& id,
                                                    const std::string& lang) const {
  Xapian::Database& db = view.db;
  const Xapian::docid did = find_item(db, id);
  if (did == 0) return ApiError{404, "not_found", "no item with id '" + id + "'", "id"};
  const Xapian::Document doc = db.get_document(did);
  StoredDocument stored = StoredDocument::from_data(doc.get_data());
  size_t chosen = 0;  // English first (kLanguages order), else the first language it exists in
  if (!lang.empty()) {
    const auto it = std::find_if(stored.versions.begin(), stored.versions.end(),
                                 [&](const StoredItem& v) { return v.lang == lang; });
    if (it == stored.versions.end()) {
      return ApiError{404, "not_found", "item '" + id + "' has no '" + lang + "' version", "lang"};
    }
    chosen = it - stored.versions.begin();
  }
  DocumentResult out;
  const std::string passages = doc.get_value(s::kSlotPassageTexts);
  for (size_t v = 0; v < stored.versions.size(); ++v) {
    if (v == chosen) continue;
    const StoredItem& other = stored.versions[v];
    out.translations.push_back({other.lang, other.title, item_url(id, other.lang, "")});
  }
  const size_t first = stored.first_passage(chosen);
  out.item = std::move(stored.versions[chosen]);
  out.item.html = packed_text(doc.get_value(s::kSlotHtml), chosen);
  for (size_t i = 0; i < out.item.passages.size(); ++i)
    out.item.passages[i].text = packed_text(passages, first + i);
  out.citation = make_citation(out.item, view.snapshot->taxonomy);
  return out;
}

Expected<std::vector<SearchHit>> SearchService::related(const std::string& id,
                                                        const std::string& lang, int count) const {
  const IndexView view = index_.open();
  Xapian::Database& db = view.db;
  auto doc = document_in(view, id, lang);
  if (!doc.ok()) return doc.error();
  const StoredItem& item = doc.value().item;
  Xapian::RSet rset;
  rset.add_document(find_item(db, id));
  Xapian::Enquire enquire(db);
  struct TextTermsOnly : Xapian::ExpandDecider {
    bool operator()(const std::string& t) const override { return !t.empty() && t[0] == 'Z'; }
  } decider;
  Xapian::ESet eset = enquire.get_eset(kRelatedTerms, rset, &decider);
  std::vector<Xapian::Query> terms;
  for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
  Xapian::Query text(Xapian::Query::OP_OR, terms.begin(), terms.end());
  // Items that exist in the page's language, other than this one.
  Xapian::Query query(Xapian::Query::OP_FILTER, text,
                      Xapian::Query(std::string(s::kPrefixLang) + item.lang));
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                        Xapian::Query(std::string(s::kPrefixItem) + item.id));
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, kRelatedCandidates);
  std::vector<SearchHit> hits;
  const double top = mset.empty() ? 1.0 : std::max(mset.begin().get_weight(), 1e-9);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    StoredDocument other = StoredDocument::from_data(it.get_document().get_data());
    const StoredItem* version = other.version(item.lang);
    if (!version) continue;
    SearchHit hit;
    hit.item = *version;
    for (const StoredItem& v : other.versions) {
      if (v.lang != item.lang) hit.other_languages.push_back(v.lang);
    }
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
    const size_t pos = t.folded.find(folded);
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
    if (words.size() >= kSuggestScanLimit) break;
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
