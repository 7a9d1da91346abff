// One-pass disjunctive facet counting over facet codes.
#include "server/facet_counter.h"

#include <stdexcept>

#include "core/schema.h"

namespace nexuskb {

namespace s = schema;

FacetCounter::FacetCounter(const FacetCodes& codes,
                           const std::map<std::string, std::vector<std::string>>& selected)
    : codes_(codes),
      group_bit_(codes.size(), 0),
      group_of_facet_(s::kFacets.size(), -1),
      counts_(codes.size(), 0) {
  if (selected.size() > 31) throw std::invalid_argument("too many facet groups");
  int group = 0;
  for (const auto& [name, values] : selected) {
    const s::Facet* facet = s::find_facet(name);
    if (!facet) throw std::invalid_argument("unknown facet '" + name + "'");
    const size_t f = facet - s::kFacets.data();
    const uint32_t bit = 1u << group;
    group_of_facet_[f] = group++;
    all_groups_ |= bit;
    for (const std::string& v : values) {
      if (const int code = codes.code(f, v); code >= 0) group_bit_[code] = bit;
    }
  }
}

void FacetCounter::operator()(const Xapian::Document& doc, double weight) {
  const std::string encoded = doc.get_value(s::kSlotFacetCodes);
  const size_t n = facet_code_count(encoded);
  uint32_t satisfied = 0;
  for (size_t i = 0; i < n; ++i) {
    const FacetCode c = facet_code_at(encoded, i);
    if (c < group_bit_.size()) satisfied |= group_bit_[c];
  }
  const bool all = satisfied == all_groups_;
  if (all) {
    ++matching_all_;
    if (weight >= top_tier_weight_) ++matching_all_top_tier_;
  }
  for (size_t i = 0; i < n; ++i) {
    const FacetCode c = facet_code_at(encoded, i);
    if (c >= counts_.size()) continue;
    const int group = group_of_facet_[codes_.entry(c).facet];
    if (all || (group >= 0 && (satisfied | (1u << group)) == all_groups_)) ++counts_[c];
  }
}

std::map<std::string, Xapian::doccount> FacetCounter::counts(size_t facet) const {
  std::map<std::string, Xapian::doccount> out;
  for (size_t c = 0; c < counts_.size(); ++c) {
    if (counts_[c] && codes_.entry(static_cast<FacetCode>(c)).facet == facet) {
      out.emplace(codes_.entry(static_cast<FacetCode>(c)).value, counts_[c]);
    }
  }
  return out;
}

Xapian::Query FacetCounter::counting_query(const Xapian::Query& text,
                                           const std::vector<Xapian::Query>& groups) {
  if (groups.size() <= 1) return text;
  std::vector<Xapian::Query> all_but_one;
  for (size_t skip = 0; skip < groups.size(); ++skip) {
    std::vector<Xapian::Query> rest;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (g != skip) rest.push_back(groups[g]);
    }
    all_but_one.emplace_back(Xapian::Query::OP_AND, rest.begin(), rest.end());
  }
  return Xapian::Query(Xapian::Query::OP_FILTER, text,
                       Xapian::Query(Xapian::Query::OP_OR, all_but_one.begin(), all_but_one.end()));
}

}  // namespace nexuskb
