// Builds the hits of one results page: which language version of each item to show, its best
// passage and a highlighted snippet.
//
// Not thread-safe; one per search (it caches a stemmer per language).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "server/search_result.h"

namespace nexuskb {

class HitBuilder {
 public:
  // `reader_lang`: the version to show when the item has it. Without it, the version holding the
  // best-matching passage is shown (English when nothing matched in a passage).
  // `enquire` holds the query the page was matched with (its text terms mark the passages).
  // `languages`: the versions the request's lang filter allows (empty: any).
  HitBuilder(const Xapian::Database& db, const Xapian::Enquire& enquire, const Xapian::MSet& mset,
             bool has_text, std::string reader_lang, std::vector<std::string> languages = {});

  // Throws nlohmann::json::exception on damaged document data.
  SearchHit make(Xapian::MSetIterator it);

 private:
  std::string snippet(const std::string& text, const std::string& lang);

  const Xapian::Database& db_;
  const Xapian::MSet& mset_;
  bool has_text_;
  std::string reader_lang_;
  std::vector<std::string> languages_;
  std::vector<std::string> words_;  // words whose positions carry the query's matches, sorted
  std::map<std::string, Xapian::Stem> stems_;
};

// "/doc/<id>[?lang=xx][#anchor]" (English needs no lang).
std::string item_url(const std::string& id, const std::string& lang, const std::string& anchor);

}  // namespace nexuskb
