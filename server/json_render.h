// JSON renderings of service results, as documented in docs/API.md.
#pragma once

#include <nlohmann/json.hpp>

#include "server/api_error.h"
#include "server/search_result.h"

namespace nexuskb {

nlohmann::json to_json(const SearchResult& r);
nlohmann::json to_json(const SearchHit& h);
nlohmann::json to_json(const DocumentResult& d);
nlohmann::json to_json(const ApiError& e);

}  // namespace nexuskb
