// The trilingual glossary (content/glossary.yaml): domain terms and acronyms in every language of
// schema::kLanguages, with optional one-line definitions. Shown to users (/glossary) and used by
// search to carry a query word into the other languages.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace nexuskb {

struct GlossaryEntry {
  std::string id;
  std::map<std::string, std::vector<std::string>> terms;  // lang -> terms, preferred first
  std::map<std::string, std::string> definition;          // lang -> one sentence (optional)
};

struct Glossary {
  std::vector<GlossaryEntry> entries;  // in file order

  nlohmann::json to_json() const;
  static Glossary from_json(const nlohmann::json& j);  // throws nlohmann::json::exception

  // Entries with a term, definition or id containing `text` (Unicode lower case, spaces
  // collapsed); every entry when `text` is blank.
  std::vector<const GlossaryEntry*> find(const std::string& text) const;
};

// Reads and validates `path`: a map with `terms:`, a list of entries, each with a unique id
// ([a-z0-9]+(-[a-z0-9]+)*), a non-empty list of terms for every language, an optional
// `definition` map of languages to strings, and nothing else; a term (normal form) appears in at
// most one entry per language. Every problem is reported as file:line: message. A missing file
// is an empty glossary.
Result<Glossary> load_glossary(const std::string& path);

// The synonym-table key under which a term's equivalents in the other languages are stored:
// "x:<normal form>" (language-independent: a query word may be in any language).
std::string glossary_key(const std::string& term);

}  // namespace nexuskb
