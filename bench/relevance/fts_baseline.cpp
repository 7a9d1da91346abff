// SQLite FTS5 BM25 baseline.
#include "bench/relevance/fts_baseline.h"

#include <sqlite3.h>

#include <cctype>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace nexuskb::relevance {
namespace {

// An item has at most one row per language: reading this many rows per wanted item is enough to
// fill `limit` distinct items whenever that many match.
constexpr int kLanguages = 3;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
  }
}

std::string packed(const std::vector<std::string>& values) {
  std::string out = "|";
  for (const auto& v : values) out += v + "|";
  return out;
}

std::string fts_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';  // FTS5 escapes a quote by doubling it
    out += c;
  }
  return out + "\"";
}

// True when the word has something the tokenizer will keep (a letter or digit, or any non-ASCII).
bool has_token(const std::string& word) {
  for (unsigned char c : word) {
    if (c >= 0x80 || std::isalnum(c)) return true;
  }
  return false;
}

// Column of each facet filter; multi-valued ones are stored packed as |a|b|.
struct FacetColumn {
  const char* column;
  bool multi;
};
const std::map<std::string, FacetColumn> kFacetColumns{
    {"lang", {"lang", false}},         {"kind", {"kind", false}},
    {"section", {"section", false}},   {"actor", {"actors", true}},
    {"region", {"regions", true}},     {"theme", {"themes", true}},
    {"practice", {"practices", true}},
};

}  // namespace

std::string Bm25Weights::label() const {
  char buf[96];
  std::snprintf(buf, sizeof buf, "title %.3g, summary %.3g, body %.3g", title, summary, body);
  return buf;
}

FtsBaseline::FtsBaseline(const std::vector<BaselineDocument>& documents) {
  check(sqlite3_open(":memory:", &db_), db_, "open");
  check(sqlite3_exec(db_,
                     "CREATE VIRTUAL TABLE docs USING fts5("
                     "id UNINDEXED, lang UNINDEXED, kind UNINDEXED, section UNINDEXED,"
                     "actors UNINDEXED, regions UNINDEXED, themes UNINDEXED, practices UNINDEXED,"
                     "title, summary, body,"
                     "tokenize='porter unicode61 remove_diacritics 2')",
                     nullptr, nullptr, nullptr),
        db_, "create");
  sqlite3_stmt* ins = nullptr;
  check(
      sqlite3_prepare_v2(db_, "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &ins, nullptr),
      db_, "prepare insert");
  check(sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), db_, "begin");
  for (const BaselineDocument& d : documents) {
    const std::string fields[] = {d.id,
                                  d.lang,
                                  d.kind,
                                  d.section,
                                  packed(d.actors),
                                  packed(d.regions),
                                  packed(d.themes),
                                  packed(d.practices),
                                  d.title,
                                  d.summary,
                                  d.body};
    for (int i = 0; i < 11; ++i) {
      sqlite3_bind_text(ins, i + 1, fields[i].c_str(), static_cast<int>(fields[i].size()),
                        SQLITE_TRANSIENT);
    }
    check(sqlite3_step(ins), db_, "insert");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), db_, "commit");
}

FtsBaseline::~FtsBaseline() {
  sqlite3_close(db_);
}

std::string FtsBaseline::to_match(const std::string& query) {
  std::vector<std::string> parts;
  std::string word;
  auto flush = [&] {
    if (has_token(word)) parts.push_back(fts_quote(word));
    word.clear();
  };
  for (size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '"') {
      flush();
      const size_t end = query.find('"', i + 1);
      const std::string phrase =
          query.substr(i + 1, (end == std::string::npos ? query.size() : end) - i - 1);
      if (has_token(phrase)) parts.push_back(fts_quote(phrase));
      if (end == std::string::npos) break;
      i = end;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " OR ") + p;
  return out;
}

FtsRun FtsBaseline::search(const std::string& query,
                           const std::map<std::string, std::vector<std::string>>& filters,
                           const Bm25Weights& weights, int limit) const {
  FtsRun run;
  run.match = to_match(query);
  if (run.match.empty()) return run;
  char rank[128];
  std::snprintf(rank, sizeof rank, "bm25(docs, 0, 0, 0, 0, 0, 0, 0, 0, %.6g, %.6g, %.6g)",
                weights.title, weights.summary, weights.body);
  std::string sql = std::string("SELECT id, lang, ") + rank + " FROM docs WHERE docs MATCH ?";
  std::vector<std::string> binds{run.match};
  for (const auto& [facet, values] : filters) {
    auto col = kFacetColumns.find(facet);
    if (col == kFacetColumns.end()) throw std::runtime_error("fts5: unknown facet '" + facet + "'");
    if (values.empty()) continue;
    sql += " AND (";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) sql += " OR ";
      sql += std::string(col->second.column) + (col->second.multi ? " LIKE ?" : " = ?");
      binds.push_back(col->second.multi ? "%|" + values[i] + "|%" : values[i]);
    }
    sql += ")";
  }
  sql +=
      std::string(" ORDER BY ") + rank + ", id, lang LIMIT " + std::to_string(limit * kLanguages);
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), db_, "prepare search");
  for (size_t i = 0; i < binds.size(); ++i) {
    sqlite3_bind_text(st, static_cast<int>(i + 1), binds[i].c_str(),
                      static_cast<int>(binds[i].size()), SQLITE_TRANSIENT);
  }
  std::set<std::string> seen;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ++run.rows;
    std::string id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (static_cast<int>(run.hits.size()) >= limit || !seen.insert(id).second) continue;
    run.hits.push_back({std::move(id), reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                        sqlite3_column_double(st, 2)});
  }
  const std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  if (!error.empty()) throw std::runtime_error("sqlite: search '" + run.match + "': " + error);
  return run;
}

}  // namespace nexuskb::relevance
