// Opening the index, checking its schema, and per-thread database handles.
#include "server/index_snapshot.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/schema.h"

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

}  // namespace

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
  std::error_code ec;
  if (std::filesystem::is_directory(resolved, ec)) {
    const auto stub = std::filesystem::path(resolved) / "XAPIANDB";
    return std::filesystem::exists(stub, ec) && stub_has_remote(stub.string());
  }
  std::ifstream stub(resolved);
  for (std::string line; std::getline(stub, line);) {
    if (line.rfind("remote ", 0) == 0 || line.rfind("tcp ", 0) == 0 || line.rfind("prog ", 0) == 0)
      return true;
  }
  return false;
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
  try {
    db = Xapian::Database(resolved);
    terms = Xapian::Database(terms_path);
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("cannot open index '" + path_ + "': " + e.get_description());
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
  snap->remote = snap->sharded && stub_has_remote(resolved);
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
    t_database.db = std::make_unique<Xapian::Database>(snap->resolved_path);
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
