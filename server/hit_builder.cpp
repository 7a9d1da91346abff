// Version choice, best passage and snippet for the hits on a page.
#include "server/hit_builder.h"

#include <algorithm>
#include <cmath>

#include "core/schema.h"
#include "core/stopwords.h"
#include "core/stored_item.h"
#include "core/text.h"
#include "server/query_builder.h"

namespace nexuskb {
namespace {

namespace s = schema;

constexpr size_t kSnippetLength = 260;
constexpr size_t kNone = static_cast<size_t>(-1);
// Index words taken per stemmed query term to find its positions (most stems have a handful).
constexpr size_t kWordsPerStem = 32;

// A term of the free text (unprefixed, or Z + a stem): not a filter, title or number term.
bool is_text_term(const std::string& t) {
  if (t.empty()) return false;
  if (t[0] == 'Z') return t.size() > 1 && !(t[1] >= 'A' && t[1] <= 'Z');
  return !(t[0] >= 'A' && t[0] <= 'Z');
}

// A stretch of the document's term positions: a version's title and summary (passage kNone) or
// one of its passages (its index in the packed passage texts).
struct Region {
  unsigned first_pos;
  size_t version, passage;
};

std::vector<Region> regions_of(const StoredDocument& doc) {
  std::vector<Region> out;
  size_t passage = 0;
  for (size_t v = 0; v < doc.versions.size(); ++v) {
    out.push_back({doc.versions[v].title_pos, v, kNone});
    for (const StoredPassage& p : doc.versions[v].passages)
      out.push_back({p.first_pos, v, passage++});
  }
  return out;
}

// Score of every passage (by packed index): idf-weighted query matches at its positions.
std::vector<double> passage_scores(const Xapian::Database& db, Xapian::docid did,
                                   const StoredDocument& doc,
                                   const std::vector<std::string>& words) {
  const std::vector<Region> regions = regions_of(doc);
  size_t total = 0;
  for (const auto& v : doc.versions) total += v.passages.size();
  std::vector<double> score(total, 0.0);
  if (words.empty() || total == 0) return score;
  const double n = db.get_doccount();
  for (const std::string& t : words) {
    // A word the document lacks has an empty position list: one B-tree lookup, no term list.
    std::vector<unsigned> hits(total, 0);
    for (auto p = db.positionlist_begin(did, t); p != db.positionlist_end(did, t); ++p) {
      auto it = std::upper_bound(regions.begin(), regions.end(), *p,
                                 [](unsigned pos, const Region& r) { return pos < r.first_pos; });
      if (it == regions.begin()) continue;
      const Region& r = *std::prev(it);
      if (r.passage != kNone) ++hits[r.passage];
    }
    if (std::all_of(hits.begin(), hits.end(), [](unsigned h) { return h == 0; })) continue;
    const double idf = std::log((n + 1) / (db.get_termfreq(t) + 0.5));
    for (size_t i = 0; i < total; ++i) {
      if (hits[i]) score[i] += idf * (1.0 + std::log(hits[i]));
    }
  }
  return score;
}

bool is_stop_word_anywhere(const std::string& word) {
  for (std::string_view lang : s::kLanguages) {
    if (stopper_for(std::string(lang))(word)) return true;
  }
  return false;
}

}  // namespace

std::string item_url(const std::string& id, const std::string& lang, const std::string& anchor) {
  std::string url = "/doc/" + id;
  if (lang != "en") url += "?lang=" + lang;
  if (!anchor.empty()) url += "#" + anchor;
  return url;
}

std::string HitBuilder::snippet(const std::string& text, const std::string& lang) {
  auto it = stems_.find(lang);
  if (it == stems_.end())
    it = stems_.emplace(lang, Xapian::Stem(std::string(s::stemmer_name(lang)))).first;
  // Without SNIPPET_BACKGROUND_MODEL: that model looks up the frequency of every word of the
  // text in the index, which cost a quarter of a search's CPU; the passage is already the best.
  return mset_.snippet(text, kSnippetLength, it->second, Xapian::MSet::SNIPPET_EXHAUSTIVE, "<mark>",
                       "</mark>", "…");
}

HitBuilder::HitBuilder(const Xapian::Database& db, const Xapian::Enquire& enquire,
                       const Xapian::MSet& mset, bool has_text, std::string reader_lang,
                       std::vector<std::string> languages)
    : db_(db),
      mset_(mset),
      has_text_(has_text),
      reader_lang_(std::move(reader_lang)),
      languages_(std::move(languages)) {
  if (!has_text_) return;
  // The words whose positions mark the passages, found once per page: the query's unprefixed
  // words, and for each stemmed (Z) term, which has no positions, the index's words starting with
  // the stem (the usual shape of Snowball stems). Stop words of any language are left out:
  // another language's reading may carry words that are stop words in the version matched.
  const Xapian::Query query = enquire.get_query();
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string term = *t;
    if (!is_text_term(term)) continue;
    const bool stemmed = term[0] == 'Z';
    const std::string word = stemmed ? term.substr(1) : term;
    if (is_stop_word_anywhere(word)) continue;
    if (!stemmed) {
      words_.push_back(word);
      continue;
    }
    size_t taken = 0;
    for (auto w = db.allterms_begin(word); w != db.allterms_end(word) && taken < kWordsPerStem;
         ++w, ++taken) {
      words_.push_back(*w);
    }
  }
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
}

SearchHit HitBuilder::make(Xapian::MSetIterator it) {
  const Xapian::Document doc = it.get_document();
  StoredDocument stored = StoredDocument::from_data(doc.get_data());
  if (stored.versions.empty()) throw std::runtime_error("document without versions");
  const std::vector<double> score = passage_scores(db_, *it, stored, words_);

  // The reader's version when the item has it; else the version of the best passage.
  // The reader's version when the item has it (and the lang filter, if any, allows it); else
  // the allowed version holding the best passage; else the first allowed version.
  auto allowed = [&](size_t v) {
    return languages_.empty() || std::find(languages_.begin(), languages_.end(),
                                           stored.versions[v].lang) != languages_.end();
  };
  size_t version = kNone, best = kNone;
  for (size_t v = 0; v < stored.versions.size(); ++v) {
    if (stored.versions[v].lang == reader_lang_ && allowed(v)) version = v;
  }
  auto best_in = [&](size_t v) {
    size_t found = kNone;
    const size_t first = stored.first_passage(v);
    for (size_t i = first; i < first + stored.versions[v].passages.size(); ++i) {
      if (score[i] > 0 && (found == kNone || score[i] > score[found])) found = i;
    }
    return found;
  };
  if (version != kNone) {
    best = best_in(version);
  } else {
    for (size_t v = 0; v < stored.versions.size(); ++v) {
      if (!allowed(v)) continue;
      const size_t b = best_in(v);
      if (b != kNone && (best == kNone || score[b] > score[best])) {
        best = b;
        version = v;
      }
    }
    for (size_t v = 0; v < stored.versions.size() && version == kNone; ++v) {
      if (allowed(v)) version = v;
    }
    if (version == kNone) version = 0;  // the filter guarantees an allowed version; be safe
  }

  SearchHit hit;
  hit.score = it.get_weight();
  hit.all_words = hit.score >= kAllWordsBonus;
  if (hit.all_words) hit.score -= kAllWordsBonus;
  for (const StoredItem& v : stored.versions) {
    if (v.lang != stored.versions[version].lang) hit.other_languages.push_back(v.lang);
  }
  hit.item = std::move(stored.versions[version]);
  const auto& passages = hit.item.passages;
  if (!passages.empty()) {
    const size_t first = stored.first_passage(version);
    const StoredPassage& p = passages[best == kNone ? 0 : best - first];
    hit.passage_anchor = best == kNone ? "" : p.anchor;
    hit.passage = p.heading;
    if (has_text_ && best != kNone) {
      hit.snippet_html =
          snippet(packed_text(doc.get_value(s::kSlotPassageTexts), best), hit.item.lang);
    }
  }
  if (has_text_ && hit.passage_anchor.empty()) {
    // The match is in the title or summary rather than a passage: show the summary highlighted.
    hit.snippet_html = snippet(hit.item.summary, hit.item.lang);
  }
  if (hit.snippet_html.empty()) hit.snippet_html = html_escape(hit.item.summary);
  hit.url = item_url(hit.item.id, hit.item.lang, hit.passage_anchor);
  return hit;
}

}  // namespace nexuskb
