// The SQLite FTS5 peer: nexuskb's search written as a competent FTS5 user would write it, run in
// the same process as nexuskb by bench_search (same corpus, same queries, one thread).
//
// The database (bench/peers_fts5.py) holds one row per item, as nexuskb's index holds one
// document per item: fts5(title, summary, body, num, prac, id UNINDEXED) with every language
// version's text; `num` holds "gpnN" for the item's own practice number and `prac` "gppN" for
// each practice it is about, so that "GP n" is an ordinary MATCH. Facet values are small codes
// (facet_values, item_facets) that the peer loads once into arrays indexed by rowid.
//
// One search is one MATCH pass:
//   SELECT rowid, nx_tier(fts) AS tier, bm25(fts, ...) AS score FROM fts
//   WHERE fts MATCH ?1 AND nx_visit(fts) ORDER BY tier DESC, score LIMIT ?2 OFFSET ?3
// nx_visit (an FTS5 auxiliary function) looks the row's facet codes up and keeps nexuskb's
// disjunctive counts (a facet's counts ignore its own selection) and the exact total; nx_tier
// tells whether the row has every word (two tiers, as nexuskb ranks them) and counts those
// rows. SQLite keeps only the top rows while sorting. Then, for the hits of the page only, the
// row and snippet() of the item's best passage (a second FTS5 table of passages, rowid
// item * 256 + k). Queries without text never touch the full-text index: one loop over the
// arrays.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/peer_query.h"

namespace nexuskb::bench {

class Fts5Peer {
 public:
  // Opens `path` read-only; throws std::runtime_error.
  explicit Fts5Peer(const std::string& path);
  ~Fts5Peer();
  Fts5Peer(const Fts5Peer&) = delete;
  Fts5Peer& operator=(const Fts5Peer&) = delete;

  PeerResult search(const PeerRequest& request);

  // EXPLAIN QUERY PLAN of each statement, by name (for the results).
  nlohmann::json explain();
  // The settings in force, read back from the database (page size, pgsz, detail, ...).
  nlohmann::json settings();
  size_t documents() const { return offsets_.empty() ? 0 : offsets_.size() - 2; }
  // Bytes held in the in-memory arrays (facet codes, per-row offsets).
  size_t array_bytes() const;

  // Called back by SQLite (the auxiliary functions); public for the C callbacks only.
  int visit(int64_t rowid);
  struct Pass {
    std::vector<int8_t> group_of_code;  // code -> filter group, -1: not selected
    std::vector<size_t> group_facet;    // group -> facet index
    std::vector<uint32_t> counts;       // code -> disjunctive count
    long total = 0, all_words = 0;
    int parts = 0;  // phrases 0..parts-1 of the MATCH are the query's words
    bool tiered = false;
  };
  Pass pass_;

 private:
  void run(const QueryText& q, const PeerRequest& request, PeerResult& out);
  void run_without_text(const PeerRequest& request, std::vector<int64_t>& page);
  void fetch_hits(const QueryText& q, const std::vector<int64_t>& rows,
                  const std::vector<std::pair<int, double>>& ranks, PeerResult& out);
  void start_pass(const PeerRequest& request, const QueryText& q);
  sqlite3_stmt* prepare(const char* sql);
  void load_arrays();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* match_ = nullptr;    // the one MATCH pass
  sqlite3_stmt* snippet_ = nullptr;  // snippet() of one hit's best passage
  sqlite3_stmt* row_ = nullptr;      // one item's id, title and summary
  std::vector<uint32_t> offsets_;    // rowid -> first code in codes_ (rowids 1..N)
  std::vector<uint16_t> codes_;
  FacetTable facets_;
  Speller speller_;
  std::unordered_set<std::string> stopwords_;
};

// The FTS5 MATCH expression for `q`: the word parts as strings, OR-ed, then the practice
// mentions as column filters (num, and prac when there are no words).
std::string fts5_match(const QueryText& q);

}  // namespace nexuskb::bench
