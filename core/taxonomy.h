// The taxonomy (content/taxonomy.yaml): facets, their values, labels in en/fr/ar, source documents.
//
// Loaded once by the indexer, validated, and stored in the index metadata as JSON so the server
// labels facets without reading content/. Immutable after loading; safe to share across threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace nexuskb {

// Labels keyed by language code; label() falls back to English, then to the key.
struct Labels {
  std::map<std::string, std::string> by_lang;
  std::string get(const std::string& lang, const std::string& fallback) const;
};

struct FacetValue {
  std::string key;
  Labels labels;
  std::vector<std::string> synonyms;
};

struct FacetDefinition {
  std::string name;
  Labels labels;
  std::vector<FacetValue> values;  // in file order
  const FacetValue* find(const std::string& key) const;
};

struct SourceDocument {
  std::string key, title, publisher, url;
  int year = 0;
};

class Taxonomy {
 public:
  // Parses taxonomy.yaml; errors carry file and line.
  static Result<Taxonomy> load_file(const std::string& path);
  static Taxonomy from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  const FacetDefinition* facet(const std::string& name) const;
  const SourceDocument* document(const std::string& key) const;
  const std::vector<FacetDefinition>& facets() const { return facets_; }
  const std::map<std::string, SourceDocument>& documents() const { return documents_; }

  // Label of the practice facet in `lang` (it has no taxonomy entry: its values are numbers).
  std::string practice_label(const std::string& lang) const;
  // Label of a facet value in `lang` (practice values are "GP <n>").
  std::string value_label(const std::string& facet, const std::string& key,
                          const std::string& lang) const;

 private:
  std::vector<FacetDefinition> facets_;
  std::map<std::string, SourceDocument> documents_;
};

}  // namespace nexuskb
