// The Sphinx Search 2.2 peer's client: runs the benchmark query file against searchd over SphinxQL
// (the MySQL protocol, libmariadb), one connection, one query at a time, and times each search
// in this process from the first byte sent to the last result row read (loopback included).
//
// One search is two round trips: a multi-statement batch of
//   SELECT id, item, WEIGHT() AS w, summary ... WHERE MATCH('<query>') AND <filters>
//     ORDER BY w DESC, id ASC LIMIT <page> OPTION ranker=expr('<two tiers + BM25F>')
//     FACET <each unselected facet>;  SHOW META;
//   SELECT GROUPBY(), COUNT(*) ... WHERE <the filters without facet f> GROUP BY <f>  (for each
//     selected facet f: Sphinx's FACET counts are conjunctive, nexuskb's disjunctive)
// then, for queries with words, the snippet of each hit's best passage from the passages index:
//   SELECT item, WEIGHT() AS w, SNIPPET(text, '<query>') FROM passages WHERE MATCH('<query>')
//     AND item IN (<the page's ids>) GROUP BY item WITHIN GROUP ORDER BY w DESC
// The query text is read as nexuskb reads it (bench/peer_query.*: GP mentions, words OR-ed with
// every-word items first, stop words, one spelling retry when no item has every word).
//
//   bench_sphinx --port P --dir WORK/sphinx --queries FILE [--repeat 5] [--json OUT] [--pid N]
//                [--expect ANSWERS.jsonl]   (nexuskb's answers, from bench_search --answers)
#include <mysql.h>
#include <strings.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "bench/bench_util.h"
#include "bench/peer_query.h"

namespace {

using namespace nexuskb::bench;

// Attribute name of each facet (kFacetNames order).
constexpr const char* kAttr[] = {"practices", "actors", "regions", "kind",
                                 "section",   "themes", "langs"};
constexpr const char* kWeights = "{title=6, summary=2, body=1, num=40, prac=1}";

struct Engine {
  MYSQL* conn = nullptr;
  FacetTable facets;
  Speller speller;
  std::unordered_set<std::string> stopwords;
  long round_trips = 0;
};

std::string sphinx_match(const QueryText& q) {
  std::string out;
  for (const auto& part : q.parts) {
    std::string s;
    for (const auto& t : part) s += (s.empty() ? "" : " ") + t;  // tokens: letters and digits
    out += (out.empty() ? "" : " | ") + (part.size() > 1 ? "\"" + s + "\"" : s);
  }
  for (int n : q.practices) {
    const std::string num = std::to_string(n);
    out += (out.empty() ? "" : " | ") + std::string("(@num gpn") + num + ")";
    if (q.parts.empty()) out += " | (@prac gpp" + num + ")";
  }
  return out;
}

// WHERE clause: MATCH plus every filter but `except` (a facet index, or -1).
std::string where(const Engine& e, const std::string& match, const PeerRequest& r, int except) {
  std::string w;
  if (!match.empty()) w = "MATCH('" + match + "')";
  for (const auto& [name, values] : r.filters) {
    const int f = facet_index(name);
    if (f < 0 || f == except) continue;
    std::string list;
    for (const std::string& v : values) {
      const int code = e.facets.code(f, v);
      list += (list.empty() ? "" : ",") + std::to_string(code < 0 ? 65535 : code);
    }
    w += (w.empty() ? "" : " AND ") + std::string(kAttr[f]) + " IN (" + list + ")";
  }
  return w.empty() ? "" : " WHERE " + w;
}

void fail(MYSQL* c, const std::string& what) {
  throw std::runtime_error("sphinx: " + what + ": " + mysql_error(c));
}

// The snippet of each hit's best passage: a second round trip, once the page's items are known.
void snippets(Engine& e, const std::string& match, const std::vector<std::string>& docids,
              PeerResult& out) {
  std::string ids;
  for (const std::string& id : docids) ids += (ids.empty() ? "" : ",") + id;
  const std::string sql = "SELECT item, WEIGHT() AS w, SNIPPET(text, '" + match +
                          "') AS s FROM passages WHERE MATCH('" + match + "') AND item IN (" + ids +
                          ") GROUP BY item WITHIN GROUP ORDER BY w DESC LIMIT " +
                          std::to_string(docids.size()) + " OPTION ranker=bm25";
  if (mysql_real_query(e.conn, sql.c_str(), sql.size()) != 0) fail(e.conn, sql);
  ++e.round_trips;
  MYSQL_RES* res = mysql_store_result(e.conn);
  if (!res) fail(e.conn, "snippets");
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    const std::string item = row[0] ? row[0] : "";
    for (size_t i = 0; i < docids.size() && i < out.hits.size(); ++i) {
      if (docids[i] == item && row[2]) out.hits[i].snippet = row[2];
    }
  }
  mysql_free_result(res);
}

// Runs one search of `q` and fills `out`.
void run(Engine& e, const QueryText& q, const PeerRequest& r, PeerResult& out) {
  const std::string match = sphinx_match(q);
  const std::string bm25 = std::string("bm25f(1.2, 0.75, ") + kWeights + ")*10000";
  const std::string ranker =
      q.tiered() ? "if(doc_word_count >= query_word_count, 100000000, 0) + " + bm25 : bm25;
  const int first = (r.page - 1) * r.per_page;
  std::ostringstream sql;
  sql << "SELECT id, item, WEIGHT() AS w"
      << ", summary FROM nexus" << where(e, match, r, -1)
      << (match.empty() ? " ORDER BY id ASC" : " ORDER BY w DESC, id ASC") << " LIMIT " << first
      << "," << r.per_page << " OPTION max_matches=" << std::max(1000, first + r.per_page);
  if (!match.empty()) sql << ", ranker=expr('" << ranker << "')";
  std::vector<int> facet_order;
  for (size_t f = 0; f < kFacetCount; ++f) {
    if (r.filters.count(kFacetNames[f])) continue;
    sql << " FACET " << kAttr[f] << " LIMIT 1000";
    facet_order.push_back(static_cast<int>(f));
  }
  sql << "; SHOW META";
  for (const auto& [name, values] : r.filters) {
    const int f = facet_index(name);
    if (f < 0) continue;
    sql << "; SELECT GROUPBY() AS v, COUNT(*) AS c FROM nexus" << where(e, match, r, f)
        << " GROUP BY " << kAttr[f] << " LIMIT 1000 OPTION max_matches=1000";
    facet_order.push_back(f);
  }
  const std::string text = sql.str();
  if (mysql_real_query(e.conn, text.c_str(), text.size()) != 0) fail(e.conn, text);
  ++e.round_trips;
  out = PeerResult{};
  long top_weight = 0;
  size_t set = 0, facet_set = 0;
  std::vector<std::string> docids;
  do {
    MYSQL_RES* res = mysql_store_result(e.conn);
    if (!res) {
      if (mysql_field_count(e.conn) != 0) fail(e.conn, "result");
      continue;
    }
    MYSQL_ROW row;
    const bool meta = mysql_num_fields(res) == 2 &&
                      strcasecmp(mysql_fetch_field_direct(res, 0)->name, "Variable_name") == 0;
    if (set == 0) {  // the page of hits
      while ((row = mysql_fetch_row(res))) {
        PeerHit h;
        docids.push_back(row[0] ? row[0] : "0");
        h.id = row[1] ? row[1] : "";
        h.score = row[2] ? std::atof(row[2]) : 0;
        h.snippet = row[3] ? row[3] : "";
        if (out.hits.empty()) top_weight = static_cast<long>(h.score);
        h.all_words = !q.tiered() || h.score >= 100000000;
        out.hits.push_back(std::move(h));
      }
    } else if (meta) {
      while ((row = mysql_fetch_row(res))) {
        if (row[0] && std::string(row[0]) == "total_found") out.total = std::atol(row[1]);
      }
    } else if (facet_set < facet_order.size()) {  // a facet's counts: value code, count
      const int f = facet_order[facet_set++];
      const unsigned cols = mysql_num_fields(res);
      while ((row = mysql_fetch_row(res))) {
        const int code = std::atoi(row[0] ? row[0] : "-1");
        const long n = std::atol(row[cols - 1] ? row[cols - 1] : "0");
        if (code >= 0 && static_cast<size_t>(code) < e.facets.size() && n > 0)
          out.facets[kFacetNames[f]][e.facets.value_of(code)] = n;
      }
    }
    mysql_free_result(res);
    ++set;
  } while (mysql_next_result(e.conn) == 0);
  // Every-word items rank above all others: none has every word when the top hit lacks one.
  // (Sphinx does not count them: 1 stands for "at least one".)
  out.total_all_words = !q.tiered() ? out.total : (top_weight >= 100000000 ? 1 : 0);
  for (const auto& [name, values] : r.filters) {
    for (const std::string& v : values) out.facets[name].emplace(v, 0);
  }
  QueryText words = q;
  words.practices.clear();
  if (!words.parts.empty() && !docids.empty()) snippets(e, sphinx_match(words), docids, out);
}

PeerResult search(Engine& e, const PeerRequest& r) {
  const QueryText q = read_query(r.text, e.stopwords);
  PeerResult result;
  run(e, q, r, result);
  QueryText corrected = q;
  if (!e.speller.correct(corrected)) return result;
  result.corrected_query = query_string(corrected);
  if ((q.tiered() ? result.total_all_words : result.total) != 0) return result;
  PeerResult second;
  run(e, corrected, r, second);
  if ((corrected.tiered() ? second.total_all_words : second.total) != 0) {
    second.corrected = true;
    second.corrected_query = result.corrected_query;
    return second;
  }
  return result;
}

void load(Engine& e, const std::string& dir) {
  std::ifstream facets(dir + "/facets.tsv"), vocab(dir + "/vocab.tsv"),
      stop(dir + "/stopwords.txt");
  if (!facets || !vocab) throw std::runtime_error("sphinx: no facets.tsv / vocab.tsv in " + dir);
  std::string line;
  while (std::getline(facets, line)) {
    std::istringstream in(line);
    std::string code, facet, value;
    std::getline(in, code, '\t');
    std::getline(in, facet, '\t');
    std::getline(in, value);
    if (facet_index(facet) >= 0) e.facets.add(std::stoi(code), facet_index(facet), value);
  }
  while (std::getline(vocab, line)) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos)
      e.speller.add(line.substr(0, tab), std::stol(line.substr(tab + 1)));
  }
  while (std::getline(stop, line)) {
    if (!line.empty()) e.stopwords.insert(line);
  }
}

int run_all(const std::string& dir, int port, const std::string& queries_path,
            const std::string& json_out, const std::string& pid, const std::string& expect_path,
            int repeat);

}  // namespace

int main(int argc, char** argv) {
  std::string dir, queries_path, json_out, pid, expect_path;
  int port = 0, repeat = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--dir")
      dir = next();
    else if (a == "--port")
      port = std::stoi(next());
    else if (a == "--queries")
      queries_path = next();
    else if (a == "--json")
      json_out = next();
    else if (a == "--repeat")
      repeat = std::stoi(next());
    else if (a == "--pid")
      pid = next();
    else if (a == "--expect")
      expect_path = next();
    else
      dir.clear();
  }
  if (dir.empty() || !port || queries_path.empty()) {
    std::cerr << "usage: bench_sphinx --port P --dir WORK/sphinx --queries FILE [--repeat N] "
                 "[--json OUT] [--pid SEARCHD_PID]\n";
    return 2;
  }
  try {
    return run_all(dir, port, queries_path, json_out, pid, expect_path, repeat);
  } catch (const std::exception& ex) {
    std::cerr << ex.what() << "\n";
    return 1;
  }
}

namespace {

int run_all(const std::string& dir, int port, const std::string& queries_path,
            const std::string& json_out, const std::string& pid, const std::string& expect_path,
            int repeat) {
  std::map<std::string, nlohmann::json> expected;  // query string -> nexuskb's answer
  if (!expect_path.empty()) {
    std::ifstream in(expect_path);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      nlohmann::json a = nlohmann::json::parse(line);
      expected[a["qs"].get<std::string>()] = a;
    }
  }
  nlohmann::json mismatches = nlohmann::json::array();
  Engine e;
  load(e, dir);
  e.conn = mysql_init(nullptr);
  if (!mysql_real_connect(e.conn, "127.0.0.1", "", "", "", port, nullptr,
                          CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS)) {
    fail(e.conn, "connect");
  }
  std::vector<std::pair<QueryLine, PeerRequest>> queries;
  for (QueryLine& q : read_query_file(queries_path)) {
    PeerRequest r = peer_request(parse_query_string(q.qs));
    queries.emplace_back(std::move(q), std::move(r));
  }
  std::map<std::string, std::map<std::string, long>> per_category;
  for (const auto& [line, r] : queries) {  // warm-up pass, and what the answers look like
    const PeerResult res = search(e, r);
    auto& c = per_category[line.category];
    ++c["queries"];
    c["zero_results"] += res.total == 0;
    c["corrected"] += res.corrected;
    auto want = expected.find(line.qs);
    if (want == expected.end()) continue;
    std::map<std::string, std::map<std::string, long>> counts;
    for (const auto& [f, values] : res.facets) {
      for (const auto& [v, n] : values) {
        if (n) counts[f][v] = n;
      }
    }
    const bool total = want->second["total"].get<long>() == res.total;
    const bool same = nlohmann::json(counts) == want->second["facets"];
    c["same_total"] += total;
    c["same_facet_counts"] += same;
    if ((!total || !same) && (line.category == "facets_only" || line.category == "gp") &&
        mismatches.size() < 10) {
      mismatches.push_back({{"query", line.qs},
                            {"total", {{"nexuskb", want->second["total"]}, {"sphinx", res.total}}},
                            {"counts_equal", same}});
    }
  }
  LatencyTable latency;
  for (int i = 0; i < repeat; ++i) {
    for (const auto& [line, r] : queries) {
      const auto t = Clock::now();
      const double c0 = thread_cpu_ms();
      search(e, r);
      latency.add(line, ms_since(t), thread_cpu_ms() - c0);
    }
  }
  nlohmann::json out;
  latency.write(out);
  out["queries"] = queries.size();
  out["answers"] = per_category;  // per category: queries, zero results, corrected, agreement
  out["mismatch_examples"] = mismatches;
  out["round_trips"] = e.round_trips;
  out["client"] = "C++ libmariadb " + std::string(mysql_get_client_info()) + ", one connection";
  out["server_version"] = mysql_get_server_info(e.conn);
  if (!pid.empty()) out["searchd_pss_kb"] = pss_kb(pid);
  out["client_pss_kb"] = pss_kb();
  mysql_close(e.conn);
  const std::string text = out.dump(2);
  if (!json_out.empty()) std::ofstream(json_out) << text << "\n";
  std::cout << text << "\n";
  return 0;
}

}  // namespace
