// Markdown and JSON renderings of the relevance benchmark.
#include "bench/relevance/report.h"

#include <cstdio>
#include <sstream>

namespace nexuskb::relevance {
namespace {

std::string fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pct(double v) { return fixed(100 * v, 0) + "%"; }

// Markdown table cell: no pipes or newlines.
std::string cell(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n') c = ' ';
  }
  return s;
}

std::string rank_text(int r) { return r == 0 ? "—" : std::to_string(r); }

std::string filters_text(const JudgedQuery& q) {
  std::string out;
  for (const auto& [facet, values] : q.filters) {
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + facet + "=" + v;
  }
  return out;
}

nlohmann::json agg_json(const Aggregate& a) {
  return {{"queries", a.queries}, {"mrr", a.mrr},           {"ndcg_at_10", a.ndcg},
          {"success_at_3", a.success3}, {"pass_at_3", a.pass3}};
}

nlohmann::json run_json(const EngineRun& run) {
  nlohmann::json top = nlohmann::json::array();
  for (const auto& t : run.top) {
    top.push_back({{"id", t.id}, {"lang", t.lang}, {"title", t.title}, {"score", t.score}});
  }
  return {{"first_relevant_rank", run.scores.first_rank},
          {"relevant_ranks", run.scores.relevant_ranks},
          {"reciprocal_rank", run.scores.rr},
          {"ndcg_at_10", run.scores.ndcg},
          {"success_at_3", run.scores.success3},
          {"pass_at_3", run.scores.pass3},
          {"total", run.total},
          {"ms", run.ms},
          {"notes", run.notes},
          {"top", top}};
}

const char* mark(bool ok) { return ok ? "yes" : "**no**"; }

// The measures on which `ours` is not strictly ahead of `base` ("" when ahead on all).
std::string not_ahead(const Aggregate& ours, const Aggregate& base) {
  std::string out;
  auto check = [&](const char* name, double o, double b) {
    if (o > b + 1e-12) return;
    out += (out.empty() ? "" : ", ") + std::string(name) + (o < b - 1e-12 ? " (behind)" : " (tie)");
  };
  check("MRR", ours.mrr, base.mrr);
  check("nDCG@10", ours.ndcg, base.ndcg);
  check("success@3", ours.success3, base.success3);
  check("pass@3", ours.pass3, base.pass3);
  return out;
}

}  // namespace

bool Report::target_met() const {
  auto [ours, base] = aggregate([](const JudgedQuery&) { return true; });
  return ours.mrr >= target_mrr && ours.mrr > base.mrr && ours.ndcg > base.ndcg &&
         ours.success3 > base.success3 && ours.pass3 > base.pass3;
}

nlohmann::json Report::to_json() const {
  auto all = [](const JudgedQuery&) { return true; };
  auto [ours, base] = aggregate(all);
  nlohmann::json j;
  j["benchmark"] = "relevance";
  j["date"] = date;
  j["revision"] = revision;
  j["index_built_at"] = index_built_at;
  j["content_dir"] = content_dir;
  j["queries_file"] = queries_file;
  j["corpus"] = {{"items", items}, {"documents", documents}};
  j["method"] = {
      {"ranking_unit", "item id; translations of an item count once, at their best rank"},
      {"mrr", "mean reciprocal rank of the first 'relevant' item within the top 10"},
      {"ndcg_at_10", "exponential gain (relevant 3, also_relevant 1), log2 discount, ideal from all judged items"},
      {"success_at_3", "share of queries with at least one 'relevant' item in the top 3"},
      {"pass_at_3", "share of queries with every 'relevant' item in the top 3"},
      {"nexuskb", "SearchService::search on a fresh index of content/ (the ranking nexuskb-serve returns), per_page=100, the query's filters"},
      {"fts5", "SQLite FTS5, tokenize='porter unicode61 remove_diacritics 2', bm25 with column weights, words ANDed then ORed when nothing matches, filters as SQL WHERE"}};
  j["baseline_weights"] = {{"title", weights.title}, {"summary", weights.summary}, {"body", weights.body}};
  j["target"] = {{"mrr_at_least", target_mrr}, {"ahead_of_baseline_on_every_measure", true},
                 {"met", target_met()}};
  bool every_group = true;
  for (const auto& who : kUserGroups) {
    auto [o, b] = aggregate([&](const JudgedQuery& q) { return q.who == who; });
    every_group = every_group && not_ahead(o, b).empty();
  }
  j["target"]["ahead_in_every_user_group"] = every_group;
  j["summary"] = {{"nexuskb", agg_json(ours)}, {"fts5", agg_json(base)}};
  for (const auto& who : kUserGroups) {
    auto [o, b] = aggregate([&](const JudgedQuery& q) { return q.who == who; });
    j["by_group"][who] = {{"nexuskb", agg_json(o)}, {"fts5", agg_json(b)},
                          {"nexuskb_not_ahead_on", not_ahead(o, b)}};
  }
  for (const char* lang : {"en", "fr", "ar"}) {
    auto [o, b] = aggregate([&](const JudgedQuery& q) { return q.query_lang == lang; });
    j["by_query_lang"][lang] = {{"nexuskb", agg_json(o)}, {"fts5", agg_json(b)},
                                {"nexuskb_not_ahead_on", not_ahead(o, b)}};
  }
  j["baseline_weight_sensitivity"] = nlohmann::json::array();
  for (const auto& row : sensitivity) {
    j["baseline_weight_sensitivity"].push_back(
        {{"title", row.weights.title}, {"summary", row.weights.summary},
         {"body", row.weights.body}, {"fts5", agg_json(row.all)}});
  }
  j["queries"] = nlohmann::json::array();
  for (const auto& r : results) {
    const auto& q = r.query;
    j["queries"].push_back({{"id", q.id},
                            {"who", q.who},
                            {"query", q.query},
                            {"query_lang", q.query_lang},
                            {"filters", q.filters},
                            {"relevant", q.relevant},
                            {"also_relevant", q.also_relevant},
                            {"nexuskb", run_json(r.ours)},
                            {"fts5", run_json(r.baseline)}});
  }
  return j;
}

std::string Report::to_markdown() const {
  std::ostringstream md;
  auto all = [](const JudgedQuery&) { return true; };
  auto [ours, base] = aggregate(all);

  md << "# Relevance benchmark: nexuskb vs SQLite FTS5 BM25\n\n";
  md << "- Date: " << date << "\n- Revision: `" << revision << "`\n";
  md << "- Corpus: `" << content_dir << "`, " << items << " items, " << documents
     << " (item, language) documents; index built " << index_built_at << "\n";
  md << "- Queries: `" << queries_file << "`, " << results.size()
     << " judged queries (relevance judged by reading content/, not from engine output)\n";
  md << "- nexuskb: `SearchService::search` (the ranking `nexuskb-serve` returns) on a fresh index of "
        "the same content, with each query's filters\n";
  md << "- Baseline: SQLite FTS5 over title, summary and body, `tokenize='porter unicode61 "
        "remove_diacritics 2'`, `bm25()` weights "
     << weights.label()
     << "; words joined with AND, then OR when nothing matches; the same filters as SQL WHERE\n";
  md << "- Ranking unit: the item id (translations of one item count once, at their best rank)\n\n";

  md << "## Summary\n\n";
  md << "| measure | nexuskb | FTS5 BM25 | target | met |\n|---|---:|---:|---|---|\n";
  md << "| MRR@10 | " << fixed(ours.mrr) << " | " << fixed(base.mrr) << " | ≥ " << fixed(target_mrr, 2)
     << " and ahead | " << mark(ours.mrr >= target_mrr && ours.mrr > base.mrr) << " |\n";
  md << "| nDCG@10 | " << fixed(ours.ndcg) << " | " << fixed(base.ndcg) << " | ahead | "
     << mark(ours.ndcg > base.ndcg) << " |\n";
  md << "| success@3 (a relevant item in the top 3) | " << pct(ours.success3) << " | "
     << pct(base.success3) << " | ahead | " << mark(ours.success3 > base.success3) << " |\n";
  md << "| pass@3 (every relevant item in the top 3) | " << pct(ours.pass3) << " | "
     << pct(base.pass3) << " | ahead | " << mark(ours.pass3 > base.pass3) << " |\n\n";
  md << "Overall: **" << (target_met() ? "target met" : "target NOT met") << "**.\n\n";

  auto table = [&](const std::string& title, const std::string& key,
                   const std::vector<std::string>& groups, auto pred) {
    md << "## " << title << "\n\n";
    md << "| " << key
       << " | queries | MRR nexuskb | MRR FTS5 | nDCG@10 nexuskb | nDCG@10 FTS5 | success@3 nexuskb | "
          "success@3 FTS5 | pass@3 nexuskb | pass@3 FTS5 |\n";
    md << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& g : groups) {
      auto [o, b] = aggregate([&](const JudgedQuery& q) { return pred(q, g); });
      if (o.queries == 0) continue;
      md << "| " << g << " | " << o.queries << " | " << fixed(o.mrr) << " | " << fixed(b.mrr) << " | "
         << fixed(o.ndcg) << " | " << fixed(b.ndcg) << " | " << pct(o.success3) << " | "
         << pct(b.success3) << " | " << pct(o.pass3) << " | " << pct(b.pass3) << " |\n";
    }
    std::string behind;
    for (const auto& g : groups) {
      auto [o, b] = aggregate([&](const JudgedQuery& q) { return pred(q, g); });
      if (o.queries == 0) continue;
      std::string measures = not_ahead(o, b);
      if (!measures.empty()) behind += (behind.empty() ? "" : "; ") + g + ": " + measures;
    }
    md << "\nnexuskb " << (behind.empty() ? "is ahead of the baseline on every measure in every row."
                                           : "is not ahead of the baseline in: " + behind + ".")
       << "\n\n";
  };
  table("By user group", "who", kUserGroups,
        [](const JudgedQuery& q, const std::string& g) { return q.who == g; });
  table("By query language", "language", {"en", "fr", "ar"},
        [](const JudgedQuery& q, const std::string& g) { return q.query_lang == g; });

  if (!sensitivity.empty()) {
    md << "## Baseline column weights (sensitivity)\n\n";
    md << "The baseline is not tuned against the judgements; other title weights for comparison:\n\n";
    md << "| bm25 weights | MRR | nDCG@10 | success@3 | pass@3 |\n|---|---:|---:|---:|---:|\n";
    for (const auto& row : sensitivity) {
      md << "| " << row.weights.label() << " | " << fixed(row.all.mrr) << " | "
         << fixed(row.all.ndcg) << " | " << pct(row.all.success3) << " | " << pct(row.all.pass3)
         << " |\n";
    }
    md << "\n";
  }

  md << "## Queries where nexuskb misses the requirement (a relevant item outside the top 3)\n\n";
  int misses = 0;
  for (const auto& r : results) {
    if (r.ours.scores.pass3) continue;
    ++misses;
    const auto& q = r.query;
    md << "### " << q.id << " (" << q.who << "): `" << cell(q.query) << "`";
    if (!q.filters.empty()) md << " with " << filters_text(q);
    md << "\n\n";
    md << "- relevant: ";
    for (size_t i = 0; i < q.relevant.size(); ++i) {
      md << (i ? ", " : "") << "`" << q.relevant[i]
         << "` at nexuskb rank " << rank_text(r.ours.scores.relevant_ranks[i]) << " (FTS5 "
         << rank_text(r.baseline.scores.relevant_ranks[i]) << ")";
    }
    md << "\n";
    if (!r.ours.notes.empty()) {
      md << "- nexuskb notes: ";
      for (size_t i = 0; i < r.ours.notes.size(); ++i) md << (i ? "; " : "") << r.ours.notes[i];
      md << "\n";
    }
    md << "- nexuskb top 5 (grade: 2 relevant, 1 also relevant, 0 not judged relevant):\n";
    for (size_t i = 0; i < r.ours.top.size() && i < 5; ++i) {
      const auto& t = r.ours.top[i];
      md << "  " << i + 1 << ". `" << t.id << "` (" << t.lang << ", grade " << q.grade(t.id)
         << ", weight " << fixed(t.score, 2) << ") " << cell(t.title) << "\n";
    }
    md << "\n";
  }
  if (misses == 0) md << "None.\n\n";

  md << "## Every query\n\n";
  md << "Ranks are those of the first relevant item (— = not in the results); nDCG@10 per engine.\n\n";
  md << "| id | who | query | filters | nexuskb rank | FTS5 rank | nexuskb nDCG | FTS5 nDCG | "
        "nexuskb pass@3 |\n|---|---|---|---|---:|---:|---:|---:|---|\n";
  for (const auto& r : results) {
    const auto& q = r.query;
    md << "| " << q.id << " | " << q.who << " | `" << cell(q.query) << "` | "
       << cell(filters_text(q)) << " | " << rank_text(r.ours.scores.first_rank) << " | "
       << rank_text(r.baseline.scores.first_rank) << " | " << fixed(r.ours.scores.ndcg, 2) << " | "
       << fixed(r.baseline.scores.ndcg, 2) << " | " << (r.ours.scores.pass3 ? "yes" : "**no**")
       << " |\n";
  }
  md << "\nRegenerate with `make bench-relevance` (see bench/relevance/README.md).\n";
  return md.str();
}

}  // namespace nexuskb::relevance
