// Facet counts turned into labelled, ordered FacetResults for one search.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/schema.h"
#include "server/index_snapshot.h"
#include "server/search_result.h"

namespace nexuskb {

// value -> number of items.
using ValueCounts = std::map<std::string, Xapian::doccount>;

// The counts of each value of a facet from a built-in spy on its slot, where a multi-valued facet
// holds packed combinations ("fiu|judiciary"): each combination's count goes to each value in it.
ValueCounts expand_counts(const Xapian::ValueCountMatchSpy& spy, bool multi_valued);

// `counts` labelled in `lang` (taxonomy labels; practices also by their titles), selected values
// marked and always listed (with 0 when nothing matches), ordered by count then label (practices
// by number), at most 200 values.
FacetResult facet_result(const schema::Facet& facet, const ValueCounts& counts,
                         const std::vector<std::string>& selected, const IndexSnapshot& snap,
                         const std::string& lang);

}  // namespace nexuskb
