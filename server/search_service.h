// The search service: SearchRequest in, SearchResult out. Knows Xapian, not HTTP.
//
// Thread-safe: every call uses the calling thread's own Database from the IndexHandle.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/api_error.h"
#include "server/index_snapshot.h"
#include "server/search_request.h"
#include "server/search_result.h"
#include "server/shard_health.h"

namespace nexuskb {

// How facets are counted. The server's own counter needs local databases; Xapian's built-in
// spies (more matches, string maps) also work through remote shards and are used for them.
enum class FacetCounting { kOwnCounter, kBuiltinSpies };

class SearchService {
 public:
  explicit SearchService(IndexHandle& index) : index_(index) {}

  // Forces a counting method (for tests and benchmarks); remote shards always use the spies.
  void set_facet_counting(FacetCounting counting) { counting_ = counting; }

  // Where a failed remote shard is recorded, and looked up when an error does not name it
  // (the server's watcher probes the shards); may stay unset.
  void set_shard_health(ShardHealth* health) { health_ = health; }

  // Throws Unavailable("shard_unavailable") naming the shard when a remote shard does not
  // answer (after one retry on fresh connections, which xapian-tcpsrv's idle timeout needs).
  SearchResult search(const SearchRequest& request) const;

  // After a Xapian::NetworkError on this thread (a remote shard down or too slow, in any route):
  // drops the thread's connections so that the next request reconnects, records the shard as
  // down, and returns the 503 error naming it.
  Unavailable shard_unavailable(const Xapian::NetworkError& e) const;

  // search() for the browsing overviews (the home page, /api/v1/facets: no text, every facet
  // counted over the whole index), remembered per index generation so that they cost one match
  // per generation, not one per request. Thread-safe.
  SearchResult overview(const SearchRequest& request) const;

  // One item in `lang` (empty: English, else the first language it exists in).
  Expected<DocumentResult> document(const std::string& id, const std::string& lang) const;

  // Items most like `id` in the same language: relevance-set expansion plus shared practices
  // and actors.
  Expected<std::vector<SearchHit>> related(const std::string& id, const std::string& lang,
                                           int count) const;

  // Completions for a search box: titles containing a word starting with the text, then
  // dictionary words completing the last word.
  std::vector<Suggestion> suggest(const std::string& text, const std::string& lang,
                                  int count) const;

  IndexHandle& index() const { return index_; }

 private:
  SearchResult search_once(const SearchRequest& request) const;
  Expected<DocumentResult> document_in(const IndexView& view, const std::string& id,
                                       const std::string& lang) const;

  IndexHandle& index_;
  FacetCounting counting_ = FacetCounting::kOwnCounter;
  ShardHealth* health_ = nullptr;
  mutable std::mutex overview_mutex_;
  mutable uint64_t overview_generation_ = 0;
  mutable std::map<std::string, SearchResult> overviews_;  // by cache_key
};

// A citation line for an item (exposed for tests).
Citation make_citation(const StoredItem& item, const Taxonomy& taxonomy);

}  // namespace nexuskb
