// The Orama baseline: bench/relevance/orama/run.mjs run under Node.js. The corpus and the queries
// go to it as JSON files in a work directory; it prints, per query, the distinct items it ranks
// (one Orama database per language, every query searched in each, merged by score).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench/relevance/baseline_corpus.h"
#include "bench/relevance/engines.h"
#include "bench/relevance/judgements.h"

namespace nexuskb::relevance {

struct OramaConfig {
  std::string node = "node";       // the Node.js program, looked up on PATH
  std::filesystem::path script;    // .../bench/relevance/orama/run.mjs
  std::filesystem::path work_dir;  // existing directory for the exchange files
  int depth = 100;                 // distinct items wanted per query
};

struct OramaRun {
  std::vector<Hit> hits;  // distinct items, best first; score = Orama's (higher is better)
  long matched = 0;       // matching (item, language) documents over the language databases
  double ms = 0;          // search time inside Node.js, all language databases
};

struct OramaResults {
  std::string unavailable;  // why Orama did not run, in a sentence; empty when it did
  std::string orama_version, node_version;
  std::map<std::string, OramaRun> by_query;  // judged query id -> its run
};

// Runs the script over `documents` and `queries`. Never throws for what can be expected on a
// machine (Node.js missing, npm packages not installed, the script failing, unreadable output):
// those come back as `unavailable`.
OramaResults run_orama(const OramaConfig& config, const std::vector<BaselineDocument>& documents,
                       const std::vector<JudgedQuery>& queries);

}  // namespace nexuskb::relevance
