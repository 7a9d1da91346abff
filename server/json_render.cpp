// JSON renderer.
#include "server/json_render.h"

#include "server/search_options.h"

namespace nexuskb {

nlohmann::json to_json(const SearchHit& h) {
  const StoredItem& it = h.item;
  return {{"id", it.id},
          {"lang", it.lang},
          {"kind", it.kind},
          {"number", it.number ? nlohmann::json(*it.number) : nlohmann::json(nullptr)},
          {"title", it.title},
          {"url", h.url},
          {"passage", h.passage},
          {"snippet_html", h.snippet_html},
          {"summary", it.summary},
          {"section", it.section},
          {"actors", it.actors},
          {"regions", it.regions},
          {"themes", it.themes},
          {"practices", it.practices},
          {"verified", it.verified},
          {"other_languages", h.other_languages},
          {"all_words", h.all_words},
          {"score", h.score}};
}

nlohmann::json to_json(const SearchResult& r) {
  nlohmann::json j{
      {"query", r.query},
      {"corrected_query",
       r.corrected_query.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.corrected_query)},
      {"correction_applied", r.correction_applied},
      {"total", r.total},
      {"total_all_words", r.total_all_words},
      {"exhaustive", r.exhaustive},
      {"page", r.page},
      {"per_page", r.per_page},
      {"took_ms", r.took_ms},
      {"hits", nlohmann::json::array()},
      {"facets", nlohmann::json::object()},
      {"notices", nlohmann::json::array()}};
  if (r.syntax_fallback) {
    j["notices"].push_back(
        {{"code", "syntax_fallback"},
         {"message", "the query syntax was malformed; searched the plain words instead"}});
  }
  if (r.words_dropped) {
    j["notices"].push_back(
        {{"code", "words_dropped"},
         {"message", "the query is long: only its first " +
                         std::to_string(search_options::kMaxQueryWords) + " words were searched"}});
  }
  if (r.relaxed) {
    j["notices"].push_back(
        {{"code", "relaxed"},
         {"message", "no item contains every word; showing items that contain some of them"}});
  }
  if (r.correction_applied) {
    j["notices"].push_back(
        {{"code", "corrected"},
         {"message", "no results for the query as typed; showing results for the correction"}});
  }
  for (const SearchHit& h : r.hits) j["hits"].push_back(to_json(h));
  for (const FacetResult& f : r.facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const FacetCount& c : f.values) {
      values.push_back(
          {{"value", c.value}, {"label", c.label}, {"count", c.count}, {"selected", c.selected}});
    }
    j["facets"][f.name] = std::move(values);
  }
  return j;
}

nlohmann::json to_json(const DocumentResult& d) {
  const StoredItem& it = d.item;
  nlohmann::json j{
      {"id", it.id},
      {"lang", it.lang},
      {"kind", it.kind},
      {"number", it.number ? nlohmann::json(*it.number) : nlohmann::json(nullptr)},
      {"title", it.title},
      {"section", it.section},
      {"summary", it.summary},
      {"actors", it.actors},
      {"regions", it.regions},
      {"themes", it.themes},
      {"practices", it.practices},
      {"verified", it.verified},
      {"source",
       {{"document", it.source_document}, {"url", it.source_url}, {"page", it.source_page}}},
      {"html", it.html},
      {"passages", nlohmann::json::array()},
      {"translations", nlohmann::json::array()}};
  for (const StoredPassage& p : it.passages) {
    j["passages"].push_back({{"anchor", p.anchor}, {"heading", p.heading}, {"text", p.text}});
  }
  for (const Translation& t : d.translations) {
    j["translations"].push_back({{"lang", t.lang}, {"title", t.title}, {"url", t.url}});
  }
  const Citation& c = d.citation;
  j["citation"] = {{"text", c.text},
                   {"document_title", c.document_title},
                   {"publisher", c.publisher},
                   {"year", c.year},
                   {"page", c.page},
                   {"source_url", c.source_url},
                   {"stable_url", c.stable_url}};
  return j;
}

nlohmann::json to_json(const ApiError& e) {
  nlohmann::json err{{"code", e.code}, {"message", e.message}};
  err["parameter"] = e.parameter.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.parameter);
  return {{"error", err}};
}

}  // namespace nexuskb
