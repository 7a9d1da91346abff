// A search request parsed and validated once, from URL parameters, into typed fields.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "server/api_error.h"

namespace nexuskb {

// URL parameters as cpp-httplib delivers them (repeated keys allowed).
using QueryParams = std::multimap<std::string, std::string>;

enum class SortOrder { kRelevance, kNumber };

struct RequestLimits {
  size_t max_query_bytes = 1024;
  size_t max_values_per_facet = 25;
  int max_per_page = 100;
  int max_result_depth = 10000;  // page * per_page
};

struct SearchRequest {
  std::string query;
  std::map<std::string, std::vector<std::string>> filters;  // facet name -> values (OR)
  int page = 1;
  int per_page = 10;
  SortOrder sort = SortOrder::kRelevance;
  std::string ui_lang = "en";  // labels; the first lang filter, else "en"
};

// Validates `params` against the facet names and, for keyed facets, the taxonomy values.
// `extra_allowed` names parameters a route accepts besides the search ones (e.g. HTML "ui").
Expected<SearchRequest> parse_search_request(const QueryParams& params, const Taxonomy& taxonomy,
                                             const RequestLimits& limits = {},
                                             const std::vector<std::string>& extra_allowed = {});

// Everything in `request` that changes the answer, as an unambiguous string (filter values in
// sorted order): requests with equal keys get equal results from the same index.
std::string cache_key(const SearchRequest& request);

// Parses a decimal integer in [lo, hi]; false when not a plain number or out of range.
bool parse_int(const std::string& s, int lo, int hi, int& out);

}  // namespace nexuskb
