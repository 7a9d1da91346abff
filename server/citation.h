// The one citation line of an item, in any interface language: the API gives it in English, the
// item page and reading packs in the reader's language, all from this one builder.
#pragma once

#include <map>
#include <string>

#include "core/stored_item.h"
#include "server/search_result.h"

namespace nexuskb {

// The words a citation line is made of (from the i18n files' cite_* and page_abbrev messages).
struct CitationWords {
  std::string good_practice = "Good Practice";
  std::string colon = ":";
  std::string paraphrased = "Paraphrased from:";
  std::string page_abbrev = "p.";
  std::string item = "nexuskb item";
  std::string unverified = "summary not verified against the official text";
};

// The words in a language's messages; a missing message keeps the English word.
CitationWords citation_words(const std::map<std::string, std::string>& messages);

// "Good Practice 18: <title>. Paraphrased from: <document> (<publisher>, <year>), p. <page>.
// nexuskb item gp-18 [en]; summary not verified against the official text."
std::string citation_line(const StoredItem& item, const Citation& c, const CitationWords& words);

}  // namespace nexuskb
