#include "bench/fts5_peer.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace nexuskb::bench {
namespace {

// bm25() column weights, in the table's column order (title, summary, body, num, prac): title
// words count six times, summary twice (nexuskb weighs titles up too); the item's own practice
// number dominates, as nexuskb's boost of 40 makes "GP n" put practice n first; the practices
// an item is about only find it (weight 0, like nexuskb's boolean practice filter).
constexpr const char* kMatchSql =
    "SELECT rowid, nx_tier(fts) AS tier, bm25(fts, 6.0, 2.0, 1.0, 40.0, 0.0) AS score FROM fts "
    "WHERE fts MATCH ?1 AND nx_visit(fts) ORDER BY tier DESC, score LIMIT ?2 OFFSET ?3";
// The best passage of one item (passage rowids are item rowid * 256 + k).
constexpr const char* kSnippetSql =
    "SELECT snippet(passages, -1, '<mark>', '</mark>', '…', 24) FROM passages "
    "WHERE passages MATCH ?1 AND rowid BETWEEN ?2 * 256 AND ?2 * 256 + 255 ORDER BY rank LIMIT 1";
constexpr const char* kRowSql = "SELECT id, title, summary FROM fts WHERE rowid = ?1";

void visit_fn(const Fts5ExtensionApi* api, Fts5Context* ctx, sqlite3_context* out, int,
              sqlite3_value**) {
  auto* peer = static_cast<Fts5Peer*>(api->xUserData(ctx));
  sqlite3_result_int(out, peer->visit(api->xRowid(ctx)));
}

// 1 when the row has every word part of the query (or the query has one tier).
void tier_fn(const Fts5ExtensionApi* api, Fts5Context* ctx, sqlite3_context* out, int,
             sqlite3_value**) {
  auto* peer = static_cast<Fts5Peer*>(api->xUserData(ctx));
  Fts5Peer::Pass& pass = peer->pass_;
  if (!pass.tiered) {
    sqlite3_result_int(out, 1);
    return;
  }
  for (int i = 0; i < pass.parts; ++i) {
    Fts5PhraseIter it;
    int col = -1;
    if (api->xPhraseFirstColumn(ctx, i, &it, &col) != SQLITE_OK || col < 0) {
      sqlite3_result_int(out, 0);
      return;
    }
  }
  ++pass.all_words;
  sqlite3_result_int(out, 1);
}

std::string text_of(sqlite3_stmt* st, int col) {
  const unsigned char* t = sqlite3_column_text(st, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

std::string first_line(std::string s) {
  const size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

std::string uri_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(c >> 4) & 15];
      out += hex[c & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string fts5_match(const QueryText& q) {
  std::string out;
  for (const auto& part : q.parts) {
    std::string s;
    for (const auto& t : part) s += (s.empty() ? "" : " ") + t;  // tokens hold no '"'
    out += (out.empty() ? "\"" : " OR \"") + s + "\"";
  }
  for (int n : q.practices) {
    const std::string num = std::to_string(n);
    out += (out.empty() ? "" : " OR ") + std::string("num : \"gpn") + num + "\"";
    if (q.parts.empty()) out += " OR prac : \"gpp" + num + "\"";
  }
  return out;
}

Fts5Peer::Fts5Peer(const std::string& path) {
  // immutable=1 (SQLite's URI parameters): the file cannot change while we read it, so SQLite
  // takes no file locks and never checks for changes by other connections.
  const std::string uri = "file:" + uri_escape(path) + "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &db_,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    throw std::runtime_error("fts5 peer: cannot open " + path + ": " + sqlite3_errmsg(db_));
  }
  // mmap_size: a read-only database read through memory-mapped I/O ("Memory-Mapped I/O" in
  // SQLite's documentation): pages are used in place instead of being copied from the kernel's
  // page cache into SQLite's. Debian's build caps it at 2 GB (SQLITE_MAX_MMAP_SIZE); the rest of
  // a larger file is read as usual.
  // cache_size: 64 MiB of page cache for what the map does not cover (files above 2 GB);
  // the default (2 MB) would re-read the FTS5 segment b-tree pages on every query there.
  // temp_store: the ORDER BY ... LIMIT sorter lives in memory, never in a temporary file.
  char* err = nullptr;
  if (sqlite3_exec(db_,
                   "PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536; "
                   "PRAGMA temp_store = MEMORY;",
                   nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("fts5 peer: " + msg);
  }
  fts5_api* api = nullptr;
  sqlite3_stmt* st = prepare("SELECT fts5(?1)");
  sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (!api) throw std::runtime_error("fts5 peer: this SQLite has no FTS5");
  api->xCreateFunction(api, "nx_visit", this, &visit_fn, nullptr);
  api->xCreateFunction(api, "nx_tier", this, &tier_fn, nullptr);
  load_arrays();
  match_ = prepare(kMatchSql);
  snippet_ = prepare(kSnippetSql);
  row_ = prepare(kRowSql);
}

Fts5Peer::~Fts5Peer() {
  for (sqlite3_stmt* st : {match_, snippet_, row_}) sqlite3_finalize(st);
  sqlite3_close(db_);
}

sqlite3_stmt* Fts5Peer::prepare(const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("fts5 peer: ") + sqlite3_errmsg(db_) + " in " + sql);
  }
  return st;
}

void Fts5Peer::load_arrays() {
  sqlite3_stmt* st = prepare("SELECT code, facet, value FROM facet_values");
  while (sqlite3_step(st) == SQLITE_ROW) {
    const int f = facet_index(text_of(st, 1));
    if (f >= 0) facets_.add(sqlite3_column_int(st, 0), f, text_of(st, 2));
  }
  sqlite3_finalize(st);
  st = prepare("SELECT doc, code FROM item_facets ORDER BY doc, code");
  offsets_.assign(2, 0);  // rowid 0 does not exist; offsets_[r]..offsets_[r + 1] is row r
  int64_t row = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const int64_t doc = sqlite3_column_int64(st, 0);
    while (row < doc) {
      ++row;
      offsets_.push_back(offsets_.back());
    }
    codes_.push_back(static_cast<uint16_t>(sqlite3_column_int(st, 1)));
    offsets_.back() = static_cast<uint32_t>(codes_.size());
  }
  sqlite3_finalize(st);
  st = prepare("SELECT word, freq FROM vocab");
  while (sqlite3_step(st) == SQLITE_ROW) speller_.add(text_of(st, 0), sqlite3_column_int64(st, 1));
  sqlite3_finalize(st);
  st = prepare("SELECT word FROM stopwords");
  while (sqlite3_step(st) == SQLITE_ROW) stopwords_.insert(text_of(st, 0));
  sqlite3_finalize(st);
}

size_t Fts5Peer::array_bytes() const {
  return offsets_.size() * sizeof(uint32_t) + codes_.size() * sizeof(uint16_t);
}

int Fts5Peer::visit(int64_t rowid) {
  Pass& p = pass_;
  if (rowid <= 0 || static_cast<size_t>(rowid) + 1 >= offsets_.size()) return 0;
  const uint16_t* first = codes_.data() + offsets_[rowid];
  const uint16_t* last = codes_.data() + offsets_[rowid + 1];
  const int groups = static_cast<int>(p.group_facet.size());
  uint32_t satisfied = 0;
  if (groups) {
    for (const uint16_t* c = first; c != last; ++c) {
      const int g = p.group_of_code[*c];
      if (g >= 0) satisfied |= 1u << g;
    }
  }
  const int missing = groups - std::popcount(satisfied);
  if (missing == 0) {
    for (const uint16_t* c = first; c != last; ++c) ++p.counts[*c];
    ++p.total;
    return 1;
  }
  if (missing == 1) {  // counts for the one facet whose selection it fails
    const int g = std::countr_zero(~satisfied);
    const size_t facet = p.group_facet[g];
    for (const uint16_t* c = first; c != last; ++c) {
      if (facets_.facet_of(*c) == facet) ++p.counts[*c];
    }
  }
  return 0;
}

void Fts5Peer::start_pass(const PeerRequest& request, const QueryText& q) {
  Pass& p = pass_;
  p.group_of_code.assign(facets_.size(), -1);
  p.group_facet.clear();
  p.counts.assign(facets_.size(), 0);
  p.total = p.all_words = 0;
  p.parts = static_cast<int>(q.parts.size());
  p.tiered = q.tiered();
  for (const auto& [name, values] : request.filters) {
    const int f = facet_index(name);
    if (f < 0) continue;
    const int g = static_cast<int>(p.group_facet.size());
    p.group_facet.push_back(f);
    for (const std::string& v : values) {
      const int code = facets_.code(f, v);
      if (code >= 0) p.group_of_code[code] = static_cast<int8_t>(g);
    }
  }
}

void Fts5Peer::run_without_text(const PeerRequest& request, std::vector<int64_t>& page) {
  const size_t first = static_cast<size_t>(request.page - 1) * request.per_page;
  const size_t n = documents();
  for (size_t r = 1; r <= n; ++r) {
    if (visit(static_cast<int64_t>(r)) && static_cast<size_t>(pass_.total) > first &&
        page.size() < static_cast<size_t>(request.per_page)) {
      page.push_back(static_cast<int64_t>(r));
    }
  }
}

void Fts5Peer::fetch_hits(const QueryText& q, const std::vector<int64_t>& rows,
                          const std::vector<std::pair<int, double>>& ranks, PeerResult& out) {
  QueryText words = q;  // passages have no num / prac columns
  words.practices.clear();
  const std::string match = words.parts.empty() ? "" : fts5_match(words);
  for (size_t i = 0; i < rows.size(); ++i) {
    sqlite3_reset(row_);
    sqlite3_bind_int64(row_, 1, rows[i]);
    if (sqlite3_step(row_) != SQLITE_ROW) continue;
    PeerHit hit;
    hit.id = text_of(row_, 0);
    hit.title = first_line(text_of(row_, 1));
    if (!match.empty()) {
      sqlite3_reset(snippet_);
      sqlite3_bind_text(snippet_, 1, match.c_str(), static_cast<int>(match.size()), SQLITE_STATIC);
      sqlite3_bind_int64(snippet_, 2, rows[i]);
      if (sqlite3_step(snippet_) == SQLITE_ROW) hit.snippet = text_of(snippet_, 0);
    }
    if (hit.snippet.empty()) hit.snippet = first_line(text_of(row_, 2));  // the summary
    if (i < ranks.size()) {
      hit.all_words = ranks[i].first != 0;
      hit.score = -ranks[i].second;  // bm25() is negative: lower is better
    }
    out.hits.push_back(std::move(hit));
  }
  sqlite3_reset(row_);
  sqlite3_reset(snippet_);
}

void Fts5Peer::run(const QueryText& q, const PeerRequest& request, PeerResult& out) {
  start_pass(request, q);
  std::vector<int64_t> rows;
  std::vector<std::pair<int, double>> ranks;
  std::string match;
  if (q.empty()) {
    run_without_text(request, rows);
  } else {
    match = fts5_match(q);
    sqlite3_reset(match_);
    sqlite3_bind_text(match_, 1, match.c_str(), static_cast<int>(match.size()), SQLITE_STATIC);
    sqlite3_bind_int(match_, 2, request.per_page);
    sqlite3_bind_int(match_, 3, (request.page - 1) * request.per_page);
    int rc;
    while ((rc = sqlite3_step(match_)) == SQLITE_ROW) {
      rows.push_back(sqlite3_column_int64(match_, 0));
      ranks.emplace_back(sqlite3_column_int(match_, 1), sqlite3_column_double(match_, 2));
    }
    if (rc != SQLITE_DONE)
      throw std::runtime_error(std::string("fts5 peer: ") + sqlite3_errmsg(db_));
    sqlite3_reset(match_);
  }
  out.total = pass_.total;
  out.total_all_words = q.tiered() ? pass_.all_words : pass_.total;
  out.hits.clear();
  fetch_hits(q, rows, ranks, out);
  out.facets.clear();
  for (size_t c = 0; c < pass_.counts.size(); ++c) {
    if (pass_.counts[c])
      out.facets[kFacetNames[facets_.facet_of(c)]][facets_.value_of(c)] = pass_.counts[c];
  }
  for (const auto& [name, values] : request.filters) {  // selected values are always listed
    for (const std::string& v : values) out.facets[name].emplace(v, 0);
  }
}

nlohmann::json Fts5Peer::explain() {
  nlohmann::json out;
  for (const auto& [name, sql] : {std::pair{"match", kMatchSql}, std::pair{"snippet", kSnippetSql},
                                  std::pair{"row", kRowSql}}) {
    sqlite3_stmt* st = prepare((std::string("EXPLAIN QUERY PLAN ") + sql).c_str());
    std::map<int, int> depth;  // id -> indentation
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const int id = sqlite3_column_int(st, 0), parent = sqlite3_column_int(st, 1);
      depth[id] = depth.count(parent) ? depth[parent] + 1 : 0;
      plan += std::string(2 * depth[id], ' ') + text_of(st, 3) + "\n";
    }
    sqlite3_finalize(st);
    out[name] = {{"sql", sql}, {"plan", plan}};
  }
  return out;
}

nlohmann::json Fts5Peer::settings() {
  nlohmann::json out;
  auto one = [&](const std::string& sql) {
    sqlite3_stmt* st = prepare(sql.c_str());
    std::string v = sqlite3_step(st) == SQLITE_ROW ? text_of(st, 0) : "";
    sqlite3_finalize(st);
    return v;
  };
  for (const char* pragma : {"page_size", "mmap_size", "cache_size", "temp_store"})
    out[pragma] = one(std::string("PRAGMA ") + pragma);
  out["create"] = one("SELECT sql FROM sqlite_master WHERE name = 'fts'");
  sqlite3_stmt* st = prepare("SELECT k, v FROM fts_config");
  while (sqlite3_step(st) == SQLITE_ROW) out["fts5_config"][text_of(st, 0)] = text_of(st, 1);
  sqlite3_finalize(st);
  out["uri"] = "file:<db>?immutable=1 (read-only)";
  out["sqlite_version"] = sqlite3_libversion();
  return out;
}

PeerResult Fts5Peer::search(const PeerRequest& request) {
  const QueryText q = read_query(request.text, stopwords_);
  PeerResult result;
  run(q, request, result);
  // A word unknown to the corpus: suggest a correction; retry with it when no item has every
  // word, and keep the retry only if some item has every corrected word.
  QueryText corrected = q;
  if (!speller_.correct(corrected)) return result;
  result.corrected_query = query_string(corrected);
  const long full = q.tiered() ? result.total_all_words : result.total;
  if (full != 0) return result;
  PeerResult second;
  run(corrected, request, second);
  if ((corrected.tiered() ? second.total_all_words : second.total) > 0) {
    second.corrected = true;
    second.corrected_query = result.corrected_query;
    return second;
  }
  return result;  // the words as typed stand; the correction is offered
}

}  // namespace nexuskb::bench
