// The baseline: SQLite FTS5 with BM25 over the same content/ items (title, summary, body), the
// tokenizer 'porter unicode61 remove_diacritics 2', a title weight, and the facet filters applied
// with SQL WHERE clauses. One row per (item, language), like our index.
#pragma once

#include <map>
#include <string>
#include <vector>

struct sqlite3;

namespace nexuskb {
struct Corpus;
}

namespace nexuskb::relevance {

struct Bm25Weights {
  double title = 5.0, summary = 2.0, body = 1.0;
  std::string label() const;
};

struct BaselineHit {
  std::string id, lang;
  double bm25 = 0;  // SQLite's bm25(): lower is better
};

struct BaselineRun {
  std::vector<BaselineHit> hits;  // best first, at most `limit` rows (translations not merged)
  std::string match;              // the FTS5 MATCH expression that produced them
  bool relaxed = false;           // no row had every word, so the words were joined with OR
};

class FtsBaseline {
 public:
  explicit FtsBaseline(const Corpus& corpus);  // builds an in-memory database; throws on error
  ~FtsBaseline();
  FtsBaseline(const FtsBaseline&) = delete;
  FtsBaseline& operator=(const FtsBaseline&) = delete;

  BaselineRun search(const std::string& query,
                     const std::map<std::string, std::vector<std::string>>& filters,
                     const Bm25Weights& weights, int limit = 100) const;

  // The user's text as an FTS5 expression: quoted phrases kept, every other word quoted (so FTS5
  // syntax characters cannot break it) and joined with AND, or with OR when `any`.
  static std::string to_match(const std::string& query, bool any);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace nexuskb::relevance
