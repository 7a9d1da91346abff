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

}  // namespace

Xapian::Document make_document(const CorpusItem& c, Xapian::TermGenerator& generator) {
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
  doc.set_data(stored.to_data());
  return doc;
}

void write_corpus(Xapian::WritableDatabase& terms,
                  const std::vector<Xapian::WritableDatabase*>& shards, const Corpus& corpus) {
  Xapian::TermGenerator generator;
  generator.set_database(terms);  // spelling data goes to the terms database
  generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  for (size_t i = 0; i < corpus.items.size(); ++i) {
    const CorpusItem& c = corpus.items[i];
    Xapian::Document doc = make_document(c, generator);
    shards[i % shards.size()]->replace_document(term(s::kPrefixUid, c.item.id + ":" + c.item.lang),
                                                doc);
  }
  add_synonyms(terms, corpus.synonyms);
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::vector<Xapian::WritableDatabase*> all = shards;
  if (std::find(all.begin(), all.end(), &terms) == all.end()) all.push_back(&terms);
  for (Xapian::WritableDatabase* db : all) {
    db->set_metadata(std::string(s::kMetaSchemaVersion), std::string(s::kSchemaVersion));
    db->set_metadata(std::string(s::kMetaTaxonomy), corpus.taxonomy.to_json().dump());
    db->set_metadata(std::string(s::kMetaBuiltAt), stamp);
    db->commit();  // explicitly, so that I/O errors surface here rather than in a destructor
  }
}

}  // namespace nexuskb
