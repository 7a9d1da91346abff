// What the peer engines (bench/fts5_peer.*, bench/sphinx_bench.cpp) share: the request and result
// shapes, the reading of query text with nexuskb's semantics, the spelling corrector and the
// facet code table. Written once so that both peers read queries the same way.
//
// nexuskb's semantics, as the peers reproduce them (server/query_builder.cpp, search_service.cpp):
//   * "GP 23", "gp23", "good practice 23", "bonne pratique 23" are practice mentions: the item
//     numbered 23 ranks first; with no other words the query finds the items about practice 23;
//   * the other words and "quoted phrases" are OR-ed; when there are two or more of them, items
//     with every one rank first (two tiers), and the answer says how many have them all;
//   * stop words (core/stopwords) are dropped unless nothing else is left;
//   * when no item has every word and some word is unknown to the corpus, the query is retried
//     once with each unknown word replaced by its nearest known word (edit distance <= 2, the most
//     frequent on ties), and the retry is kept only if some item has every corrected word.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench/bench_util.h"

namespace nexuskb::bench {

inline constexpr const char* kFacetNames[] = {"practice", "actor", "region", "kind",
                                              "section",  "theme", "lang"};
inline constexpr size_t kFacetCount = 7;
int facet_index(std::string_view name);  // -1 when unknown

struct PeerRequest {
  std::string text;
  std::map<std::string, std::vector<std::string>> filters;  // facet -> values (OR)
  int page = 1, per_page = 10;
};
PeerRequest peer_request(const Params& params);

struct PeerHit {
  std::string id, title, snippet;
  double score = 0;
  bool all_words = true;
};

struct PeerResult {
  long total = 0, total_all_words = 0;
  bool corrected = false;  // the results are for `corrected_query`
  std::string corrected_query;
  std::vector<PeerHit> hits;
  std::map<std::string, std::map<std::string, long>> facets;  // disjunctive counts, non-zero
};

// Query text read into parts: each part is one word or one phrase (its tokens, lower-cased).
struct QueryText {
  std::vector<std::vector<std::string>> parts;
  std::vector<int> practices;  // "GP n" mentions
  bool tiered() const { return parts.size() >= 2; }
  bool empty() const { return parts.empty() && practices.empty(); }
};

// Lower-cases ASCII and Latin-1 capitals; splits on everything that is not a letter, a digit or a
// combining mark (quotes, hyphens, apostrophes, punctuation).
std::vector<std::string> tokenize(std::string_view text);
QueryText read_query(std::string text, const std::unordered_set<std::string>& stopwords);
// `q` written back as query text (words, "phrases", GP n): the corrected query shown.
std::string query_string(const QueryText& q);

// Nearest known words (optimal string alignment distance <= 2; lower distance, then higher
// frequency, wins). Distance 1 is looked up in an index of every word's one-letter deletions
// (SymSpell's idea: two words within one edit share a deletion, or one is a deletion of the
// other), kept as sorted 64-bit hashes; only when no word is that close are the words within two
// letters of the query word's length compared one by one.
class Speller {
 public:
  void add(const std::string& word, long freq);
  bool known(const std::string& word) const { return freq_.count(word) > 0; }
  // The nearest known word, or "" when none is within distance 2.
  std::string suggest(const std::string& word) const;
  // `q` with every unknown word replaced by its suggestion; false when nothing changed.
  bool correct(QueryText& q) const;
  size_t size() const { return freq_.size(); }

 private:
  std::unordered_map<std::string, long> freq_;
  std::vector<std::pair<std::u32string, long>> words_;
  std::vector<std::vector<uint32_t>> by_length_;                // length -> word indices
  mutable std::vector<std::pair<uint64_t, uint32_t>> deletes_;  // hash -> word, sorted
  mutable bool sorted_ = false;
};

// Facet values as small integer codes, as the peers' databases store them.
class FacetTable {
 public:
  void add(int code, size_t facet, const std::string& value);
  int code(size_t facet, const std::string& value) const;  // -1: unknown value
  size_t facet_of(int code) const { return facet_[code]; }
  const std::string& value_of(int code) const { return value_[code]; }
  size_t size() const { return facet_.size(); }

 private:
  std::vector<uint8_t> facet_;
  std::vector<std::string> value_;
  std::map<std::pair<size_t, std::string>, int> codes_;
};

std::u32string to_u32(std::string_view utf8);

}  // namespace nexuskb::bench
