// The SQLite FTS5 baseline, set up the way a competent application ships it: one row per
// (item, language) with title, summary and body columns, tokenize='porter unicode61
// remove_diacritics 2', the query's words OR-ed (quoted phrases stay phrases), ranked by bm25()
// with column weights, facet filters as SQL WHERE clauses on the front-matter values, and the
// rows deduplicated to distinct items (the best-ranked language version stands for the item).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/relevance/baseline_corpus.h"
#include "bench/relevance/engines.h"

struct sqlite3;

namespace nexuskb::relevance {

struct Bm25Weights {
  double title = 5.0, summary = 2.0, body = 1.0;
  std::string label() const;  // "title 5, summary 2, body 1"
};

struct FtsRun {
  std::vector<Hit>
      hits;           // distinct items, best first, at most `limit`; score = bm25 (lower is better)
  long rows = 0;      // matching (item, language) rows read
  std::string match;  // the FTS5 MATCH expression that produced them
};

// Not thread-safe: one connection to an in-memory database.
class FtsBaseline {
 public:
  // Builds the in-memory database; throws std::runtime_error on an SQLite error.
  explicit FtsBaseline(const std::vector<BaselineDocument>& documents);
  ~FtsBaseline();
  FtsBaseline(const FtsBaseline&) = delete;
  FtsBaseline& operator=(const FtsBaseline&) = delete;

  // `filters`: facet (as the API names it: lang, kind, section, actor, region, theme, practice)
  // -> values, OR within a facet, AND across facets. Throws std::runtime_error on an SQLite error
  // or an unknown facet.
  FtsRun search(const std::string& query,
                const std::map<std::string, std::vector<std::string>>& filters,
                const Bm25Weights& weights, int limit) const;

  // The user's text as an FTS5 expression: quoted phrases kept, every other word quoted (so FTS5
  // syntax characters cannot break it), all joined with OR. Empty when nothing is searchable.
  static std::string to_match(const std::string& query);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace nexuskb::relevance
