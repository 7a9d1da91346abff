// Reading packs: an ordered list of items with a title, assembled from the index for reading,
// printing and Markdown export. A pack lives entirely in its URL (/pack?items=a,b,c&title=...),
// so building one needs no server state and no JavaScript.
//
// Thread safety: free functions over values; build_pack uses SearchService (thread-safe).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_error.h"
#include "server/search_request.h"
#include "server/search_result.h"
#include "server/search_service.h"
#include "server/url.h"

namespace nexuskb {

constexpr size_t kMaxPackItems = 50;
constexpr size_t kMaxPackTitleBytes = 200;

// A validated pack request. `ids` are unique and in reading order.
struct PackRequest {
  std::vector<std::string> ids;
  std::string title;         // empty: the UI's default title
  std::string lang;          // items are shown in this language where they have it
  bool markdown = false;     // &format=md
  bool items_given = false;  // an `items` parameter was present (even empty)
};

// Parses items (comma-separated and/or repeated), title, lang, format and the parameters in
// `extra_allowed`. Errors: 400 invalid_items, too_many_items, invalid_title, unknown_value (lang,
// format), unknown_parameter. `allow_format` is false for the JSON route.
Expected<PackRequest> parse_pack_request(const QueryParams& params, bool allow_format,
                                         const std::vector<std::string>& extra_allowed = {});

struct PackItem {
  DocumentResult doc;
  bool requested_lang = true;  // false: the item has no version in the pack's language
};

struct ReadingPack {
  std::string title, lang, date;  // date: YYYY-MM-DD (UTC) when the pack was assembled
  std::vector<PackItem> items;
  std::vector<std::string> missing;      // requested ids not in the index (when skipped)
  std::vector<std::string> ids() const;  // the ids of `items`, in order
};

// Looks up every item, in order, in `request.lang` (falling back to English, then any language).
// Unknown ids are listed in `missing` when `skip_unknown` (a bookmarked pack outlives a removed
// item), else the result is 404 not_found (parameter "items") naming the first one.
Expected<ReadingPack> build_pack(const SearchService& service, const PackRequest& request,
                                 const std::string& default_title, bool skip_unknown);

// Today's date as YYYY-MM-DD in UTC.
std::string today_utc();

// JSON for GET /api/v1/packs: {title, lang, date, count, items: [document JSON + fallback flag]}.
nlohmann::json to_json(const ReadingPack& pack);

// UI messages (one language) used by the Markdown export.
using Messages = std::map<std::string, std::string>;

// The pack as one Markdown file: title, date, contents, then each item with its passages
// (plain text), citation and source.
std::string to_markdown(const ReadingPack& pack, const Messages& t);

// A localised one-line citation for an item (the API's citation text is English).
std::string citation_text(const StoredItem& item, const Citation& c, const Messages& t);

// Item body HTML prepared for a page that holds many items: headings one level lower (the item
// title is an h2) and ids and in-page links prefixed with `prefix` so they stay unique.
std::string nest_body_html(const std::string& html, const std::string& prefix);

// The pack carried through search and item pages as ?pack=a,b&pack_title=..., so that "add to
// pack" links work without JavaScript. Invalid ids are dropped, never an error.
struct PackCarry {
  std::vector<std::string> ids;
  std::string title;
  bool empty() const { return ids.empty() && title.empty(); }
};
PackCarry pack_carry_from(const QueryParams& params);
ParamList carry_params(const PackCarry& carry);
// `url` (which may hold a query string and a #fragment) with the carry parameters added.
std::string with_carry(const std::string& url, const PackCarry& carry);

// Links that rewrite a pack: /pack?items=...&title=...&lang=... (items always present).
std::string pack_url(const std::vector<std::string>& ids, const std::string& title,
                     const std::string& lang);
std::vector<std::string> pack_with(std::vector<std::string> ids, const std::string& id);
std::vector<std::string> pack_without(std::vector<std::string> ids, size_t index);
std::vector<std::string> pack_swapped(std::vector<std::string> ids, size_t a, size_t b);

}  // namespace nexuskb
