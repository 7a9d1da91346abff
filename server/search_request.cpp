// Request parsing and validation.
#include "server/search_request.h"

#include <algorithm>
#include <charconv>

#include "core/schema.h"
#include "core/text.h"

namespace nexuskb {

bool parse_int(const std::string& s, int lo, int hi, int& out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

Expected<SearchRequest> parse_search_request(const QueryParams& params, const Taxonomy& taxonomy,
                                             const RequestLimits& limits,
                                             const std::vector<std::string>& extra_allowed) {
  SearchRequest req;
  for (const auto& [key, raw] : params) {
    if (!is_valid_utf8(key)) {
      return bad_parameter("invalid_utf8", "",
                           "parameter names must be valid UTF-8 without NUL bytes");
    }
    if (!is_valid_utf8(raw)) {
      return bad_parameter("invalid_utf8", key, "parameters must be valid UTF-8 without NUL bytes");
    }
    if (key == "q") {
      if (req.query.size() + raw.size() > limits.max_query_bytes) {
        return bad_parameter(
            "query_too_long", "q",
            "the query is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
      }
      if (!req.query.empty()) req.query += ' ';
      req.query += raw;
    } else if (key == "page") {
      if (!parse_int(raw, 1, 1000000, req.page)) {
        return bad_parameter("invalid_page", "page", "page must be a whole number from 1");
      }
    } else if (key == "per_page") {
      if (!parse_int(raw, 1, limits.max_per_page, req.per_page)) {
        return bad_parameter(
            "invalid_per_page", "per_page",
            "per_page must be a whole number from 1 to " + std::to_string(limits.max_per_page));
      }
    } else if (key == "sort") {
      if (raw == "relevance") {
        req.sort = SortOrder::kRelevance;
      } else if (raw == "number") {
        req.sort = SortOrder::kNumber;
      } else {
        return bad_parameter("invalid_sort", "sort", "sort must be 'relevance' or 'number'");
      }
    } else if (const schema::Facet* facet = schema::find_facet(key)) {
      std::string value = ascii_lower(raw);
      if (value.empty()) continue;  // an empty select box means "any"
      if (facet->name == "practice") {
        int n = 0;
        if (!parse_int(value, 1, 999, n)) {
          return bad_parameter("unknown_value", key, "practice must be a good-practice number");
        }
        value = std::to_string(n);  // "07" and "7" are the same practice
      } else {
        const FacetDefinition* def = taxonomy.facet(std::string(facet->name));
        if (def == nullptr || def->find(value) == nullptr) {
          // The value is not echoed back: error bodies never reflect what a client sent.
          return bad_parameter("unknown_value", key,
                               "unknown " + key + " value; /api/v1/facets lists the values");
        }
      }
      auto& values = req.filters[key];
      if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
      if (values.size() > limits.max_values_per_facet) {
        return bad_parameter("too_many_values", key, "too many values for " + key);
      }
    } else if (std::find(extra_allowed.begin(), extra_allowed.end(), key) == extra_allowed.end()) {
      return bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'");
    }
  }
  if (static_cast<long>(req.page) * req.per_page > limits.max_result_depth) {
    return bad_parameter(
        "page_out_of_range", "page",
        "results are available up to position " + std::to_string(limits.max_result_depth));
  }
  if (auto it = req.filters.find("lang"); it != req.filters.end()) req.ui_lang = it->second.front();
  return req;
}

std::string cache_key(const SearchRequest& request) {
  std::string key;
  auto field = [&](const std::string& value) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
  };
  field(request.query);
  for (const auto& [facet, values] : request.filters) {
    std::vector<std::string> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    field(facet);
    key += std::to_string(sorted.size()) + '=';
    for (const std::string& v : sorted) field(v);
  }
  key += '/' + std::to_string(request.page) + '/' + std::to_string(request.per_page) + '/' +
         (request.sort == SortOrder::kNumber ? "n" : "r") + '/';
  field(request.ui_lang);
  return key;
}

}  // namespace nexuskb
