// Opening the index, checking its schema, and per-thread database handles.
#include "server/index_snapshot.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/schema.h"
#include "server/search_options.h"

namespace nexuskb {
namespace {

struct ThreadDatabase {
  uint64_t owner = 0;  // IndexHandle id; 0: none
  uint64_t generation = 0;
  std::unique_ptr<Xapian::Database> db;
  std::unique_ptr<Xapian::Database> terms;  // null when the same as db
};
thread_local ThreadDatabase t_database;
std::atomic<uint64_t> g_next_handle_id{1};

// The contents of `resolved` when it is a stub file, else empty: a stub edited in place (a shard
// added or moved) keeps its path, so its text tells whether the index changed.
std::string stub_text_of(const std::string& resolved) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(resolved, ec)) return {};
  std::ifstream in(resolved);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

// `text` without leading and trailing blanks (a stub edited on Windows ends lines with \r).
std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// "host:port" or "[v6]:port" -> entry; false when malformed.
bool parse_address(const std::string& text, StubEntry& entry) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (host.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  entry.host = host;
  entry.port = static_cast<unsigned>(std::stoul(port));
  return entry.port > 0 && entry.port < 65536;
}

}  // namespace

std::vector<StubEntry> read_stub(const std::string& stub_file) {
  namespace fs = std::filesystem;
  std::ifstream in(stub_file);
  if (!in) throw std::runtime_error("cannot read stub file '" + stub_file + "'");
  const fs::path folder = fs::path(stub_file).parent_path();
  auto local = [&](const std::string& path) {
    const fs::path p(path);
    return StubEntry{.path = (p.is_relative() ? folder / p : p).string()};
  };
  std::vector<StubEntry> entries;
  int number = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string line = trimmed(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.find_first_of(" \t");
    const std::string type = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : trimmed(line.substr(space));
    StubEntry entry;
    if ((type == "remote" || type == "tcp") && parse_address(rest, entry)) {
      entries.push_back(entry);
    } else if ((type == "auto" || type == "glass") && !rest.empty()) {
      entries.push_back(local(rest));
    } else if (std::error_code ec; fs::exists(local(line).path, ec)) {
      entries.push_back(local(line));
    } else {
      throw std::runtime_error(
          stub_file + ":" + std::to_string(number) + ": cannot read the line '" + line +
          "': expected 'remote HOST:PORT', 'tcp HOST:PORT', 'auto PATH' or the path of an "
          "existing database ('remote :PROGRAM', which spawns a program, is not supported)");
    }
  }
  if (entries.empty()) throw std::runtime_error(stub_file + ": the stub lists no database");
  return entries;
}

std::string stub_file_of(const std::string& resolved) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(resolved, ec)) {
    const fs::path stub = fs::path(resolved) / "XAPIANDB";
    return fs::is_regular_file(stub, ec) ? stub.string() : std::string();
  }
  if (!fs::is_regular_file(resolved, ec)) return {};
  // A single-file Xapian database is binary; a stub is text.
  std::ifstream in(resolved, std::ios::binary);
  char head[512];
  in.read(head, sizeof head);
  const std::string_view bytes(head, static_cast<size_t>(in.gcount()));
  return bytes.find('\0') == std::string_view::npos ? resolved : std::string();
}

Xapian::Database open_database(const std::string& resolved) {
  const std::string stub = stub_file_of(resolved);
  return stub.empty() ? Xapian::Database(resolved) : open_stub_entries(read_stub(stub));
}

Xapian::Database open_stub_entries(const std::vector<StubEntry>& entries) {
  Xapian::Database db;
  for (const StubEntry& entry : entries) {
    db.add_database(entry.remote() ? Xapian::Remote::open(entry.host, entry.port,
                                                          search_options::kRemoteTimeoutMs,
                                                          search_options::kRemoteConnectTimeoutMs)
                                   : Xapian::Database(entry.path));
  }
  return db;
}

std::string resolve_index_path(const std::string& path) {
  std::error_code ec;
  auto resolved = std::filesystem::canonical(path, ec);
  return ec ? std::string() : resolved.string();
}

std::string find_terms_database(const std::string& resolved) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(resolved, ec)) {
    if (!fs::exists(fs::path(resolved) / "XAPIANDB", ec)) return resolved;
    const fs::path meta = fs::path(resolved) / "meta";
    return fs::is_directory(meta, ec) ? meta.string() : std::string();
  }
  std::ifstream stub(resolved);
  const std::string marker = "# nexuskb-meta ";
  for (std::string line; std::getline(stub, line);) {
    if (line.rfind(marker, 0) != 0) continue;
    fs::path meta = line.substr(marker.size());
    if (meta.is_relative()) meta = fs::path(resolved).parent_path() / meta;
    return meta.string();
  }
  return {};
}

bool stub_has_remote(const std::string& resolved) {
  const std::string stub = stub_file_of(resolved);
  if (stub.empty()) return false;
  try {
    const auto entries = read_stub(stub);
    return std::any_of(entries.begin(), entries.end(), [](const auto& e) { return e.remote(); });
  } catch (const std::runtime_error&) {
    return false;  // not a stub we can open; opening it says why
  }
}

IndexHandle::IndexHandle(std::string path)
    : path_(std::move(path)), id_(g_next_handle_id.fetch_add(1)) {
  snapshot_ = load(generation_.load());
}

std::shared_ptr<const IndexSnapshot> IndexHandle::load(uint64_t generation) const {
  const std::string resolved = resolve_index_path(path_);
  if (resolved.empty()) {
    throw std::runtime_error("no index at '" + path_ + "': run nexuskb-index --out " + path_ +
                             " first");
  }
  const std::string terms_path = find_terms_database(resolved);
  if (terms_path.empty()) {
    throw std::runtime_error("index '" + path_ +
                             "' is a stub without a meta database (metadata, spelling, synonyms): "
                             "add a line '# nexuskb-meta PATH'");
  }
  Xapian::Database db, terms;
  std::vector<StubEntry> entries;
  try {
    if (const std::string stub = stub_file_of(resolved); !stub.empty()) entries = read_stub(stub);
    db = entries.empty() ? Xapian::Database(resolved) : open_stub_entries(entries);
    terms = Xapian::Database(terms_path);
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("cannot open index '" + path_ + "': " + e.get_description());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot open index '" + path_ + "': " + e.what());
  }
  const std::string version = terms.get_metadata(std::string(schema::kMetaSchemaVersion));
  if (version != schema::kSchemaVersion) {
    throw std::runtime_error("index '" + path_ + "' has schema version '" + version +
                             "' but this server needs '" + std::string(schema::kSchemaVersion) +
                             "': rebuild it with this version of nexuskb-index");
  }
  auto snap = std::make_shared<IndexSnapshot>();
  snap->generation = generation;
  snap->resolved_path = resolved;
  snap->stub_text = stub_text_of(resolved);
  snap->terms_path = terms_path;
  snap->sharded = terms_path != resolved;
  for (const StubEntry& entry : entries) {
    if (entry.remote()) snap->remote_shards.push_back(entry.address());
  }
  snap->remote = !snap->remote_shards.empty();
  snap->stub_entries = std::move(entries);
  snap->doc_count = db.get_doccount();
  snap->built_at = terms.get_metadata(std::string(schema::kMetaBuiltAt));
  try {
    auto meta = [&](std::string_view key) {
      return nlohmann::json::parse(terms.get_metadata(std::string(key)));
    };
    snap->taxonomy = Taxonomy::from_json(meta(schema::kMetaTaxonomy));
    snap->facet_codes = FacetCodes::from_json(meta(schema::kMetaFacetCodes));
    if (const std::string g = terms.get_metadata(std::string(schema::kMetaGlossary)); !g.empty())
      snap->glossary = Glossary::from_json(nlohmann::json::parse(g));
    for (const auto& t : meta(schema::kMetaTitles)) {
      const std::string id = t.at(0), lang = t.at(1), title = t.at(2);
      if (const int number = t.at(3); number > 0) snap->practice_titles[number][lang] = title;
      snap->titles.push_back({id, lang, title, Xapian::Unicode::tolower(title)});
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("index '" + path_ + "' has damaged metadata (" + e.what() +
                             "): rebuild it with nexuskb-index");
  }
  return snap;
}

IndexView IndexHandle::open() {
  auto snap = snapshot();
  if (t_database.owner != id_ || t_database.generation != snap->generation || !t_database.db) {
    t_database.db = std::make_unique<Xapian::Database>(snap->stub_entries.empty()
                                                           ? Xapian::Database(snap->resolved_path)
                                                           : open_stub_entries(snap->stub_entries));
    t_database.terms =
        snap->sharded ? std::make_unique<Xapian::Database>(snap->terms_path) : nullptr;
    t_database.owner = id_;
    t_database.generation = snap->generation;
  }
  Xapian::Database& db = *t_database.db;
  return {std::move(snap), db, t_database.terms ? *t_database.terms : db};
}

std::shared_ptr<const IndexSnapshot> IndexHandle::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void IndexHandle::reconnect_this_thread() {
  if (t_database.owner != id_) return;
  t_database = ThreadDatabase{};
}

bool IndexHandle::refresh(std::string& error) {
  // One refresh at a time: two interleaved refreshes could otherwise put an older index back in
  // service after a newer one (a slow load finishing last).
  std::lock_guard serial(refresh_mutex_);
  const std::string resolved = resolve_index_path(path_);
  if (resolved.empty()) return false;
  const auto current = snapshot();
  if (resolved == current->resolved_path && stub_text_of(resolved) == current->stub_text) {
    return false;
  }
  try {
    auto fresh = load(generation_.load() + 1);
    generation_.store(fresh->generation);
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(fresh);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

}  // namespace nexuskb
