// The document data the indexer stores with each Xapian document and the server reads back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nexuskb {

struct StoredPassage {
  std::string anchor, heading, text;
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

  std::string to_data() const;                           // compact JSON
  static StoredItem from_data(const std::string& data);  // throws nlohmann::json::exception
};

}  // namespace nexuskb
