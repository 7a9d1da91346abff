// Xapian document construction: free text, boolean facet terms, value slots, stored data.
#include "indexer/document_builder.h"

#include <algorithm>
#include <stdexcept>

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

// Each glossary term leads to the terms of its entry in the other languages.
void add_glossary(Xapian::WritableDatabase& db, const Glossary& glossary) {
  for (const GlossaryEntry& e : glossary.entries) {
    for (const auto& [lang, terms] : e.terms) {
      for (const std::string& term : terms) {
        for (const auto& [other_lang, others] : e.terms) {
          if (other_lang == lang) continue;
          for (const std::string& other : others)
            db.add_synonym(glossary_key(term), other_lang + ":" + normalize_phrase(other));
        }
      }
    }
  }
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

// The item's values of facet `f` (schema::kFacets), as its terms, slots and codes spell them.
// `languages` are the languages the item exists in. Every facet of the table has its branch:
// a facet without one is a programming error, reported when the first document is built.
std::vector<std::string> facet_values(const ContentItem& it,
                                      const std::vector<std::string>& languages,
                                      const s::Facet& f) {
  if (f.name == "practice") {
    std::vector<std::string> out;
    for (int p : it.practices) out.push_back(std::to_string(p));
    return out;
  }
  if (f.name == "actor") return it.actors;
  if (f.name == "region") return it.regions;
  if (f.name == "theme") return it.themes;
  if (f.name == "kind") return {it.kind};
  if (f.name == "section") return {it.section};
  if (f.name == "lang") return languages;
  throw std::logic_error("facet '" + std::string(f.name) + "' has no source in content items");
}

std::vector<std::string> languages_of(const std::vector<const CorpusItem*>& versions) {
  std::vector<std::string> out;
  for (const CorpusItem* v : versions) out.push_back(v->item.lang);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<FacetCode> document_codes(const std::vector<const CorpusItem*>& versions,
                                      const FacetCodes& codes) {
  std::vector<FacetCode> out;
  const std::vector<std::string> languages = languages_of(versions);
  for (size_t f = 0; f < s::kFacets.size(); ++f) {
    for (const std::string& v : facet_values(versions.front()->item, languages, s::kFacets[f])) {
      if (const int code = codes.code(f, v); code >= 0) out.push_back(static_cast<FacetCode>(code));
    }
  }
  return out;
}

// Each item's versions (corpus indices) in schema::kLanguages order; items in corpus order.
std::vector<std::vector<size_t>> group_versions(const Corpus& corpus) {
  std::vector<std::vector<size_t>> out;
  for (size_t i = 0; i < corpus.items.size(); ++i) {
    if (out.empty() || corpus.items[out.back().front()].item.id != corpus.items[i].item.id) {
      out.emplace_back();
    }
    out.back().push_back(i);
  }
  auto rank = [](const std::string& lang) {
    return std::find(s::kLanguages.begin(), s::kLanguages.end(), lang) - s::kLanguages.begin();
  };
  for (auto& group : out) {
    std::stable_sort(group.begin(), group.end(), [&](size_t a, size_t b) {
      return rank(corpus.items[a].item.lang) < rank(corpus.items[b].item.lang);
    });
  }
  return out;
}

FacetCodes corpus_codes(const Corpus& corpus, const std::vector<std::vector<size_t>>& documents) {
  FacetCodes codes;
  for (const auto& group : documents) {
    std::vector<const CorpusItem*> versions;
    for (size_t i : group) versions.push_back(&corpus.items[i]);
    const std::vector<std::string> languages = languages_of(versions);
    for (size_t f = 0; f < s::kFacets.size(); ++f) {
      for (const std::string& v : facet_values(versions.front()->item, languages, s::kFacets[f]))
        codes.add(f, v);
    }
  }
  codes.finish();
  return codes;
}

void set_schema_metadata(Xapian::WritableDatabase& db, const BuildContext& build) {
  db.set_metadata(std::string(s::kMetaSchemaVersion), std::string(s::kSchemaVersion));
  db.set_metadata(std::string(s::kMetaTaxonomy), build.corpus.taxonomy.to_json().dump());
  db.set_metadata(std::string(s::kMetaBuiltAt), build.built_at);
}

}  // namespace

BuildContext::BuildContext(const Corpus& c)
    : corpus(c),
      documents(group_versions(c)),
      codes(corpus_codes(c, documents)),
      built_at(utc_now()) {}

std::vector<const CorpusItem*> BuildContext::versions(size_t document) const {
  std::vector<const CorpusItem*> out;
  for (size_t i : documents[document]) out.push_back(&corpus.items[i]);
  return out;
}

Xapian::Document make_document(const std::vector<const CorpusItem*>& versions,
                               const FacetCodes& codes, Xapian::TermGenerator& generator,
                               SpellingCounts* spelling) {
  const ContentItem& it = versions.front()->item;  // translations agree on every facet
  Xapian::Document doc;
  generator.set_document(doc);
  StoredDocument stored;
  std::vector<std::string> html;
  for (const CorpusItem* c : versions) {
    const ContentItem& v = c->item;
    generator.set_stemmer(Xapian::Stem(std::string(s::stemmer_name(v.lang))));
    generator.set_stopper(&stopper_for(v.lang));
    StoredItem version = stored_item(*c);
    generator.increase_termpos(kFieldGap);
    version.title_pos = generator.get_termpos() + 1;
    generator.index_text(v.title, kTitleWeight);
    generator.index_text(v.title, 1, std::string(s::kPrefixTitle));
    generator.increase_termpos(kFieldGap);
    generator.index_text(v.summary, kSummaryWeight);
    for (size_t i = 0; i < c->body.passages.size(); ++i) {
      const Passage& p = c->body.passages[i];
      generator.increase_termpos(kFieldGap);
      // Positions map matches back to passages at query time (see SearchService).
      version.passages[i].first_pos = generator.get_termpos() + 1;
      if (!p.heading.empty()) generator.index_text(p.heading, kHeadingWeight);
      generator.increase_termpos(kFieldGap);
      generator.index_text(p.text);
    }
    version.html.clear();  // the body HTML lives in its own slot, read only for item pages
    html.push_back(c->body.html);
    stored.versions.push_back(std::move(version));
  }

  doc.add_boolean_term(term(s::kPrefixUid, it.id));
  doc.add_boolean_term(term(s::kPrefixItem, it.id));
  // Each facet: a boolean filter term per value, and its slot (one value, or the sorted values
  // packed) for the built-in spies that remote shards use.
  const std::vector<std::string> languages = languages_of(versions);
  for (const s::Facet& f : s::kFacets) {
    const std::vector<std::string> values = facet_values(it, languages, f);
    for (const std::string& v : values) doc.add_boolean_term(term(f.prefix, v));
    doc.add_value(f.slot, pack_values(values));
  }
  if (it.number) doc.add_term(term(s::kPrefixNumber, std::to_string(*it.number)), 1);

  doc.add_value(s::kSlotSortNumber, Xapian::sortable_serialise(sort_number(it)));
  doc.add_value(s::kSlotItemId, it.id);
  doc.add_value(s::kSlotHtml, pack_texts(html));
  std::vector<std::string> passage_texts;
  for (const StoredItem& v : stored.versions) {
    for (const StoredPassage& p : v.passages) passage_texts.push_back(p.text);
  }
  doc.add_value(s::kSlotPassageTexts, pack_texts(passage_texts));
  doc.add_value(s::kSlotFacetCodes, encode_facet_codes(document_codes(versions, codes)));
  doc.set_data(stored.to_data());
  if (spelling) add_spelling_words(doc, *spelling);
  return doc;
}

void write_documents(Xapian::WritableDatabase& db, const BuildContext& build,
                     const std::vector<size_t>& documents, SpellingCounts& spelling) {
  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  size_t pending = 0;
  for (size_t d : documents) {
    db.add_document(make_document(build.versions(d), build.codes, generator, &spelling));
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
  add_glossary(db, build.corpus.glossary);
  db.set_metadata(std::string(s::kMetaGlossary), build.corpus.glossary.to_json().dump());
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
