// Xapian document construction: free text, boolean facet terms, value slots, stored data.
#include "indexer/document_builder.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/schema.h"
#include "core/stopwords.h"
#include "core/stored_item.h"
#include "core/synonyms.h"
#include "core/text.h"

namespace nexuskb {
namespace {

namespace s = schema;

// Field weights (wdf multipliers): the title matters most, then passage headings and summary.
constexpr Xapian::termcount kTitleWeight = 6;
constexpr Xapian::termcount kHeadingWeight = 2;
constexpr Xapian::termcount kSummaryWeight = 2;
// Documents written between two flushes of a database under construction (see write_documents).
constexpr size_t kDocumentsPerFlush = 1000;
// Gap between fields so that a phrase cannot span title and body, or two passages.
constexpr Xapian::termpos kFieldGap = 100;

std::string term(std::string_view prefix, const std::string& value) {
  return std::string(prefix) + value;
}

double sort_number(const ContentItem& it) {
  if (it.number) return *it.number;
  if (!it.practices.empty())
    return 1000 + *std::min_element(it.practices.begin(), it.practices.end());
  return 1e6;
}

StoredItem stored_item(const CorpusItem& c) {
  const ContentItem& it = c.item;
  StoredItem s{.id = it.id,
               .lang = it.lang,
               .kind = it.kind,
               .title = it.title,
               .section = it.section,
               .summary = it.summary,
               .html = c.body.html,
               .path = c.relative_path,
               .number = it.number,
               .practices = it.practices,
               .actors = it.actors,
               .regions = it.regions,
               .themes = it.themes,
               .source_document = it.source.document,
               .source_url = it.source.url,
               .source_page = it.source.page,
               .verified = it.verified,
               .passages = {}};
  for (const Passage& p : c.body.passages) {
    s.passages.push_back({p.anchor, p.heading.empty() ? it.title : p.heading, p.text});
  }
  return s;
}

void add_synonyms(Xapian::WritableDatabase& db, const SynonymGroups& groups) {
  for (const auto& [lang, list] : groups) {
    for (const auto& group : list) {
      for (const std::string& key : group) {
        for (const std::string& other : group) {
          if (other != key) db.add_synonym(synonym_key(lang, key), normalize_phrase(other));
        }
      }
    }
  }
}

// The words of `doc` a user might misspell, counted once per occurrence.
void add_spelling_words(const Xapian::Document& doc, SpellingCounts& spelling) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    // As TermGenerator's FLAG_SPELLING: no prefixed terms, no one-letter words.
    if (term.size() < 2 || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    spelling[term] += std::max<Xapian::termcount>(1, t.positionlist_count());
  }
}

std::vector<FacetCode> document_codes(const ContentItem& it, const FacetCodes& codes) {
  std::vector<FacetCode> out;
  auto add = [&](std::string_view facet, const std::string& value) {
    const int code = codes.code(s::find_facet(facet) - s::kFacets.data(), value);
    if (code >= 0) out.push_back(static_cast<FacetCode>(code));
  };
  for (int p : it.practices) add("practice", std::to_string(p));
  for (const auto& a : it.actors) add("actor", a);
  for (const auto& r : it.regions) add("region", r);
  for (const auto& t : it.themes) add("theme", t);
  add("kind", it.kind);
  add("section", it.section);
  add("lang", it.lang);
  return out;
}

FacetCodes corpus_codes(const Corpus& corpus) {
  FacetCodes codes;
  auto index = [](std::string_view facet) {
    return static_cast<size_t>(s::find_facet(facet) - s::kFacets.data());
  };
  for (const CorpusItem& c : corpus.items) {
    const ContentItem& it = c.item;
    for (int p : it.practices) codes.add(index("practice"), std::to_string(p));
    for (const auto& a : it.actors) codes.add(index("actor"), a);
    for (const auto& r : it.regions) codes.add(index("region"), r);
    for (const auto& t : it.themes) codes.add(index("theme"), t);
    codes.add(index("kind"), it.kind);
    codes.add(index("section"), it.section);
    codes.add(index("lang"), it.lang);
  }
  codes.finish();
  return codes;
}

std::string utc_now() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return stamp;
}

void set_schema_metadata(Xapian::WritableDatabase& db, const BuildContext& build) {
  db.set_metadata(std::string(s::kMetaSchemaVersion), std::string(s::kSchemaVersion));
  db.set_metadata(std::string(s::kMetaTaxonomy), build.corpus.taxonomy.to_json().dump());
  db.set_metadata(std::string(s::kMetaBuiltAt), build.built_at);
}

}  // namespace

BuildContext::BuildContext(const Corpus& c)
    : corpus(c), codes(corpus_codes(c)), built_at(utc_now()) {}

Xapian::Document make_document(const CorpusItem& c, const FacetCodes& codes,
                               Xapian::TermGenerator& generator, SpellingCounts* spelling) {
  const ContentItem& it = c.item;
  Xapian::Document doc;
  generator.set_document(doc);
  generator.set_stemmer(Xapian::Stem(std::string(s::stemmer_name(it.lang))));
  generator.set_stopper(&stopper_for(it.lang));

  generator.index_text(it.title, kTitleWeight);
  generator.index_text(it.title, 1, std::string(s::kPrefixTitle));
  generator.increase_termpos(kFieldGap);
  generator.index_text(it.summary, kSummaryWeight);
  StoredItem stored = stored_item(c);
  for (size_t i = 0; i < c.body.passages.size(); ++i) {
    const Passage& p = c.body.passages[i];
    generator.increase_termpos(kFieldGap);
    // Positions map matches back to passages at query time (see SearchService).
    stored.passages[i].first_pos = generator.get_termpos() + 1;
    if (!p.heading.empty()) generator.index_text(p.heading, kHeadingWeight);
    generator.increase_termpos(kFieldGap);
    generator.index_text(p.text);
  }

  const std::string uid = term(s::kPrefixUid, it.id + ":" + it.lang);
  doc.add_boolean_term(uid);
  doc.add_boolean_term(term(s::kPrefixItem, it.id));
  doc.add_boolean_term(term(s::kPrefixKind, it.kind));
  doc.add_boolean_term(term(s::kPrefixSection, it.section));
  doc.add_boolean_term(term(s::kPrefixLang, it.lang));
  for (const auto& a : it.actors) doc.add_boolean_term(term(s::kPrefixActor, a));
  for (const auto& r : it.regions) doc.add_boolean_term(term(s::kPrefixRegion, r));
  for (const auto& t : it.themes) doc.add_boolean_term(term(s::kPrefixTheme, t));
  std::vector<std::string> practices;
  for (int p : it.practices) {
    practices.push_back(std::to_string(p));
    doc.add_boolean_term(term(s::kPrefixPractice, std::to_string(p)));
  }
  if (it.number) doc.add_term(term(s::kPrefixNumber, std::to_string(*it.number)), 1);

  doc.add_value(s::kSlotLang, it.lang);
  doc.add_value(s::kSlotKind, it.kind);
  doc.add_value(s::kSlotSection, it.section);
  doc.add_value(s::kSlotActors, pack_values(it.actors));
  doc.add_value(s::kSlotRegions, pack_values(it.regions));
  doc.add_value(s::kSlotThemes, pack_values(it.themes));
  doc.add_value(s::kSlotPractices, pack_values(practices));
  doc.add_value(s::kSlotSortNumber, Xapian::sortable_serialise(sort_number(it)));
  doc.add_value(s::kSlotItemId, it.id);
  stored.html.clear();  // the body HTML lives in its own slot, read only for item pages
  doc.add_value(s::kSlotHtml, c.body.html);
  doc.add_value(s::kSlotPassageTexts, pack_passage_texts(stored.passages));
  doc.add_value(s::kSlotFacetCodes, encode_facet_codes(document_codes(it, codes)));
  doc.set_data(stored.to_data());
  if (spelling) add_spelling_words(doc, *spelling);
  return doc;
}

void write_documents(Xapian::WritableDatabase& db, const BuildContext& build,
                     const std::vector<size_t>& items, SpellingCounts& spelling) {
  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  size_t pending = 0;
  for (size_t i : items) {
    db.add_document(make_document(build.corpus.items[i], build.codes, generator, &spelling));
    // Xapian buffers 10,000 documents by default; flushing more often is faster (smaller
    // in-memory posting maps to merge) and halves the memory. Measured at 200k passages.
    if (++pending == kDocumentsPerFlush) {
      db.commit();
      pending = 0;
    }
  }
  set_schema_metadata(db, build);
  db.commit();  // explicitly, so that I/O errors surface here rather than in a destructor
}

void write_index_data(Xapian::WritableDatabase& db, const BuildContext& build,
                      const SpellingCounts& spelling) {
  for (const auto& [word, count] : spelling) db.add_spelling(word, count);
  add_synonyms(db, build.corpus.synonyms);
  nlohmann::json titles = nlohmann::json::array();
  for (const CorpusItem& c : build.corpus.items) {
    const ContentItem& it = c.item;
    titles.push_back(
        {it.id, it.lang, it.title, it.kind == "practice" && it.number ? *it.number : 0});
  }
  db.set_metadata(std::string(s::kMetaTitles), titles.dump());
  db.set_metadata(std::string(s::kMetaFacetCodes), build.codes.to_json().dump());
  set_schema_metadata(db, build);
  db.commit();
}

}  // namespace nexuskb
