// Turns a validated corpus into Xapian documents following core/schema.h.
#pragma once

#include <vector>

#include <xapian.h>

#include "indexer/corpus.h"

namespace nexuskb {

// Adds the items to `shards` round-robin (item i goes to shard i % N, so the combined docids equal
// a single index's and results tie-break identically), and the spelling dictionary, synonyms and
// schema metadata to `terms` (which may be one of the shards). Metadata also goes to every shard.
// Commits everything. Throws Xapian::Error on I/O failure.
void write_corpus(Xapian::WritableDatabase& terms,
                  const std::vector<Xapian::WritableDatabase*>& shards, const Corpus& corpus);

// One item as a Xapian document (exposed for tests).
Xapian::Document make_document(const CorpusItem& c, Xapian::TermGenerator& generator);

}  // namespace nexuskb
