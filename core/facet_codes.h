// Facet values as small integer codes, so that the server counts facets with arrays instead of
// string maps.
//
// The indexer assigns a code to every (facet, value) pair the corpus uses, stores the table in
// the index metadata, and writes each document's codes into one value slot
// (schema::kSlotFacetCodes, two bytes per code, ascending). The server reads the table back.
// Immutable once built; safe to share across threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexuskb {

using FacetCode = uint16_t;

class FacetCodes {
 public:
  struct Entry {
    size_t facet;  // index into schema::kFacets
    std::string value;
  };

  // Adds a value if it is new (indexer side). Codes are final only after finish().
  void add(size_t facet, const std::string& value);
  // Sorts the table by facet and value and assigns codes. Throws std::length_error past 65,536.
  void finish();

  // The code of a value, or -1 when the corpus never uses it.
  int code(size_t facet, const std::string& value) const;
  const Entry& entry(FacetCode code) const { return entries_[code]; }
  size_t size() const { return entries_.size(); }

  nlohmann::json to_json() const;
  // Throws nlohmann::json::exception or std::invalid_argument on a malformed table.
  static FacetCodes from_json(const nlohmann::json& j);

 private:
  std::vector<Entry> entries_;
};

// The slot value for a document's codes (sorted, duplicates removed), and its reverse.
std::string encode_facet_codes(std::vector<FacetCode> codes);
inline size_t facet_code_count(std::string_view encoded) {
  return encoded.size() / 2;
}
inline FacetCode facet_code_at(std::string_view encoded, size_t i) {
  return static_cast<FacetCode>(static_cast<unsigned char>(encoded[2 * i]) << 8 |
                                static_cast<unsigned char>(encoded[2 * i + 1]));
}

}  // namespace nexuskb
