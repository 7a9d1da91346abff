// Builds the Xapian query for a SearchRequest: the text part (parsed once per language with its
// own stemmer and stop words, synonyms expanded, good-practice mentions boosted) and the facet
// filters (boolean terms: OR within a facet, AND across facets, never changing the ranking).
//
// Not thread-safe per instance; cheap to construct per request.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "server/query_text.h"  // the text preprocessing it applies, for its callers
#include "server/search_request.h"

namespace nexuskb {

// Documents that have every word of the query get this much added to their weight, so that
// they rank above all documents with only some of the words whatever their BM25 weights (which
// stay far below it). Hits subtract it again before showing a score.
inline constexpr double kAllWordsBonus = 1e6;

struct QueryPlan {
  // What is searched: documents with any of the words (or all documents when the query has no
  // text), those with every word lifted by kAllWordsBonus when the two differ (`tiered`).
  Xapian::Query text;
  Xapian::Query all_words;  // the documents with every word (for counting them); empty if none
  bool tiered = false;      // text holds the two tiers
  std::map<std::string, Xapian::Query> filters;  // facet name -> OR of its values
  std::vector<int> practice_mentions;            // "GP 23" -> 23
  std::string corrected_query;                   // did-you-mean, empty when none
  bool syntax_fallback = false;                  // the query was re-read as plain words
  bool words_dropped = false;  // words past search_options::kMaxQueryWords were left out
  bool has_text = false;
};

// A text query read two ways: every word required (the top tier), and any word enough.
struct TextQueries {
  Xapian::Query all, any;
  bool tiered = false;  // `all` finds fewer items than `any` may (two or more plain words)
};

class QueryBuilder {
 public:
  // `search_db` is searched (and expands wildcards); `terms_db` supplies the spelling dictionary
  // and synonyms, which remote shards cannot serve. Unsharded, both are the same database.
  QueryBuilder(const Xapian::Database& search_db, const Xapian::Database& terms_db)
      : db_(search_db), terms_db_(terms_db) {}
  explicit QueryBuilder(const Xapian::Database& db) : QueryBuilder(db, db) {}

  QueryPlan build(const SearchRequest& request) const;

  // The text query for `text` alone (exposed for tests and spelling retries): `text` read in
  // each language (its stemmer, stop words and synonyms), the readings OR-ed, the reading in
  // `preferred_lang` weighing a little more. Plain words join with AND in `all` and with OR in
  // `any`; phrases, +/-, AND/OR/NOT and fields keep their meaning in both.
  TextQueries text_query(const std::string& text, bool& syntax_fallback, std::string* corrected,
                         const std::string& preferred_lang = "en") const;

  // True when some plain word of `text` does not occur in the index (a likely misspelling).
  bool has_unknown_word(const std::string& text) const;

  // The query for `text` parsed in `lang` with synonyms, or an empty Query when `text` holds no
  // synonym key of `lang`. Each run of up to four plain words that is a key (the longest first;
  // never inside quotes or fields, nor next to NEAR or ADJ) becomes ONE OP_SYNONYM of the words as
  // typed (all of them, as without synonyms) and their alternatives (several words as a phrase),
  // so that a document scores once for the concept however many alternatives it holds:
  // "fiu corruption" ->
  // ((Zfiu SYNONYM (financial PHRASE 3 intelligence PHRASE 3 unit)) AND Zcorrupt).
  // Throws Xapian::QueryParserError when `text` is malformed.
  Xapian::Query expand_synonyms(const std::string& text, const std::string& lang,
                                Xapian::Query::op default_op = Xapian::Query::OP_AND) const;

 private:
  // A parser for `lang`: its stemmer and stop words, field prefixes, the default operator.
  Xapian::QueryParser parser(const std::string& lang, Xapian::Query::op default_op) const;
  Xapian::Query parse_language(const std::string& text, const std::string& lang, unsigned flags,
                               std::string* corrected, Xapian::Query::op default_op) const;
  // One language's reading of `text` with `default_op`; empty when nothing is left.
  Xapian::Query reading(const std::string& text, const std::string& lang,
                        Xapian::Query::op default_op, bool& syntax_fallback,
                        std::string* corrected) const;

  const Xapian::Database& db_;
  const Xapian::Database& terms_db_;
  // Each wildcard's words, looked up once per query however many readings parse it.
  mutable std::map<std::string, std::vector<std::string>> wildcard_expansions_;
};

// The combined filter of `plan` leaving out `except_facet` (for disjunctive counts).
Xapian::Query filtered(const QueryPlan& plan, const std::string& except_facet = "");

}  // namespace nexuskb
