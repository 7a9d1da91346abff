// One BaselineDocument per (item, language) of the corpus.
#include "bench/relevance/baseline_corpus.h"

#include "indexer/corpus.h"

namespace nexuskb::relevance {

std::vector<BaselineDocument> baseline_documents(const Corpus& corpus) {
  std::vector<BaselineDocument> out;
  out.reserve(corpus.items.size());
  for (const CorpusItem& ci : corpus.items) {
    const ContentItem& it = ci.item;
    BaselineDocument d{.id = it.id,
                       .lang = it.lang,
                       .kind = it.kind,
                       .section = it.section,
                       .title = it.title,
                       .summary = it.summary,
                       .actors = it.actors,
                       .regions = it.regions,
                       .themes = it.themes};
    for (const Passage& p : ci.body.passages) {
      // The passage before the first H2 carries the item's title as heading: not repeated here.
      if (p.anchor != "overview") d.body += p.heading + "\n";
      d.body += p.text + "\n\n";
    }
    for (int n : it.practices) d.practices.push_back(std::to_string(n));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace nexuskb::relevance
