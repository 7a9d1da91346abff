// The document data the indexer stores with each Xapian document and the server reads back.
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
  std::vector<StoredPassage> passages;

  // Compact JSON of everything but the passage texts.
  std::string to_data() const;
  // Throws nlohmann::json::exception. Passage texts stay empty: see fill_passage_texts.
  static StoredItem from_data(const std::string& data);
};

// The passages' texts as one slot value (each text preceded by its length as a varint), so that
// a hit list reads one passage without parsing the others.
std::string pack_passage_texts(const std::vector<StoredPassage>& passages);
// The text of passage `index` in `packed`, empty when out of range or malformed.
std::string passage_text(std::string_view packed, size_t index);
// Sets every passage's text from `packed`.
void fill_passage_texts(std::vector<StoredPassage>& passages, std::string_view packed);

}  // namespace nexuskb
