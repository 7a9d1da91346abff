// Query construction.
#include "server/query_builder.h"

#include <algorithm>
#include <sstream>

#include "core/glossary.h"
#include "core/schema.h"
#include "core/stopwords.h"
#include "core/synonyms.h"
#include "server/query_text.h"
#include "server/search_options.h"
#include "server/wildcard_field.h"

namespace nexuskb {
namespace {

namespace s = schema;

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;
constexpr double kPracticeBoost = 40.0;
constexpr double kOtherLanguageWeight = 0.8;
// The words read again against the titles alone (the `S` prefix) add this much: a title is a
// short field, so its own BM25 weight says "this item is about that" more than a body mention
// (a simple take on BM25F; wdf boosts alone saturate).
constexpr double kTitleFieldWeight = 1.0;

double language_preference(const std::string& lang, const std::string& preferred) {
  return lang == preferred ? 1.0 : kOtherLanguageWeight;
}

}  // namespace

Xapian::QueryParser QueryBuilder::parser(const std::string& lang,
                                         Xapian::Query::op default_op) const {
  Xapian::QueryParser qp;
  qp.set_database(db_);
  qp.set_stemmer(Xapian::Stem(std::string(s::stemmer_name(lang))));
  qp.set_stopper(&stopper_for(lang));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  // Wildcards are expanded here, once for all shards (wildcard_field.h); the limit above bounds
  // those left to Xapian (next to NEAR and ADJ, after a field prefix).
  qp.add_prefix("wild_", (new WildcardField(db_, wildcard_expansions_))->release());
  qp.set_default_op(default_op);
  qp.add_prefix("title", std::string(s::kPrefixTitle));
  for (const s::Facet& f : s::kFacets)
    qp.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
  return qp;
}

Xapian::Query QueryBuilder::parse_language(const std::string& text, const std::string& lang,
                                           unsigned flags, std::string* corrected,
                                           Xapian::Query::op default_op) const {
  Xapian::QueryParser qp = parser(lang, default_op);
  if (corrected && &terms_db_ != &db_) {
    // Sharded: the spelling data lives in the local terms database, not in the (possibly remote)
    // shards, while the parser corrects only words the shards do not hold. Both together answer
    // as one index would (the terms database holds no documents, the shards no spelling).
    Xapian::Database both = db_;
    both.add_database(terms_db_);
    qp.set_database(both);
  }
  Xapian::Query q = qp.parse_query(mark_wildcards(text), flags);
  if (corrected) *corrected = unmark_wildcards(qp.get_corrected_query_string());
  return q;
}

Xapian::Query QueryBuilder::reading(const std::string& text, const std::string& lang,
                                    Xapian::Query::op default_op, bool& syntax_fallback,
                                    std::string* corrected) const {
  Xapian::Query plain, wide;
  const unsigned flags =
      kParseFlags | (corrected ? Xapian::QueryParser::FLAG_SPELLING_CORRECTION : 0);
  try {
    plain = parse_language(text, lang, flags, corrected, default_op);
    try {
      wide = expand_synonyms(text, lang, default_op);
    } catch (const Xapian::QueryParserError&) {
      // The query is fine without synonyms: search it so rather than fail.
    } catch (const Xapian::UnimplementedError&) {
    }
  } catch (const Xapian::QueryParserError&) {
    // Malformed syntax is not the user's fault: read the words as plain words.
    syntax_fallback = true;
    plain = parse_language(plain_words(text), lang, 0, nullptr, default_op);
  }
  if (plain.empty()) return plain;
  if (wide.empty() || wide.get_description() == plain.get_description()) return plain;
  // Synonym matches find documents; exact matches add weight on top, so they rank first.
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, wide, plain);
}

TextQueries QueryBuilder::text_query(const std::string& text, bool& syntax_fallback,
                                     std::string* corrected,
                                     const std::string& preferred_lang) const {
  if (!is_well_formed(text)) {
    syntax_fallback = true;
    return text_query(plain_words(text), syntax_fallback, corrected, preferred_lang);
  }
  // Each language reads the text with its own stemmer; readings that come out the same (a name,
  // an acronym, a number) are searched once.
  std::vector<Xapian::Query> all, any;
  std::vector<std::string> seen;
  bool tiered = false;
  for (std::string_view lang_view : s::kLanguages) {
    const std::string lang(lang_view);
    std::string* want_correction = (corrected && lang == preferred_lang) ? corrected : nullptr;
    Xapian::Query every =
        reading(text, lang, Xapian::Query::OP_AND, syntax_fallback, want_correction);
    if (every.empty()) continue;
    const std::string description = every.get_description();
    if (std::find(seen.begin(), seen.end(), description) != seen.end()) continue;
    seen.push_back(description);
    Xapian::Query some = reading(text, lang, Xapian::Query::OP_OR, syntax_fallback, nullptr);
    tiered = tiered || some.get_description() != description;
    try {
      const Xapian::Query title =
          parser(lang, Xapian::Query::OP_OR)
              .parse_query(plain_words(text), 0, std::string(s::kPrefixTitle));
      if (!title.empty()) {
        // AND_MAYBE: the titles add weight to what the query finds, never find anything
        // themselves (a title word after "-" must still exclude).
        some =
            Xapian::Query(Xapian::Query::OP_AND_MAYBE, some,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, kTitleFieldWeight));
      }
    } catch (const Xapian::QueryParserError&) {
    }
    // The reader's language first when an item matches in several languages.
    const double preference = language_preference(lang, preferred_lang);
    all.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, every, preference);
    any.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, some, preference);
  }
  if (all.empty()) return {};
  return {Xapian::Query(Xapian::Query::OP_OR, all.begin(), all.end()),
          Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()), tiered};
}

bool QueryBuilder::has_unknown_word(const std::string& text) const {
  // Xapian offers a "correction" for any word with a more frequent neighbour; we only want one
  // when a word of the query is not in the index at all.
  std::istringstream in(Xapian::Unicode::tolower(plain_words(text)));
  for (std::string w; in >> w;) {
    if (db_.get_termfreq(w) > 0) continue;
    // A known acronym such as "fiu", or a glossary term, is not a misspelling.
    bool synonym =
        terms_db_.synonyms_begin(glossary_key(w)) != terms_db_.synonyms_end(glossary_key(w));
    for (std::string_view lang : s::kLanguages) {
      const std::string key = synonym_key(std::string(lang), w);
      synonym = synonym || terms_db_.synonyms_begin(key) != terms_db_.synonyms_end(key);
    }
    if (!synonym) return true;
  }
  return false;
}

QueryPlan QueryBuilder::build(const SearchRequest& request) const {
  QueryPlan plan;
  std::string text = normalize_field_values(request.query);
  // Syntax is judged on the query as typed; removing "GP 18" from "money OR GP 18" must not
  // leave a dangling operator behind.
  plan.syntax_fallback = !is_well_formed(text);
  text = bound_wildcards(bound_words(text, search_options::kMaxQueryWords, plan.words_dropped));
  plan.practice_mentions = extract_practice_mentions(text);
  if (!plan.practice_mentions.empty()) text = strip_dangling_operators(text);
  // Spelling suggestions cost about a third of a search: only ask when a word is unknown.
  const bool may_be_misspelled = has_unknown_word(text);
  const TextQueries words =
      text_query(text, plan.syntax_fallback, may_be_misspelled ? &plan.corrected_query : nullptr,
                 guess_language(text, request.ui_lang));
  std::vector<Xapian::Query> parts;
  if (!words.any.empty()) parts.push_back(words.any);
  plan.tiered = !words.all.empty() && words.tiered;
  if (plan.tiered) {
    plan.all_words = words.all;
    auto* bonus = new Xapian::FixedWeightPostingSource(kAllWordsBonus);
    parts.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query(bonus->release()), words.all);
  }
  for (int n : plan.practice_mentions) {
    const std::string num = std::to_string(n);
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(std::string(s::kPrefixNumber) + num), kPracticeBoost);
    if (words.any.empty()) parts.emplace_back(std::string(s::kPrefixPractice) + num);
  }
  // What the query excludes, excluded in every language: an item holds all its versions, and
  // one reading's AND_NOT only knows its own language's stems.
  if (const std::string excluded = excluded_words(text); !excluded.empty()) {
    std::vector<Xapian::Query> readings;
    for (std::string_view lang : s::kLanguages) {
      try {
        Xapian::Query q = parser(std::string(lang), Xapian::Query::OP_OR)
                              .parse_query(excluded, Xapian::QueryParser::FLAG_PHRASE);
        if (!q.empty()) readings.push_back(q);
      } catch (const Xapian::QueryParserError&) {
      }
    }
    if (!readings.empty()) {
      const Xapian::Query unwanted(Xapian::Query::OP_OR, readings.begin(), readings.end());
      for (Xapian::Query& part : parts)
        part = Xapian::Query(Xapian::Query::OP_AND_NOT, part, unwanted);
      if (!plan.all_words.empty())
        plan.all_words = Xapian::Query(Xapian::Query::OP_AND_NOT, plan.all_words, unwanted);
    }
  }
  plan.has_text = !parts.empty();
  // Not a copy of the static Xapian::Query::MatchAll: Query reference counts are not atomic, so
  // copies of one static made by several worker threads race and corrupt it (a crash under load).
  // The empty term is what MatchAll holds, built afresh for this request.
  plan.text = parts.empty() ? Xapian::Query(std::string())
                            : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());

  for (const auto& [facet_name, values] : request.filters) {
    const s::Facet* facet = s::find_facet(facet_name);
    std::vector<Xapian::Query> terms;
    for (const std::string& v : values) terms.emplace_back(std::string(facet->prefix) + v);
    plan.filters[facet_name] = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }
  return plan;
}

Xapian::Query filtered(const QueryPlan& plan, const std::string& except_facet) {
  std::vector<Xapian::Query> filters;
  for (const auto& [name, q] : plan.filters) {
    if (name != except_facet) filters.push_back(q);
  }
  if (filters.empty()) return plan.text;
  return Xapian::Query(Xapian::Query::OP_FILTER, plan.text,
                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

}  // namespace nexuskb
