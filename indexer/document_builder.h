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
  // One entry per Xapian document (item): the corpus indices of its language versions, in
  // schema::kLanguages order. Documents follow the corpus order of their items.
  std::vector<std::vector<size_t>> documents;
  FacetCodes codes;      // every (facet, value) the corpus uses
  std::string built_at;  // UTC, ISO 8601

  explicit BuildContext(const Corpus& corpus);
  // The versions of documents[document].
  std::vector<const CorpusItem*> versions(size_t document) const;
};

// Adds build.documents[d] for every d in `documents`, in that order, to the new database `db`
// (docids follow that order), adds their words to `spelling`, sets the schema metadata and commits.
// Throws Xapian::Error on I/O failure.
void write_documents(Xapian::WritableDatabase& db, const BuildContext& build,
                     const std::vector<size_t>& documents, SpellingCounts& spelling);

// Writes the index-wide data to `db`: the spelling dictionary, synonyms, the facet code table,
// titles and the schema metadata, and commits. `db` may hold documents or be a separate meta/.
void write_index_data(Xapian::WritableDatabase& db, const BuildContext& build,
                      const SpellingCounts& spelling);

// One item (its versions, in schema::kLanguages order) as a Xapian document (exposed for tests);
// adds its words to `spelling` if given.
Xapian::Document make_document(const std::vector<const CorpusItem*>& versions,
                               const FacetCodes& codes, Xapian::TermGenerator& generator,
                               SpellingCounts* spelling = nullptr);

}  // namespace nexuskb
