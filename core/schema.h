// The index schema shared by indexer and server: term prefixes, value slots, metadata keys.
//
// One Xapian document per item, holding every language version of it (each version's text indexed
// with its own stemmer). Ranking, totals and facet counts all count these documents, which are the
// unit a user clicks, and the `lang` facet counts the items available in each language. Passages
// live inside the document data; the best one, and the version to show, are chosen at query time
// for the hits on the page only.
#pragma once

#include <array>
#include <string_view>

#include <xapian.h>

namespace nexuskb::schema {

// Bump when prefixes, slots or the document data layout change; the server refuses other versions.
inline constexpr std::string_view kSchemaVersion = "5";
inline constexpr std::string_view kMetaSchemaVersion = "nexuskb.schema_version";
inline constexpr std::string_view kMetaBuiltAt = "nexuskb.built_at";
inline constexpr std::string_view kMetaTaxonomy = "nexuskb.taxonomy";  // taxonomy as JSON
// The facet code table (core/facet_codes.h) as JSON.
inline constexpr std::string_view kMetaFacetCodes = "nexuskb.facet_codes";
// Every version's [id, lang, title, practice number or 0], so that the server starts without
// reading every document.
inline constexpr std::string_view kMetaTitles = "nexuskb.titles";
// The glossary (core/glossary.h) as JSON; its cross-language equivalents are synonyms under
// glossary_key() ("x:<term>" -> "<lang>:<term>").
inline constexpr std::string_view kMetaGlossary = "nexuskb.glossary";

// Term prefixes (Xapian conventions: Q unique id, S title, Z stemmed, X... boolean filters).
inline constexpr std::string_view kPrefixUid = "Q";        // Q<id>, one per document (item)
inline constexpr std::string_view kPrefixItem = "XI";      // XI<id>
inline constexpr std::string_view kPrefixTitle = "S";      // title words (free text)
inline constexpr std::string_view kPrefixKind = "XK";      // kind key
inline constexpr std::string_view kPrefixSection = "XE";   // section key
inline constexpr std::string_view kPrefixActor = "XA";     // actor keys (multi)
inline constexpr std::string_view kPrefixRegion = "XR";    // region keys (multi)
inline constexpr std::string_view kPrefixTheme = "XT";     // theme keys (multi)
inline constexpr std::string_view kPrefixLang = "XL";      // languages the item exists in (multi)
inline constexpr std::string_view kPrefixPractice = "XP";  // practice numbers the item is about
// The item's own good-practice number. Indexed with wdf 1 (not boolean) so a query naming
// "GP 23" can weight it and put that practice first.
inline constexpr std::string_view kPrefixNumber = "XN";

// Value slots. Facets are counted from kSlotFacetCodes by the server's own match spy. Remote
// shards (xapian-tcpsrv) know only Xapian's built-in spies, so the facet slots are kept as well:
// multi-valued facets hold the document's sorted values packed with kPackSeparator, the built-in
// ValueCountMatchSpy counts each combination and the server expands them into per-value counts.
enum Slot : Xapian::valueno {
  kSlotLang = 0,           // packed "ar|en|fr": the languages the item exists in
  kSlotKind = 1,           // "practice"
  kSlotSection = 2,        // "legal-considerations"
  kSlotActors = 3,         // packed "fiu|judiciary"
  kSlotRegions = 4,        // packed
  kSlotThemes = 5,         // packed
  kSlotPractices = 6,      // packed decimal numbers "1|2|23"
  kSlotSortNumber = 7,     // sortable_serialise(number, or 1000 + lowest practice, or 1e6)
  kSlotItemId = 8,         // item id
  kSlotHtml = 9,           // each version's body HTML, packed (core/stored_item.h)
  kSlotPassageTexts = 10,  // every version's passage texts, packed, read one at a time
  kSlotFacetCodes = 11,    // every facet value of the document as 2-byte codes (facet_codes.h)
};
inline constexpr char kPackSeparator = '|';

// A search facet: its public name (URL parameter and query prefix), term prefix and slot.
struct Facet {
  std::string_view name;
  std::string_view prefix;
  Xapian::valueno slot;
  bool multi_valued;
};

inline constexpr std::array<Facet, 7> kFacets{{
    {"practice", kPrefixPractice, kSlotPractices, true},
    {"actor", kPrefixActor, kSlotActors, true},
    {"region", kPrefixRegion, kSlotRegions, true},
    {"kind", kPrefixKind, kSlotKind, false},
    {"section", kPrefixSection, kSlotSection, false},
    {"theme", kPrefixTheme, kSlotThemes, true},
    {"lang", kPrefixLang, kSlotLang, true},
}};

// Returns the facet named `name`, or nullptr.
const Facet* find_facet(std::string_view name);

inline constexpr std::array<std::string_view, 3> kLanguages{"en", "fr", "ar"};

// Snowball stemmer name for a language code ("en" -> "english").
std::string_view stemmer_name(std::string_view lang);

}  // namespace nexuskb::schema
