// The items as both baselines index them: one document per (item, language) with its title,
// summary, body text and front-matter facet values, taken from the corpus the indexer loads.
#pragma once

#include <string>
#include <vector>

namespace nexuskb {
struct Corpus;
}

namespace nexuskb::relevance {

struct BaselineDocument {
  std::string id, lang, kind, section;
  std::string title, summary;
  std::string body;  // the passages' headings and plain text, as the indexer extracts them
  std::vector<std::string> actors, regions, themes, practices;  // practices as decimal strings
};

std::vector<BaselineDocument> baseline_documents(const Corpus& corpus);

}  // namespace nexuskb::relevance
