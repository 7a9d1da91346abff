// Look-ups over the schema tables.
#include "core/schema.h"

namespace nexuskb::schema {

const Facet* find_facet(std::string_view name) {
  for (const Facet& f : kFacets) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view stemmer_name(std::string_view lang) {
  if (lang == "fr") return "french";
  if (lang == "ar") return "arabic";
  return "english";
}

}  // namespace nexuskb::schema
