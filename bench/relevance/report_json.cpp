// The JSON rendering of the relevance benchmark (bench/results/relevance.json).
#include "bench/relevance/report.h"

namespace nexuskb::relevance {
namespace {

nlohmann::json agg_json(const Aggregate& a) {
  return {{"queries", a.queries},
          {"mrr_at_10", a.mrr},
          {"ndcg_at_10", a.ndcg},
          {"recall_at_10", a.recall},
          {"success_at_3", a.success3},
          {"pass_at_3", a.pass3},
          {"distinct_items_top_10", a.distinct_top10}};
}

nlohmann::json run_json(const EngineRun& run) {
  if (!run.ran) return nullptr;
  nlohmann::json top = nlohmann::json::array();
  for (const auto& t : run.top) {
    top.push_back({{"id", t.id}, {"lang", t.lang}, {"title", t.title}, {"score", t.score}});
  }
  return {{"first_relevant_rank", run.scores.first_rank},
          {"relevant_ranks", run.scores.relevant_ranks},
          {"reciprocal_rank", run.scores.rr},
          {"ndcg_at_10", run.scores.ndcg},
          {"recall_at_10", run.scores.recall},
          {"success_at_3", run.scores.success3},
          {"pass_at_3", run.scores.pass3},
          {"distinct_items_top_10", run.scores.distinct_top10},
          {"total", run.total},
          {"ms", run.ms},
          {"notes", run.notes},
          {"top", top}};
}

}  // namespace

nlohmann::json Report::to_json() const {
  nlohmann::json j;
  j["benchmark"] = "relevance";
  j["date"] = date;
  j["revision"] = revision;
  j["index_built_at"] = index_built_at;
  j["content_dir"] = content_dir;
  j["queries_file"] = queries_file;
  j["corpus"] = {{"items", items}, {"documents", documents}};
  j["method"] = {
      {"ranking_unit",
       "item id; each engine's results reduced to distinct items, the best-ranked language "
       "version standing for the item"},
      {"mrr_at_10", "mean reciprocal rank of the first 'relevant' item within the top 10"},
      {"ndcg_at_10",
       "exponential gain (relevant 3, also_relevant 1), log2 discount, ideal from all judged "
       "items"},
      {"recall_at_10", "share of the judged items (relevant and also_relevant) in the top 10"},
      {"success_at_3", "share of queries with at least one 'relevant' item in the top 3"},
      {"pass_at_3", "share of queries with every 'relevant' item in the top 3"},
      {"distinct_items_top_10",
       "distinct items among the first 10 results as the engine returns them"}};
  j["engines"] = {
      {"nexuskb",
       {{"ran", true},
        {"how",
         "SearchService::search on a fresh index of content/ (the ranking nexuskb-serve "
         "returns), per_page=100, the query's filters"}}},
      {"fts5",
       {{"ran", true},
        {"how",
         "SQLite FTS5, one row per (item, language), tokenize='porter unicode61 "
         "remove_diacritics 2', bm25 with column weights, words OR-ed (quoted phrases kept), "
         "filters as SQL WHERE"},
        {"weights",
         {{"title", fts_weights.title},
          {"summary", fts_weights.summary},
          {"body", fts_weights.body}}}}},
      {"orama",
       {{"ran", ran(Engine::kOrama)},
        {"how",
         "one Orama database per language (english, french, arabic tokenizers with "
         "@orama/stemmers and @orama/stopwords), boosts title 2, summary 1.5, body 1, "
         "Orama's defaults otherwise; every language database searched, hits merged by "
         "score"}}}};
  if (ran(Engine::kOrama)) {
    j["engines"]["orama"]["orama_version"] = orama_version;
    j["engines"]["orama"]["node_version"] = node_version;
  } else {
    j["engines"]["orama"]["unavailable"] = orama_unavailable;
  }
  const std::vector<std::string> misses = target_misses();
  j["target"] = {{"text", target.text()},
                 {"ndcg_at_10_at_least", target.ndcg},
                 {"recall_at_10_at_least", target.recall},
                 {"mrr_at_10_at_least", target.mrr},
                 {"ahead_of_both_baselines_on_ndcg_in_every_language_and_group", true},
                 {"met", misses.empty()},
                 {"misses", misses}};

  auto engines_json = [&](auto aggregate_of) {
    nlohmann::json out;
    for (Engine e : kEngines) {
      out[engine_key(e)] = ran(e) ? agg_json(aggregate_of(e)) : nlohmann::json(nullptr);
    }
    return out;
  };
  j["summary"] = engines_json([&](Engine e) { return overall(e); });
  for (const Slice& s : user_group_slices()) {
    j["by_group"][s.value] = engines_json([&](Engine e) { return in(e, s); });
  }
  for (const Slice& s : query_language_slices()) {
    j["by_query_lang"][s.value] = engines_json([&](Engine e) { return in(e, s); });
  }
  j["fts5_weight_sensitivity"] = nlohmann::json::array();
  for (const auto& row : sensitivity) {
    j["fts5_weight_sensitivity"].push_back({{"title", row.weights.title},
                                            {"summary", row.weights.summary},
                                            {"body", row.weights.body},
                                            {"fts5", agg_json(row.all)}});
  }
  j["queries"] = nlohmann::json::array();
  for (const auto& r : results) {
    const auto& q = r.query;
    nlohmann::json entry = {{"id", q.id},
                            {"who", q.who},
                            {"query", q.query},
                            {"query_lang", q.query_lang},
                            {"filters", q.filters},
                            {"relevant", q.relevant},
                            {"also_relevant", q.also_relevant}};
    for (Engine e : kEngines) entry[engine_key(e)] = run_json(r.run(e));
    j["queries"].push_back(std::move(entry));
  }
  return j;
}

}  // namespace nexuskb::relevance
