// nexuskb-relevance: runs the judged queries of tests/relevance/queries.yaml through our search
// (SearchService on a fresh index of content/) and through a SQLite FTS5 BM25 baseline built from
// the same items, and writes bench/results/relevance.md and relevance.json.
//
// Exit codes: 0 done (and, with --strict, target met); 1 --strict and the target was missed;
// 2 bad usage, invalid judgements, content errors or I/O errors.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>

#include "bench/relevance/fts_baseline.h"
#include "bench/relevance/judgements.h"
#include "bench/relevance/metrics.h"
#include "bench/relevance/report.h"
#include "indexer/corpus.h"
#include "indexer/indexer.h"
#include "server/index_snapshot.h"
#include "server/search_request.h"
#include "server/search_service.h"

namespace fs = std::filesystem;
using namespace nexuskb;
using namespace nexuskb::relevance;

namespace {

constexpr int kDepth = 100;  // results fetched per query and engine

std::string read_first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// The commit checked out in `source`, read from .git without running git; "unknown" if none.
std::string git_revision(const fs::path& source) {
  std::error_code ec;
  fs::path git = source / ".git";
  if (fs::is_regular_file(git, ec)) {  // worktree or submodule: "gitdir: <path>"
    std::string line = read_first_line(git);
    if (line.rfind("gitdir: ", 0) != 0) return "unknown";
    git = fs::path(line.substr(8));
    if (git.is_relative()) git = source / git;
  }
  std::string head = read_first_line(git / "HEAD");
  if (head.empty()) return "unknown";
  if (head.rfind("ref: ", 0) != 0) return head.substr(0, 12);
  const std::string ref = head.substr(5);
  std::string hash = read_first_line(git / ref);
  if (hash.empty()) {
    // Look in packed-refs, and in the common dir of a worktree.
    for (const fs::path& dir : {git, fs::path(read_first_line(git / "commondir")).is_relative()
                                         ? git / read_first_line(git / "commondir")
                                         : fs::path(read_first_line(git / "commondir"))}) {
      if (hash.empty()) hash = read_first_line(dir / ref);
      std::ifstream packed(dir / "packed-refs");
      for (std::string line; hash.empty() && std::getline(packed, line);) {
        if (line.size() > 41 && line.compare(41, std::string::npos, ref) == 0) hash = line.substr(0, 40);
      }
    }
  }
  if (hash.empty()) return "unknown";
  return hash.substr(0, 12) + " (" + ref.substr(ref.rfind('/') + 1) + ")";
}

// A path for the report: relative to the source tree when inside it, else as given.
std::string display_path(const std::string& p, const fs::path& source) {
  const fs::path abs = fs::absolute(p).lexically_normal();
  const fs::path rel = abs.lexically_relative(source.lexically_normal());
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
  return p;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Bm25Weights parse_weights(const std::string& s) {
  Bm25Weights w;
  char c1 = 0, c2 = 0;
  std::istringstream in(s);
  if (!(in >> w.title >> c1 >> w.summary >> c2 >> w.body) || c1 != ',' || c2 != ',') {
    throw CLI::ValidationError("--fts-weights", "expected TITLE,SUMMARY,BODY, e.g. 5,2,1");
  }
  return w;
}

// Unique item ids in rank order; the first 10 kept with their details.
template <typename Hits, typename Get>
void collect(const Hits& hits, Get get, EngineRun& run,
             const std::map<std::string, std::string>& titles) {
  std::set<std::string> seen;
  for (const auto& h : hits) {
    auto [id, lang, score] = get(h);
    if (!seen.insert(id).second) continue;
    run.ranking.push_back(id);
    if (run.top.size() < kCutoff) {
      auto t = titles.find(id);
      run.top.push_back({id, lang, t == titles.end() ? "" : t->second, score});
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path source = NEXUSKB_SOURCE_DIR;
  std::string content = (source / "content").string();
  std::string queries = (source / "tests/relevance/queries.yaml").string();
  std::string out_dir = (source / "bench/results").string();
  std::string index_path, revision, weights_text = "5,2,1";
  bool check_only = false, strict = false, quiet = false;

  CLI::App app{"Relevance benchmark: nexuskb search vs a SQLite FTS5 BM25 baseline"};
  app.add_option("--content", content, "content directory (indexed for both engines)")
      ->capture_default_str();
  app.add_option("--queries", queries, "judged queries (YAML)")->capture_default_str();
  app.add_option("--out", out_dir, "directory for relevance.md and relevance.json")
      ->capture_default_str();
  app.add_option("--index", index_path,
                 "use this index instead of building a fresh one from --content (it must have "
                 "been built from the same content)");
  app.add_option("--revision", revision, "revision to print (default: read from .git)");
  app.add_option("--fts-weights", weights_text, "baseline bm25 weights TITLE,SUMMARY,BODY")
      ->capture_default_str();
  app.add_flag("--check", check_only, "only validate the judgements against the corpus");
  app.add_flag("--strict", strict, "exit 1 when the target is not met");
  app.add_flag("-q,--quiet", quiet, "print only the summary");
  Bm25Weights weights;
  try {
    app.parse(argc, argv);
    weights = parse_weights(weights_text);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  // The corpus, as the indexer reads it: the baseline gets exactly the items we index.
  Result<Corpus> loaded = load_corpus(content);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors()) std::cerr << e.to_string() << "\n";
    std::cerr << "nexuskb-relevance: content errors in " << content << "\n";
    return 2;
  }
  const Corpus& corpus = loaded.value();
  std::set<std::string> ids;
  std::map<std::string, std::string> titles;  // id -> English title (else the first one)
  for (const auto& ci : corpus.items) {
    ids.insert(ci.item.id);
    if (ci.item.lang == "en" || titles.count(ci.item.id) == 0) titles[ci.item.id] = ci.item.title;
  }

  std::vector<std::string> errors;
  std::vector<JudgedQuery> judged = load_judgements(queries, ids, errors);
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e << "\n";
    std::cerr << "nexuskb-relevance: " << errors.size() << " problem(s) in " << queries << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << judged.size() << " judged queries valid against " << ids.size() << " items\n";
    return 0;
  }

  // A fresh index of the same content, built by the real indexer, unless one was given.
  fs::path temp;
  if (index_path.empty()) {
    std::random_device rd;
    temp = fs::temp_directory_path() / ("nexuskb-relevance-" + std::to_string(rd()));
    fs::create_directories(temp);
    std::ostringstream iout, ierr;
    IndexerConfig config{.content_dir = content, .out = (temp / "index").string()};
    if (int code = run_indexer(config, iout, ierr); code != kExitBuilt) {
      std::cerr << ierr.str() << "nexuskb-relevance: indexing failed (exit " << code << ")\n";
      fs::remove_all(temp);
      return 2;
    }
    index_path = (temp / "index").string();
  }
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      if (!p.empty()) fs::remove_all(p, ec);
    }
  } cleanup{temp};

  Report report;
  try {
    IndexHandle handle(index_path);
    SearchService service(handle);
    auto snap = handle.snapshot();
    FtsBaseline baseline(corpus);

    report.date = utc_now();
    report.revision = revision.empty() ? git_revision(source) : revision;
    report.index_built_at = snap->built_at;
    report.content_dir = display_path(content, source);
    report.queries_file = display_path(queries, source);
    report.items = ids.size();
    report.documents = corpus.items.size();
    report.weights = weights;

    for (const JudgedQuery& q : judged) {
      QueryResult r{q, {}, {}};
      // Ours: the request exactly as the API would parse it.
      QueryParams params{{"q", q.query}, {"per_page", std::to_string(kDepth)}};
      for (const auto& [facet, values] : q.filters) {
        for (const auto& v : values) params.emplace(facet, v);
      }
      Expected<SearchRequest> req = parse_search_request(params, snap->taxonomy);
      if (!req.ok()) {
        std::cerr << queries << ": " << q.id << ": the API rejects this query: "
                  << req.error().message << "\n";
        return 2;
      }
      auto t0 = std::chrono::steady_clock::now();
      SearchResult res = service.search(req.value());
      r.ours.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                      .count();
      r.ours.total = res.total;
      collect(res.hits,
              [](const SearchHit& h) { return std::tuple{h.item.id, h.item.lang, h.score}; },
              r.ours, titles);
      if (!res.corrected_query.empty()) {
        r.ours.notes.push_back(std::string(res.correction_applied ? "results for corrected query"
                                                                  : "did you mean") +
                               " '" + res.corrected_query + "'");
      }
      if (res.relaxed) r.ours.notes.push_back("relaxed: no item had every word, words ORed");
      if (res.syntax_fallback) r.ours.notes.push_back("syntax fallback to plain words");
      r.ours.scores = score(q, r.ours.ranking);

      // Baseline.
      t0 = std::chrono::steady_clock::now();
      BaselineRun b = baseline.search(q.query, q.filters, weights, kDepth);
      r.baseline.ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      r.baseline.total = static_cast<long>(b.hits.size());
      collect(b.hits,
              [](const BaselineHit& h) { return std::tuple{h.id, h.lang, h.bm25}; }, r.baseline,
              titles);
      r.baseline.notes.push_back("MATCH " + b.match);
      if (b.relaxed) r.baseline.notes.push_back("relaxed: no row had every word, words ORed");
      r.baseline.scores = score(q, r.baseline.ranking);
      report.results.push_back(std::move(r));
    }

    // How much the baseline depends on its column weights (reported, never used to pick them).
    for (Bm25Weights w : {Bm25Weights{1, 1, 1}, Bm25Weights{2, 1, 1}, Bm25Weights{10, 3, 1},
                          Bm25Weights{20, 5, 1}}) {
      SensitivityRow row{w, {}};
      for (const JudgedQuery& q : judged) {
        BaselineRun b = baseline.search(q.query, q.filters, w, kDepth);
        EngineRun run;
        collect(b.hits, [](const BaselineHit& h) { return std::tuple{h.id, h.lang, h.bm25}; },
                run, titles);
        row.all.add(score(q, run.ranking));
      }
      row.all.finish();
      report.sensitivity.push_back(row);
    }
  } catch (const std::exception& e) {
    std::cerr << "nexuskb-relevance: " << e.what() << "\n";
    return 2;
  }

  try {
    fs::create_directories(out_dir);
    std::ofstream md(fs::path(out_dir) / "relevance.md");
    md << report.to_markdown();
    std::ofstream js(fs::path(out_dir) / "relevance.json");
    js << report.to_json().dump(2) << "\n";
    if (!md || !js) throw std::runtime_error("cannot write to " + out_dir);
  } catch (const std::exception& e) {
    std::cerr << "nexuskb-relevance: " << e.what() << "\n";
    return 2;
  }

  auto [ours, base] = report.aggregate([](const JudgedQuery&) { return true; });
  if (!quiet) {
    for (const auto& r : report.results) {
      if (r.ours.scores.pass3) continue;
      std::cout << "miss " << r.query.id << " `" << r.query.query << "`: nexuskb first relevant at "
                << r.ours.scores.first_rank << ", top:";
      for (size_t i = 0; i < r.ours.top.size() && i < 3; ++i) std::cout << " " << r.ours.top[i].id;
      std::cout << "\n";
    }
  }
  std::printf("%zu queries  |  nexuskb: MRR %.3f  nDCG@10 %.3f  success@3 %.0f%%  pass@3 %.0f%%\n",
              report.results.size(), ours.mrr, ours.ndcg, 100 * ours.success3, 100 * ours.pass3);
  std::printf("%*s|  FTS5:    MRR %.3f  nDCG@10 %.3f  success@3 %.0f%%  pass@3 %.0f%%\n",
              static_cast<int>(std::to_string(report.results.size()).size()) + 9, "", base.mrr,
              base.ndcg, 100 * base.success3, 100 * base.pass3);
  std::printf("target (MRR >= %.2f and ahead on every measure): %s\nreports: %s/relevance.{md,json}\n",
              report.target_mrr, report.target_met() ? "met" : "NOT met", out_dir.c_str());
  return strict && !report.target_met() ? 1 : 0;
}
