// nexuskb-relevance: runs the judged queries of tests/relevance/queries.yaml through our search
// (SearchService on a fresh index of content/) and through two baselines built from the same
// items, SQLite FTS5 and Orama (under Node.js), and writes bench/results/relevance.md and .json.
//
// Exit codes: 0 done (and, with --strict, target met); 1 --strict and the target was missed;
// 2 bad usage, invalid judgements, content errors or I/O errors. Orama missing is not an error:
// the report says so and still compares the other engines.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>

#include "bench/relevance/baseline_corpus.h"
#include "bench/relevance/engine_runs.h"
#include "bench/relevance/fts_baseline.h"
#include "bench/relevance/judgements.h"
#include "bench/relevance/orama_baseline.h"
#include "bench/relevance/provenance.h"
#include "bench/relevance/report.h"
#include "core/text.h"
#include "indexer/corpus.h"
#include "indexer/indexer.h"
#include "server/index_snapshot.h"
#include "server/search_service.h"

namespace fs = std::filesystem;
using namespace nexuskb;
using namespace nexuskb::relevance;

namespace {

constexpr int kDepth = 100;  // distinct items fetched per query and engine

Bm25Weights parse_weights(const std::string& s) {
  Bm25Weights w;
  char c1 = 0, c2 = 0;
  std::istringstream in(s);
  if (!(in >> w.title >> c1 >> w.summary >> c2 >> w.body) || c1 != ',' || c2 != ',') {
    throw CLI::ValidationError("--fts-weights", "expected TITLE,SUMMARY,BODY, e.g. 5,2,1");
  }
  return w;
}

// A scratch directory for the index and Orama's exchange files, removed on every exit path.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("nexuskb-relevance-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void print_summary(const Report& report, const std::string& out_dir) {
  for (Engine e : kEngines) {
    if (!report.ran(e)) {
      std::printf("%-12s not run: %s\n", engine_label(e), report.orama_unavailable.c_str());
      continue;
    }
    const Aggregate a = report.overall(e);
    std::printf(
        "%-12s MRR@10 %.3f  nDCG@10 %.3f  recall@10 %.3f  success@3 %3.0f%%  "
        "pass@3 %3.0f%%  distinct/top10 %.1f\n",
        engine_label(e), a.mrr, a.ndcg, a.recall, 100 * a.success3, 100 * a.pass3,
        a.distinct_top10);
  }
  std::printf("target (%s): %s\n", report.target.text().c_str(),
              report.target_met() ? "met" : "NOT met");
  for (const auto& m : report.target_misses()) std::printf("  - %s\n", m.c_str());
  std::printf("%zu queries; reports: %s/relevance.{md,json}\n", report.results.size(),
              out_dir.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path source = NEXUSKB_SOURCE_DIR;
  std::string content = (source / "content").string();
  std::string queries = (source / "tests/relevance/queries.yaml").string();
  std::string out_dir = (source / "bench/results").string();
  std::string index_path, revision, weights_text = "5,2,1", node = "node";
  bool check_only = false, strict = false, quiet = false, no_orama = false;

  CLI::App app{"Relevance benchmark: nexuskb search vs SQLite FTS5 and Orama baselines"};
  app.add_option("--content", content, "content directory (indexed for every engine)")
      ->capture_default_str();
  app.add_option("--queries", queries, "judged queries (YAML)")->capture_default_str();
  app.add_option("--out", out_dir, "directory for relevance.md and relevance.json")
      ->capture_default_str();
  app.add_option("--index", index_path,
                 "use this index instead of building a fresh one from --content (it must have "
                 "been built from the same content)");
  app.add_option("--revision", revision, "revision to print (default: read from .git)");
  app.add_option("--fts-weights", weights_text, "FTS5 bm25 column weights TITLE,SUMMARY,BODY")
      ->capture_default_str();
  app.add_option("--node", node, "Node.js program that runs the Orama baseline")
      ->capture_default_str();
  app.add_flag("--no-orama", no_orama, "skip the Orama baseline (the report says so)");
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

  // The corpus, as the indexer reads it: the baselines get exactly the items we index.
  Result<Corpus> loaded = load_corpus(content);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors()) std::cerr << e.to_string() << "\n";
    std::cerr << "nexuskb-relevance: content errors in " << content << "\n";
    return 2;
  }
  const Corpus& corpus = loaded.value();
  std::set<std::string> ids;
  Titles titles;  // id -> English title (else the first one)
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

  Report report;
  try {
    ScratchDir scratch;
    // A fresh index of the same content, built by the real indexer, unless one was given.
    if (index_path.empty()) {
      std::ostringstream iout, ierr;
      IndexerConfig config{.content_dir = content, .out = (scratch.path / "index").string()};
      if (int code = run_indexer(config, iout, ierr); code != kExitBuilt) {
        std::cerr << ierr.str() << "nexuskb-relevance: indexing failed (exit " << code << ")\n";
        return 2;
      }
      index_path = (scratch.path / "index").string();
    }
    IndexHandle handle(index_path);
    SearchService service(handle);
    auto snap = handle.snapshot();
    const std::vector<BaselineDocument> documents = baseline_documents(corpus);
    FtsBaseline fts(documents);

    OramaResults orama;
    if (no_orama) {
      orama.unavailable = "skipped with --no-orama";
    } else {
      if (!quiet)
        std::cerr << "nexuskb-relevance: running the Orama baseline with " << node << "\n";
      orama = run_orama({.node = node,
                         .script = source / "bench/relevance/orama/run.mjs",
                         .work_dir = scratch.path,
                         .depth = kDepth},
                        documents, judged);
      if (!orama.unavailable.empty()) {
        std::cerr << "nexuskb-relevance: Orama baseline not run: " << orama.unavailable << "\n";
      }
    }

    report.date = utc_now();
    report.revision = revision.empty() ? git_revision(source) : revision;
    report.index_built_at = snap->built_at;
    report.content_dir = display_path(content, source);
    report.queries_file = display_path(queries, source);
    report.items = ids.size();
    report.documents = corpus.items.size();
    report.fts_weights = weights;
    report.orama_version = orama.orama_version;
    report.node_version = orama.node_version;
    report.orama_unavailable = orama.unavailable;

    for (const JudgedQuery& q : judged) {
      QueryResult r{.query = q};
      r.run(Engine::kNexuskb) = nexuskb_run(service, snap->taxonomy, q, titles, kDepth);
      r.run(Engine::kFts5) = fts_run(fts, weights, q, titles, kDepth);
      r.run(Engine::kOrama) = orama_run(orama, q, titles);
      report.results.push_back(std::move(r));
    }

    // How much FTS5 depends on its column weights (reported, never used to pick them).
    for (Bm25Weights w : {Bm25Weights{1, 1, 1}, Bm25Weights{2, 1.5, 1}, Bm25Weights{10, 3, 1},
                          Bm25Weights{20, 5, 1}}) {
      SensitivityRow row{w, {}};
      for (const JudgedQuery& q : judged) row.all.add(fts_run(fts, w, q, titles, kDepth).scores);
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

  if (!quiet) {
    for (const auto& r : report.results) {
      const EngineRun& ours = r.run(Engine::kNexuskb);
      if (ours.scores.pass3) continue;
      std::cout << "miss " << r.query.id << " `" << r.query.query << "`: nexuskb first relevant at "
                << ours.scores.first_rank << ", top:";
      for (size_t i = 0; i < ours.top.size() && i < 3; ++i) std::cout << " " << ours.top[i].id;
      std::cout << "\n";
    }
    std::cout << std::flush;
  }
  print_summary(report, out_dir);
  return strict && !report.target_met() ? 1 : 0;
}
