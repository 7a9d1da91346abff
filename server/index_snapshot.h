// The open index as the server sees it: a per-thread Xapian::Database plus shared, immutable
// facts read once per index revision (taxonomy, practice titles, titles for suggestions).
//
// Thread safety: IndexHandle is shared by all worker threads. database() returns a Database
// owned by the calling thread (Xapian objects are not thread-safe), reopened when the index
// generation changes. snapshot() returns a shared_ptr that stays valid while a request holds it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/facet_codes.h"
#include "core/glossary.h"
#include "core/taxonomy.h"

namespace nexuskb {

struct TitleEntry {
  std::string id, lang, title, folded;  // folded: Unicode lower case, for prefix matching
};

// One database listed in a stub file: a local database or a shard served by xapian-tcpsrv.
struct StubEntry {
  std::string path;  // a local database (relative paths resolved against the stub's folder)
  std::string host;  // a remote shard; empty for a local database
  unsigned port = 0;
  bool remote() const { return !host.empty(); }
  std::string address() const { return host + ":" + std::to_string(port); }
};

struct IndexSnapshot {
  uint64_t generation = 0;
  std::string resolved_path;  // what the index path pointed at when opened
  std::string stub_text;      // the stub file's contents when resolved_path is a stub file
  std::string terms_path;     // the database holding metadata, spelling and synonyms
  bool sharded = false;       // resolved_path is a stub listing several databases
  bool remote = false;        // some shard is served by xapian-tcpsrv (only built-in spies work)
  std::vector<std::string> remote_shards;  // "host:port" of each remote shard, in stub order
  // The databases the stub listed when opened (every thread opens these, even if the file has
  // changed since); empty when resolved_path is a single database.
  std::vector<StubEntry> stub_entries;
  Taxonomy taxonomy;
  FacetCodes facet_codes;
  Xapian::doccount doc_count = 0;
  std::string built_at;
  // practice number -> lang -> title
  std::map<int, std::map<std::string, std::string>> practice_titles;
  std::vector<TitleEntry> titles;  // every (item, lang), for suggestions
  Glossary glossary;
};

// One consistent view of the index for a request: a snapshot and this thread's databases of that
// same generation. Valid on this thread until its next call to IndexHandle::open() or database(),
// which may reopen them: take one view per request and pass it along.
struct IndexView {
  std::shared_ptr<const IndexSnapshot> snapshot;
  Xapian::Database& db;     // the searchable database (one index, or all shards)
  Xapian::Database& terms;  // metadata, spelling and synonyms (the same as db when unsharded)
};

class IndexHandle {
 public:
  // Opens `path` (a directory, symlink or Xapian stub file). Throws std::runtime_error with a
  // clear message when the index is missing or its schema version differs.
  explicit IndexHandle(std::string path);

  // The current snapshot with this thread's databases, opened for that snapshot's generation.
  IndexView open();
  // Shorthand for open().db.
  Xapian::Database& database() { return open().db; }
  std::shared_ptr<const IndexSnapshot> snapshot() const;

  // Re-resolves the path; opens the new index if it changed (another target, or a stub file whose
  // contents changed). Returns true when it switched. Errors leave the current index in service
  // and are returned in `error`. Calls are serialised (the watcher and SIGHUP may race), so
  // generations only grow and the newest index always ends up in service.
  bool refresh(std::string& error);

  // Drops the calling thread's databases so that the next open() reconnects: after a
  // Xapian::NetworkError, a remote shard's connection is dead for good.
  void reconnect_this_thread();
  const std::string& path() const { return path_; }

 private:
  std::shared_ptr<const IndexSnapshot> load(uint64_t generation) const;

  std::string path_;
  const uint64_t id_;  // process-unique: per-thread databases are keyed by it, not by address
  std::mutex refresh_mutex_;
  mutable std::mutex mutex_;
  std::shared_ptr<const IndexSnapshot> snapshot_;
  std::atomic<uint64_t> generation_{1};
};

// Reads the stub file `stub_file`. Lines: `remote HOST:PORT` or `tcp HOST:PORT` (a shard served
// by xapian-tcpsrv; [IPv6]:PORT too), `auto PATH` or `glass PATH`, or a plain PATH naming an
// existing database; blank lines and `#` comments are skipped. Throws std::runtime_error naming
// the file, line number and line for anything else (`remote :PROGRAM`, which would spawn a
// program, included) and for a stub listing no database.
std::vector<StubEntry> read_stub(const std::string& stub_file);

// The stub file behind a resolved index path: `<dir>/XAPIANDB` for a folder holding one, the
// path itself when it is a text file, else empty (a database folder, a single-file database).
std::string stub_file_of(const std::string& resolved);

// Opens `resolved` as the searchable database: a database folder, or all the databases its stub
// lists (open_stub_entries). Throws Xapian::Error when a database cannot be opened,
// std::runtime_error for a bad stub line.
Xapian::Database open_database(const std::string& resolved);
// Opens every database of `entries` as one, each remote shard with search_options::
// kRemoteTimeoutMs and kRemoteConnectTimeoutMs (Xapian's own stub reader would wait 10 s).
Xapian::Database open_stub_entries(const std::vector<StubEntry>& entries);

// True when the stub file `resolved` lists a remote database ("remote ..." or "tcp ..." lines).
bool stub_has_remote(const std::string& resolved);

// Where `path` currently leads (symlinks resolved); empty when it does not exist.
std::string resolve_index_path(const std::string& path);

// The metadata/spelling/synonyms database for a resolved index path: the path itself for a plain
// database, `<dir>/meta` for a folder holding a XAPIANDB stub, and for a stub file the path named
// on a "# nexuskb-meta PATH" line (relative to the stub's folder). Empty when there is none.
std::string find_terms_database(const std::string& resolved);

}  // namespace nexuskb
