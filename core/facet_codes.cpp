// The facet code table and the slot encoding.
#include "core/facet_codes.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "core/schema.h"

namespace nexuskb {

void FacetCodes::add(size_t facet, const std::string& value) {
  entries_.push_back({facet, value});
}

void FacetCodes::finish() {
  auto key = [](const Entry& e) { return std::tie(e.facet, e.value); };
  std::sort(entries_.begin(), entries_.end(),
            [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [&](const Entry& a, const Entry& b) { return key(a) == key(b); }),
                 entries_.end());
  if (entries_.size() > std::numeric_limits<FacetCode>::max() + size_t{1}) {
    throw std::length_error("more than 65,536 distinct facet values");
  }
}

int FacetCodes::code(size_t facet, const std::string& value) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), Entry{facet, value},
                             [](const Entry& a, const Entry& b) {
                               return std::tie(a.facet, a.value) < std::tie(b.facet, b.value);
                             });
  if (it == entries_.end() || it->facet != facet || it->value != value) return -1;
  return static_cast<int>(it - entries_.begin());
}

nlohmann::json FacetCodes::to_json() const {
  nlohmann::json j = nlohmann::json::array();
  for (const Entry& e : entries_) j.push_back({schema::kFacets[e.facet].name, e.value});
  return j;
}

FacetCodes FacetCodes::from_json(const nlohmann::json& j) {
  FacetCodes codes;
  for (const auto& pair : j) {
    const std::string name = pair.at(0);
    const schema::Facet* facet = schema::find_facet(name);
    if (!facet) throw std::invalid_argument("unknown facet '" + name + "' in the facet codes");
    codes.entries_.push_back({static_cast<size_t>(facet - schema::kFacets.data()), pair.at(1)});
  }
  for (size_t i = 1; i < codes.entries_.size(); ++i) {
    const Entry& a = codes.entries_[i - 1];
    const Entry& b = codes.entries_[i];
    if (std::tie(a.facet, a.value) >= std::tie(b.facet, b.value)) {
      throw std::invalid_argument("facet codes are not sorted and unique");
    }
  }
  return codes;
}

std::string encode_facet_codes(std::vector<FacetCode> codes) {
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  std::string out;
  out.reserve(codes.size() * 2);
  for (FacetCode c : codes) {
    out += static_cast<char>(c >> 8);
    out += static_cast<char>(c & 0xff);
  }
  return out;
}

}  // namespace nexuskb
