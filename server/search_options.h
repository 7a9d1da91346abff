// Every knob of the search engine in one place, with its default and meaning (in the manner of
// LevelDB's options.h). Request limits (query length, page depth) are in search_request.h.
#pragma once

#include <chrono>
#include <cstddef>

namespace nexuskb::search_options {

// A query is searched on its first kMaxQueryWords words (operators AND, OR, NOT, XOR, NEAR
// not counted); the answer says when words were left out. Building a query reads every word in
// three languages, with synonyms and spelling, so its cost grows with the words: on the
// 20,000-passage generated corpus 16 words cost about 7x one word, 32 words about 11x, 200 words
// about 50x (bench: wildcard storms). The longest judged query has 10 words; web search
// engines set the same kind of limit.
inline constexpr size_t kMaxQueryWords = 16;

// Enquire::set_time_limit for every match: past it Xapian stops counting matches beyond the
// page and the answer says `exhaustive: false`. It does not stop the top-k match itself; the
// query's shape bounds that (wildcards: QueryBuilder; retries: kRetryBudget).
inline constexpr double kMatchTimeLimitSeconds = 0.5;
// A spelling retry runs only if the first search took less than this.
inline constexpr auto kRetryBudget = std::chrono::milliseconds(250);

// Remote shards (`remote host:port` lines of a stub file, served by xapian-tcpsrv). Xapian's
// default would wait 10 s for a shard, holding a search worker all that time; these bound it.
// A search that exceeds them answers 503 shard_unavailable. Match work on a shard is itself
// bounded by kMatchTimeLimitSeconds, so a healthy shard stays far below kRemoteTimeoutMs.
// One read or write on an open shard connection.
inline constexpr unsigned kRemoteTimeoutMs = 2000;
// Opening a connection to a shard (TCP connect and Xapian's greeting).
inline constexpr unsigned kRemoteConnectTimeoutMs = 1000;
// The server's health probe of each remote shard (ShardHealth, once per index check, by default
// every second): open and count documents, each step bounded by this.
inline constexpr unsigned kShardProbeTimeoutMs = 500;

}  // namespace nexuskb::search_options
