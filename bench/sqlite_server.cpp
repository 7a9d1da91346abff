// The SQLite FTS5 peer behind the same HTTP stack as nexuskb-serve and the hello-world server
// (cpp-httplib, TCP_NODELAY, 32-thread pool, keep-alive), so that the comparison isolates the
// search engine. It answers GET /api/v1/search with the same parameters as nexuskb
// (q, actor, region, theme, kind, section, lang, practice, page, per_page) and returns JSON:
// total, 10 hits with bm25 order and snippet(), and per-facet counts by GROUP BY over the
// matching set (conjunctive counts: all filters applied; nexuskb's are disjunctive).
//
// The database is built by bench/peers.py: items(rowid, id, lang, kind, title, summary),
// fts5(title, summary, body, tokenize='porter unicode61 remove_diacritics 2') sharing rowids,
// facets(doc, facet, value) indexed on (facet, value, doc) and (doc).
//
//   bench_sqlite_server --db PATH [--listen 127.0.0.1:PORT] [--threads 32]
#include <sqlite3.h>

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/connection_settings.h"

namespace {

const char* const kFacets[] = {"practice", "actor", "region", "kind", "section", "theme", "lang"};

struct Connection {
  sqlite3* db = nullptr;
  std::map<std::string, sqlite3_stmt*> cache;  // prepared statements by SQL text
  ~Connection() {
    for (auto& [sql, st] : cache) sqlite3_finalize(st);
    if (db) sqlite3_close(db);
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache.find(sql);
    if (it != cache.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) !=
        SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in " + sql);
    }
    cache.emplace(sql, st);
    return st;
  }
};

std::string g_db_path;
thread_local std::unique_ptr<Connection> t_conn;

Connection& connection() {
  if (!t_conn) {
    t_conn = std::make_unique<Connection>();
    if (sqlite3_open_v2(g_db_path.c_str(), &t_conn->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + g_db_path);
    }
    sqlite3_exec(t_conn->db, "PRAGMA mmap_size=268435456; PRAGMA cache_size=-8192;", nullptr,
                 nullptr, nullptr);
  }
  return *t_conn;
}

// Query text -> FTS5 MATCH expression: quoted phrases kept, every other word quoted (so that
// hyphens, apostrophes and colons are never read as FTS5 syntax); words join with implicit AND.
std::string fts_query(const std::string& q) {
  std::string out, word;
  bool in_quote = false;
  auto flush = [&] {
    if (word.empty()) return;
    std::string esc;
    for (char c : word) esc += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += (out.empty() ? "" : " ") + std::string("\"") + esc + "\"";
    word.clear();
  };
  for (char c : q) {
    if (c == '"') {
      if (in_quote) flush();
      in_quote = !in_quote;
    } else if (!in_quote && (c == ' ' || c == '\t')) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

std::string text_of(sqlite3_stmt* st, int col) {
  const unsigned char* t = sqlite3_column_text(st, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

void search(const httplib::Request& req, httplib::Response& res) {
  Connection& c = connection();
  const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
  const std::string match = fts_query(q);
  int page = 1, per_page = 10;
  if (req.has_param("page")) page = std::max(1, std::stoi(req.get_param_value("page")));
  if (req.has_param("per_page")) per_page = std::stoi(req.get_param_value("per_page"));

  // WHERE clause on a rowid column, with its bound values in order.
  std::vector<std::string> binds;
  std::string filter;
  for (const char* facet : kFacets) {
    const size_t n = req.get_param_value_count(facet);
    if (n == 0) continue;
    filter += std::string(" AND %ROWID% IN (SELECT doc FROM facets WHERE facet = '") + facet +
              "' AND value IN (";
    for (size_t i = 0; i < n; ++i) {
      filter += i ? ",?" : "?";
      binds.push_back(req.get_param_value(facet, i));
    }
    filter += "))";
  }
  auto with_rowid = [&](const std::string& col) {
    std::string f = filter;
    for (size_t p; (p = f.find("%ROWID%")) != std::string::npos;) f.replace(p, 7, col);
    return f;
  };
  const bool has_text = !match.empty();
  // The matching set, as a sub-select of rowids.
  const std::string matching = has_text
                                   ? "SELECT rowid FROM fts WHERE fts MATCH ?" + with_rowid("rowid")
                                   : "SELECT rowid FROM items WHERE 1" + with_rowid("rowid");
  auto bind_all = [&](sqlite3_stmt* st, int first) {
    int i = first;
    if (has_text) sqlite3_bind_text(st, i++, match.c_str(), -1, SQLITE_TRANSIENT);
    for (const std::string& b : binds) sqlite3_bind_text(st, i++, b.c_str(), -1, SQLITE_TRANSIENT);
    return i;
  };

  nlohmann::json out;
  out["query"] = q;
  {
    sqlite3_stmt* st = c.prepare("SELECT count(*) FROM (" + matching + ")");
    bind_all(st, 1);
    out["total"] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  }
  {
    std::string sql =
        has_text ? "SELECT i.id, i.lang, i.title, snippet(fts, 2, '<mark>', '</mark>', '…', 24), "
                   "bm25(fts, 6.0, 2.0, 1.0) AS s FROM fts JOIN items i ON i.rowid = fts.rowid "
                   "WHERE fts MATCH ?" +
                       with_rowid("fts.rowid") + " ORDER BY s LIMIT ? OFFSET ?"
                 : "SELECT id, lang, title, summary, 0 FROM items WHERE 1" + with_rowid("rowid") +
                       " ORDER BY rowid LIMIT ? OFFSET ?";
    sqlite3_stmt* st = c.prepare(sql);
    int i = bind_all(st, 1);
    sqlite3_bind_int(st, i++, per_page);
    sqlite3_bind_int(st, i++, (page - 1) * per_page);
    nlohmann::json hits = nlohmann::json::array();
    while (sqlite3_step(st) == SQLITE_ROW) {
      hits.push_back({{"id", text_of(st, 0)},
                      {"lang", text_of(st, 1)},
                      {"title", text_of(st, 2)},
                      {"snippet_html", text_of(st, 3)},
                      {"score", -sqlite3_column_double(st, 4)}});
    }
    out["hits"] = std::move(hits);
  }
  {
    sqlite3_stmt* st = c.prepare("SELECT facet, value, count(*) FROM facets WHERE doc IN (" +
                                 matching + ") GROUP BY facet, value");
    bind_all(st, 1);
    nlohmann::json facets = nlohmann::json::object();
    while (sqlite3_step(st) == SQLITE_ROW) {
      facets[text_of(st, 0)].push_back(
          {{"value", text_of(st, 1)}, {"count", sqlite3_column_int64(st, 2)}});
    }
    out["facets"] = std::move(facets);
  }
  res.set_content(out.dump(), "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 18093, threads = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--db") {
      g_db_path = v;
    } else if (a == "--listen") {
      host = v.substr(0, v.rfind(':'));
      port = std::stoi(v.substr(v.rfind(':') + 1));
    } else if (a == "--threads") {
      threads = std::stoi(v);
    }
  }
  if (g_db_path.empty()) {
    std::cerr << "usage: bench_sqlite_server --db PATH [--listen HOST:PORT] [--threads N]\n";
    return 2;
  }
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  httplib::Server svr;
  int listen_socket = -1;
  nexuskb::configure_connections(svr, nexuskb::ConnectionLimits{.max_connections = threads}, listen_socket);
  svr.Get("/api/v1/search", search);
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        }
        res.status = 500;
        res.set_content(nlohmann::json{{"error", what}}.dump(), "application/json");
      });
  if (!svr.bind_to_port(host, port)) return 1;
  nexuskb::raise_listen_backlog(listen_socket);
  std::clog << "sqlite_server: listening on http://" << host << ":" << port << "/\n";
  return svr.listen_after_bind() ? 0 : 1;
}
