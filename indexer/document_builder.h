// Turns a validated corpus into Xapian documents and databases following core/schema.h.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "core/facet_codes.h"
#include "indexer/corpus.h"

namespace nexuskb {

// Word -> occurrences, for the spelling dictionary. Collected per thread, written once.
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

// What every database of one build shares, computed from the whole corpus before any document.
struct BuildContext {
  const Corpus& corpus;
  FacetCodes codes;      // every (facet, value) the corpus uses
  std::string built_at;  // UTC, ISO 8601

  explicit BuildContext(const Corpus& corpus);
};

// Adds corpus.items[i] for every i in `items`, in that order, to the new database `db` (docids
// follow that order), adds their words to `spelling`, sets the schema metadata and commits.
// Throws Xapian::Error on I/O failure.
void write_documents(Xapian::WritableDatabase& db, const BuildContext& build,
                     const std::vector<size_t>& items, SpellingCounts& spelling);

// Writes the index-wide data to `db`: the spelling dictionary, synonyms, the facet code table,
// titles and the schema metadata, and commits. `db` may hold documents or be a separate meta/.
void write_index_data(Xapian::WritableDatabase& db, const BuildContext& build,
                      const SpellingCounts& spelling);

// One item as a Xapian document (exposed for tests); adds its words to `spelling` if given.
Xapian::Document make_document(const CorpusItem& c, const FacetCodes& codes,
                               Xapian::TermGenerator& generator,
                               SpellingCounts* spelling = nullptr);

}  // namespace nexuskb
