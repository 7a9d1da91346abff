// Plain result structs returned by SearchService; rendered to JSON and HTML by two renderers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/stored_item.h"

namespace nexuskb {

struct SearchHit {
  StoredItem item;                           // the version shown; html omitted
  std::vector<std::string> other_languages;  // the item's other versions
  bool all_words = false;                    // has every word of the query (the first tier)
  std::string url;                           // /doc/<id>?lang=..#<anchor>
  std::string passage_anchor;                // best-matching passage
  std::string passage;                       // its heading
  std::string snippet_html;                  // escaped, matches in <mark>
  double score = 0;
};

struct FacetCount {
  std::string value, label;
  Xapian::doccount count = 0;
  bool selected = false;
};

struct FacetResult {
  std::string name, label;
  std::vector<FacetCount> values;  // by count, then label
};

struct SearchResult {
  std::string query;
  std::string corrected_query;      // empty: none
  bool correction_applied = false;  // results are for corrected_query
  bool syntax_fallback = false;
  bool words_dropped = false;  // only the first search_options::kMaxQueryWords words searched
  bool relaxed = false;        // no item had every word; these items have some of them
  // Items with every word of the query: the first `total_all_words` results (relevance order).
  Xapian::doccount total_all_words = 0;
  std::vector<int> practice_mentions;
  Xapian::doccount total = 0;
  bool exhaustive = true;
  int page = 1, per_page = 10;
  double took_ms = 0;
  std::vector<SearchHit> hits;
  std::vector<FacetResult> facets;
  uint64_t index_generation = 0;  // the index that answered (not rendered)
};

struct Citation {
  std::string text;  // one line, ready to paste
  std::string document_title, publisher, source_url, page, stable_url;
  int year = 0;
};

struct Translation {
  std::string lang, title, url;
};

struct DocumentResult {
  StoredItem item;  // with html
  std::vector<Translation> translations;
  Citation citation;
};

struct Suggestion {
  std::string text, kind;  // kind: "title" or "term"
  std::string url;         // for titles
};

}  // namespace nexuskb
