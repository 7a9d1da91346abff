// The document data the indexer stores with each Xapian document and the server reads back.
//
// One Xapian document holds one item in every language it exists in (StoredDocument), so that
// ranking, totals and facet counts count items, the unit a user clicks, on one index and through
// remote shards alike. Each language version is a StoredItem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexuskb {

struct StoredPassage {
  std::string anchor, heading;
  std::string text;        // not in the data: in schema::kSlotPassageTexts (pack_passage_texts)
  unsigned first_pos = 0;  // first term position of the passage in the Xapian document
};

struct StoredItem {
  std::string id, lang, kind, title, section, summary, html, path;
  std::optional<int> number;
  std::vector<int> practices;
  std::vector<std::string> actors, regions, themes;
  std::string source_document, source_url, source_page;
  bool verified = false;
  unsigned title_pos = 0;  // first term position of the version's title in the Xapian document
  std::vector<StoredPassage> passages;

  // Compact JSON of everything but the passage texts.
  std::string to_data() const;
  // Throws nlohmann::json::exception. Passage texts stay empty: see fill_passage_texts.
  static StoredItem from_data(const std::string& data);
};

// One item: its language versions in schema::kLanguages order. Passage positions run on across
// versions (each version's fields follow the previous version's, with a gap), and the packed
// passage texts (schema::kSlotPassageTexts) and body HTML (schema::kSlotHtml) list every
// version's passages, then every version's HTML, in the same order.
struct StoredDocument {
  std::vector<StoredItem> versions;

  // The version in `lang`, or nullptr.
  const StoredItem* version(std::string_view lang) const;
  // Index of versions[v]'s first passage in the packed passage texts.
  size_t first_passage(size_t v) const;
  // Language codes of the versions, in order.
  std::vector<std::string> languages() const;

  std::string to_data() const;
  // Throws nlohmann::json::exception.
  static StoredDocument from_data(const std::string& data);
};

// Strings packed as one slot value, each preceded by its length as a varint.
std::string pack_texts(const std::vector<std::string>& texts);
// Text `index` of `packed`, empty when out of range or malformed.
std::string packed_text(std::string_view packed, size_t index);

// The passages' texts as one slot value (each text preceded by its length as a varint), so that
// a hit list reads one passage without parsing the others.
std::string pack_passage_texts(const std::vector<StoredPassage>& passages);
// The text of passage `index` in `packed`, empty when out of range or malformed.
std::string passage_text(std::string_view packed, size_t index);
// Sets every passage's text from `packed`.
void fill_passage_texts(std::vector<StoredPassage>& passages, std::string_view packed);

}  // namespace nexuskb
