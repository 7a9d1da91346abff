// Loading content/: every item parsed, rendered and cross-checked, with all errors collected.
#pragma once

#include <string>
#include <vector>

#include "core/content_item.h"
#include "core/glossary.h"
#include "core/status.h"
#include "core/synonyms.h"
#include "core/taxonomy.h"
#include "indexer/markdown.h"

namespace nexuskb {

struct CorpusItem {
  ContentItem item;
  RenderedBody body;
  std::string relative_path;  // relative to the content directory
};

struct Corpus {
  Taxonomy taxonomy;
  SynonymGroups synonyms;
  Glossary glossary;
  std::vector<CorpusItem> items;  // sorted by (id, lang)
};

// Reads <dir>/taxonomy.yaml, <dir>/synonyms.yaml, <dir>/glossary.yaml and every *.md below <dir>.
// Returns every problem found (never stops at the first): parse errors, unknown taxonomy values,
// duplicate (id, lang), translations that disagree on kind or number, links to unknown items, raw
// HTML. Files are parsed and rendered on `threads` threads; the result does not depend on it.
Result<Corpus> load_corpus(const std::string& dir, unsigned threads = 1);

}  // namespace nexuskb
