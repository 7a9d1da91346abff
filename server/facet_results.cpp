// Labelling and ordering facet counts.
#include "server/facet_results.h"

#include <algorithm>
#include <cstdlib>

#include "core/text.h"

namespace nexuskb {
namespace {

constexpr size_t kMaxFacetValues = 200;

}  // namespace

ValueCounts expand_counts(const Xapian::ValueCountMatchSpy& spy, bool multi_valued) {
  ValueCounts counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    if (!multi_valued) {
      counts[*it] += it.get_termfreq();
      continue;
    }
    for (const std::string& v : unpack_values(*it)) counts[v] += it.get_termfreq();
  }
  return counts;
}

FacetResult facet_result(const schema::Facet& facet, const ValueCounts& counts,
                         const std::vector<std::string>& selected, const IndexSnapshot& snap,
                         const std::string& lang) {
  FacetResult out;
  out.name = std::string(facet.name);
  const FacetDefinition* def = snap.taxonomy.facet(out.name);
  out.label = def ? def->labels.get(lang, out.name) : snap.taxonomy.practice_label(lang);
  auto label_of = [&](const std::string& value) {
    if (facet.name == "practice") {
      std::string label = snap.taxonomy.value_label("practice", value, lang);
      const int n = std::atoi(value.c_str());
      if (auto it = snap.practice_titles.find(n); it != snap.practice_titles.end()) {
        auto t = it->second.find(lang);
        if (t == it->second.end()) t = it->second.find("en");
        if (t != it->second.end()) label += " — " + t->second;
      }
      return label;
    }
    return snap.taxonomy.value_label(out.name, value, lang);
  };
  for (const auto& [value, count] : counts) {
    const bool is_selected = std::find(selected.begin(), selected.end(), value) != selected.end();
    out.values.push_back({value, label_of(value), count, is_selected});
  }
  for (const std::string& value : selected) {
    if (counts.count(value) == 0) out.values.push_back({value, label_of(value), 0, true});
  }
  const bool numeric = facet.name == "practice";
  std::sort(out.values.begin(), out.values.end(), [&](const FacetCount& a, const FacetCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (numeric) return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
    return a.label < b.label;
  });
  if (out.values.size() > kMaxFacetValues) out.values.resize(kMaxFacetValues);
  return out;
}

}  // namespace nexuskb
