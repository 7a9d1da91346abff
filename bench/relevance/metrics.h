// Ranking metrics over a list of distinct item ids, best first.
#pragma once

#include <string>
#include <vector>

#include "bench/relevance/judgements.h"

namespace nexuskb::relevance {

inline constexpr int kCutoff = 10;  // MRR@10, nDCG@10, recall@10, distinct items in the top 10
inline constexpr int kTopK = 3;     // success@3 and pass@3

struct QueryScores {
  double rr = 0;          // 1 / rank of the first `relevant` item within the top 10, else 0
  double ndcg = 0;        // nDCG@10, gains 2^grade - 1 (relevant 3, also_relevant 1)
  double recall = 0;      // share of the judged items (relevant and also_relevant) in the top 10
  bool success3 = false;  // some `relevant` item in the top 3
  bool pass3 = false;     // every `relevant` item in the top 3 (the judgement's requirement)
  int first_rank = 0;     // rank of the first `relevant` item (1-based, within 100), 0 = not found
  std::vector<int> relevant_ranks;  // rank of each `relevant` item (same order), 0 = not found
  int distinct_top10 = 0;  // distinct items among the first 10 results as the engine returns
                           // them (set by the caller: the ranking has lost that information)
};

QueryScores score(const JudgedQuery& q, const std::vector<std::string>& ranking);

struct Aggregate {
  int queries = 0;
  double mrr = 0, ndcg = 0, recall = 0, success3 = 0, pass3 = 0;  // means (rates in [0, 1])
  double distinct_top10 = 0;                                      // mean count
  void add(const QueryScores& s);
  void finish();
};

}  // namespace nexuskb::relevance
