// The benchmark's results, the target check, and their Markdown and JSON reports.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/relevance/engines.h"
#include "bench/relevance/fts_baseline.h"
#include "bench/relevance/judgements.h"
#include "bench/relevance/metrics.h"

namespace nexuskb::relevance {

struct RankedItem {
  std::string id, lang, title;
  double score = 0;  // the engine's own score (see Hit)
};

struct EngineRun {
  bool ran = false;                  // false when the engine could not run (Orama unavailable)
  std::vector<std::string> ranking;  // distinct item ids, best first (translations merged)
  std::vector<RankedItem> top;       // the first 10 distinct items, for the report
  std::vector<std::string> notes;    // e.g. "did you mean 'corruption'", "MATCH ..."
  long total = 0;                    // matching documents (item, language)
  double ms = 0;
  QueryScores scores;
};

struct QueryResult {
  JudgedQuery query;
  std::array<EngineRun, kEngines.size()> runs;
  EngineRun& run(Engine e) { return runs[index_of(e)]; }
  const EngineRun& run(Engine e) const { return runs[index_of(e)]; }
};

// A breakdown row: the queries of one user group or of one query language.
struct Slice {
  enum class By { kUserGroup, kQueryLanguage } by;
  std::string value;  // "judiciary", "fr", ...
  bool contains(const JudgedQuery& q) const;
};
std::vector<Slice> user_group_slices();
std::vector<Slice> query_language_slices();

struct SensitivityRow {
  Bm25Weights weights;
  Aggregate all;
};

// Issue 11: nexuskb overall at least these, and ahead of both baselines on nDCG@10 in every
// query language and every user group.
struct Target {
  double ndcg = 0.85, recall = 0.85, mrr = 0.92;
  std::string text() const;  // the target line of the reports
};

struct Report {
  std::string date, revision, index_built_at, content_dir, queries_file;
  size_t items = 0, documents = 0;
  Bm25Weights fts_weights;
  std::string orama_version, node_version;
  std::string orama_unavailable;  // why Orama did not run; empty when it did
  std::vector<QueryResult> results;
  std::vector<SensitivityRow> sensitivity;  // FTS5 with other column weights
  Target target;

  bool ran(Engine e) const { return e != Engine::kOrama || orama_unavailable.empty(); }

  // Aggregate of engine `e` over the results whose query satisfies `keep`.
  template <typename Pred>
  Aggregate aggregate(Engine e, Pred keep) const {
    Aggregate a;
    for (const auto& r : results) {
      if (keep(r.query)) a.add(r.run(e).scores);
    }
    a.finish();
    return a;
  }
  Aggregate overall(Engine e) const {
    return aggregate(e, [](const JudgedQuery&) { return true; });
  }
  Aggregate in(Engine e, const Slice& s) const {
    return aggregate(e, [&](const JudgedQuery& q) { return s.contains(q); });
  }

  // What keeps the target from being met, one sentence each; empty when it is met. A baseline
  // that did not run counts as a miss: nexuskb cannot be shown ahead of it.
  std::vector<std::string> target_misses() const;
  bool target_met() const { return target_misses().empty(); }

  nlohmann::json to_json() const;   // report_json.cpp
  std::string to_markdown() const;  // report.cpp
};

}  // namespace nexuskb::relevance
