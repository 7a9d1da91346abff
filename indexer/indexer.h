// The indexing run behind nexuskb-index: validate content/, build, compact, publish atomically.
#pragma once

#include <iosfwd>
#include <string>

namespace nexuskb {

struct IndexerConfig {
  std::string content_dir = "content";
  std::string out = "var/index";  // a symlink, switched atomically to each new build
  bool check_only = false;
  int shards = 1;  // > 1: that many shard databases plus meta/, opened through a XAPIANDB stub
  unsigned threads = 0;  // documents are written by this many threads; 0: one per core
};

// Exit codes of nexuskb-index.
enum IndexerExit : int { kExitBuilt = 0, kExitContentErrors = 1, kExitUsageOrIo = 2 };

// Runs one build (or check). Messages go to `out`, errors (file:line: message) to `err`.
// A failed build leaves the index that `config.out` points at untouched.
int run_indexer(const IndexerConfig& config, std::ostream& out, std::ostream& err);

}  // namespace nexuskb
