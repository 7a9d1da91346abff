// MRR@10, nDCG@10 (exponential gain, log2 discount), recall@10, success@3 and pass@3.
#include "bench/relevance/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace nexuskb::relevance {

QueryScores score(const JudgedQuery& q, const std::vector<std::string>& ranking) {
  QueryScores s;
  auto rank_of = [&](const std::string& id) {
    auto it = std::find(ranking.begin(), ranking.end(), id);
    return it == ranking.end() ? 0 : static_cast<int>(it - ranking.begin()) + 1;
  };
  s.pass3 = true;
  int found = 0;  // judged items within the cutoff
  for (const std::string& id : q.relevant) {
    const int r = rank_of(id);
    s.relevant_ranks.push_back(r);
    if (r > 0 && (s.first_rank == 0 || r < s.first_rank)) s.first_rank = r;
    if (r == 0 || r > kTopK) s.pass3 = false;
    if (r > 0 && r <= kCutoff) ++found;
  }
  for (const std::string& id : q.also_relevant) {
    const int r = rank_of(id);
    if (r > 0 && r <= kCutoff) ++found;
  }
  const size_t judged = q.relevant.size() + q.also_relevant.size();
  s.recall = judged > 0 ? static_cast<double>(found) / judged : 0;
  s.success3 = s.first_rank > 0 && s.first_rank <= kTopK;
  s.rr = s.first_rank > 0 && s.first_rank <= kCutoff ? 1.0 / s.first_rank : 0.0;

  auto gain = [](int grade) { return std::pow(2.0, grade) - 1.0; };
  double dcg = 0;
  for (int i = 0; i < kCutoff && i < static_cast<int>(ranking.size()); ++i) {
    dcg += gain(q.grade(ranking[i])) / std::log2(i + 2.0);
  }
  std::vector<int> ideal(q.relevant.size(), 2);
  ideal.insert(ideal.end(), q.also_relevant.size(), 1);
  std::sort(ideal.begin(), ideal.end(), std::greater<>());
  double idcg = 0;
  for (int i = 0; i < kCutoff && i < static_cast<int>(ideal.size()); ++i) {
    idcg += gain(ideal[i]) / std::log2(i + 2.0);
  }
  s.ndcg = idcg > 0 ? dcg / idcg : 0;
  return s;
}

void Aggregate::add(const QueryScores& s) {
  ++queries;
  mrr += s.rr;
  ndcg += s.ndcg;
  recall += s.recall;
  success3 += s.success3 ? 1 : 0;
  pass3 += s.pass3 ? 1 : 0;
  distinct_top10 += s.distinct_top10;
}

void Aggregate::finish() {
  if (queries == 0) return;
  for (double* v : {&mrr, &ndcg, &recall, &success3, &pass3, &distinct_top10}) *v /= queries;
}

}  // namespace nexuskb::relevance
