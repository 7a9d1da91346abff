// Exact, disjunctive facet counts in one pass over the matches, from each document's facet codes.
//
// With filter groups G1..Gk selected (OR within a facet, AND across facets), a document counts
// towards a value of an unselected facet when it satisfies every group, and towards a value of
// selected facet F when it satisfies every group except perhaps F's. Run over the matches of
// "text AND (at least k-1 groups)", one counter gives every facet's counts and the total, where
// Xapian's ValueCountMatchSpy needs a spy per facet and one more match per selected facet.
//
// Local databases only: xapian-tcpsrv cannot run a spy it does not know, so the search service
// falls back to the built-in spies for remote shards. Not thread-safe; one per search.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/facet_codes.h"

namespace nexuskb {

class FacetCounter : public Xapian::MatchSpy {
 public:
  // `selected`: facet name -> selected values. Values the corpus never uses select nothing.
  FacetCounter(const FacetCodes& codes,
               const std::map<std::string, std::vector<std::string>>& selected);

  void operator()(const Xapian::Document& doc, double weight) override;

  // Documents seen that satisfy every group: the exact total of the filtered search.
  Xapian::doccount matching_all() const { return matching_all_; }
  // Of those, the documents whose weight is at least `weight` (set before the match): with the
  // query's all-words bonus, the items that have every word.
  void set_top_tier_weight(double weight) { top_tier_weight_ = weight; }
  Xapian::doccount matching_all_top_tier() const { return matching_all_top_tier_; }
  // value -> count (non-zero only) of facet schema::kFacets[facet].
  std::map<std::string, Xapian::doccount> counts(size_t facet) const;

  // The query a counter must see: `text` restricted to documents satisfying all groups but at
  // most one. `groups` are the facet filters (one OR query per selected facet).
  static Xapian::Query counting_query(const Xapian::Query& text,
                                      const std::vector<Xapian::Query>& groups);

 private:
  const FacetCodes& codes_;
  std::vector<uint32_t> group_bit_;  // per code: the bit of its facet's group if selected
  std::vector<int> group_of_facet_;  // per facet: its group, or -1 when nothing is selected
  uint32_t all_groups_ = 0;
  std::vector<Xapian::doccount> counts_;  // per code
  Xapian::doccount matching_all_ = 0;
  double top_tier_weight_ = 0;
  Xapian::doccount matching_all_top_tier_ = 0;
};

}  // namespace nexuskb
