// Every knob of the search engine in one place, with its default and meaning (in the manner of
// LevelDB's options.h). Request limits (query length, page depth) are in search_request.h.
#pragma once

#include <chrono>

namespace nexuskb::search_options {

// Enquire::set_time_limit for every match: past it Xapian stops counting matches beyond the
// page and the answer says `exhaustive: false`. It does not stop the top-k match itself; the
// query's shape bounds that (wildcards: QueryBuilder; retries: kRetryBudget).
inline constexpr double kMatchTimeLimitSeconds = 0.5;
// A spelling retry runs only if the first search took less than this.
inline constexpr auto kRetryBudget = std::chrono::milliseconds(250);

}  // namespace nexuskb::search_options
