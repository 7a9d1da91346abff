// Turns a validated corpus into Xapian documents following core/schema.h.
#pragma once

#include <xapian.h>

#include "indexer/corpus.h"

namespace nexuskb {

// Adds every item, the spelling dictionary, the synonyms and the schema metadata to `db`
// and commits. Throws Xapian::Error on I/O failure.
void write_corpus(Xapian::WritableDatabase& db, const Corpus& corpus);

// One item as a Xapian document (exposed for tests).
Xapian::Document make_document(const CorpusItem& c, Xapian::TermGenerator& generator);

}  // namespace nexuskb
