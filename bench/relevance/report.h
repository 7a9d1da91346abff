// The benchmark's results and their Markdown and JSON reports.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/relevance/fts_baseline.h"
#include "bench/relevance/judgements.h"
#include "bench/relevance/metrics.h"

namespace nexuskb::relevance {

struct RankedItem {
  std::string id, lang, title;
  double score = 0;  // engine's own score (Xapian weight; SQLite bm25, lower is better)
};

struct EngineRun {
  std::vector<std::string> ranking;  // unique item ids, best first (translations merged)
  std::vector<RankedItem> top;       // the first 10 unique items, for the report
  std::vector<std::string> notes;    // e.g. "corrected: corruption", "relaxed to OR"
  long total = 0;                    // matching documents (item, language)
  double ms = 0;
  QueryScores scores;
};

struct QueryResult {
  JudgedQuery query;
  EngineRun ours, baseline;
};

struct SensitivityRow {
  Bm25Weights weights;
  Aggregate all;
};

struct Report {
  std::string date, revision, index_built_at, content_dir, queries_file;
  size_t items = 0, documents = 0;
  Bm25Weights weights;
  std::vector<QueryResult> results;
  std::vector<SensitivityRow> sensitivity;
  double target_mrr = 0.85;

  // Aggregates over the results whose query satisfies `keep`.
  template <typename Pred>
  std::pair<Aggregate, Aggregate> aggregate(Pred keep) const {
    Aggregate ours, base;
    for (const auto& r : results) {
      if (!keep(r.query)) continue;
      ours.add(r.ours.scores);
      base.add(r.baseline.scores);
    }
    ours.finish();
    base.finish();
    return {ours, base};
  }

  bool target_met() const;  // MRR >= target and ahead of the baseline on every measure
  nlohmann::json to_json() const;
  std::string to_markdown() const;
};

}  // namespace nexuskb::relevance
