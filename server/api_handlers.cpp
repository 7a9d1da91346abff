// JSON API handlers: parse -> call -> render.
#include <nlohmann/json.hpp>

#include "core/content_item.h"
#include "core/schema.h"
#include "core/text.h"
#include "server/http_server.h"
#include "server/json_render.h"
#include "server/query_builder.h"

namespace nexuskb {
namespace {

void send_json(httplib::Response& res, const nlohmann::json& body) {
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

// Validates an {id} path segment and an optional ?lang=, allowing only `allowed` parameters.
Expected<std::string> item_lang(const httplib::Request& req,
                                const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'");
    }
  }
  const std::string lang = req.get_param_value("lang");
  if (!lang.empty() && lang != "en" && lang != "fr" && lang != "ar") {
    return bad_parameter("unknown_value", "lang", "lang must be en, fr or ar");
  }
  return lang;
}

Expected<std::string> item_id(const httplib::Request& req) {
  const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (!is_valid_id(id)) return ApiError{404, "not_found", "no item with that id", "id"};
  return id;
}

}  // namespace

void HttpServer::api_search(const httplib::Request& req, httplib::Response& res) {
  auto snap = index_.snapshot();
  auto request = parse_search_request(req.params, snap->taxonomy);
  if (!request.ok()) return send_json_error(res, request.error());
  // The reader's language (which version of each item to show): a single lang filter, else
  // Accept-Language, else the language the query is written in.
  if (!request.value().filters.count("lang")) {
    const std::string accept = req.get_header_value("Accept-Language");
    request.value().ui_lang = accept.empty() ? guess_language(request.value().query, "en")
                                             : choose_ui_language(req.params, accept);
  }
  // took_ms in a cached body is the time the search took when it was computed.
  ResponseCache::Outcome outcome;
  const ResponseCache::Body body = cache_.get_or_compute(
      cache_key(request.value()), snap->generation,
      [&] {
        const SearchResult result = service_.search(request.value());
        // A search cut short by the time limit is not kept: the next one may complete.
        return ResponseCache::Computed{
            std::make_shared<const std::string>(
                to_json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
            result.exhaustive && result.index_generation == snap->generation};
      },
      outcome);
  res.set_header("X-Cache", outcome == ResponseCache::Outcome::kHit      ? "hit"
                            : outcome == ResponseCache::Outcome::kShared ? "shared"
                                                                         : "miss");
  res.set_content(*body, "application/json");
}

void HttpServer::api_document(const httplib::Request& req, httplib::Response& res) {
  auto id = item_id(req);
  if (!id.ok()) return send_json_error(res, id.error());
  auto lang = item_lang(req, {"lang"});
  if (!lang.ok()) return send_json_error(res, lang.error());
  auto doc = service_.document(id.value(), lang.value());
  if (!doc.ok()) return send_json_error(res, doc.error());
  send_json(res, to_json(doc.value()));
}

void HttpServer::api_related(const httplib::Request& req, httplib::Response& res) {
  auto id = item_id(req);
  if (!id.ok()) return send_json_error(res, id.error());
  auto lang = item_lang(req, {"lang", "count"});
  if (!lang.ok()) return send_json_error(res, lang.error());
  int count = 5;
  if (req.has_param("count") && !parse_int(req.get_param_value("count"), 1, 50, count)) {
    return send_json_error(res,
                           bad_parameter("invalid_count", "count", "count must be from 1 to 50"));
  }
  auto hits = service_.related(id.value(), lang.value(), count);
  if (!hits.ok()) return send_json_error(res, hits.error());
  nlohmann::json out{{"id", id.value()}, {"related", nlohmann::json::array()}};
  for (const SearchHit& h : hits.value()) out["related"].push_back(to_json(h));
  send_json(res, out);
}

void HttpServer::api_suggest(const httplib::Request& req, httplib::Response& res) {
  auto lang = item_lang(req, {"q", "lang", "count"});
  if (!lang.ok()) return send_json_error(res, lang.error());
  const std::string q = req.get_param_value("q");
  if (!is_valid_utf8(q))
    return send_json_error(res, bad_parameter("invalid_utf8", "q", "q must be valid UTF-8"));
  if (q.size() > 200)
    return send_json_error(res,
                           bad_parameter("query_too_long", "q", "q is too long for suggestions"));
  int count = 8;
  if (req.has_param("count") && !parse_int(req.get_param_value("count"), 1, 20, count)) {
    return send_json_error(res,
                           bad_parameter("invalid_count", "count", "count must be from 1 to 20"));
  }
  nlohmann::json out{{"query", q}, {"suggestions", nlohmann::json::array()}};
  for (const Suggestion& s : service_.suggest(q, lang.value(), count)) {
    nlohmann::json j{{"text", s.text}, {"kind", s.kind}};
    if (!s.url.empty()) j["url"] = s.url;
    out["suggestions"].push_back(j);
  }
  send_json(res, out);
}

void HttpServer::api_facets(const httplib::Request& req, httplib::Response& res) {
  auto lang = item_lang(req, {"lang"});
  if (!lang.ok()) return send_json_error(res, lang.error());
  auto snap = index_.snapshot();
  SearchRequest everything;
  everything.per_page = 1;
  everything.ui_lang = lang.value().empty() ? "en" : lang.value();
  const SearchResult overview = service_.overview(everything);
  nlohmann::json out{{"total", overview.total}, {"facets", nlohmann::json::array()}};
  for (const FacetResult& f : overview.facets) {
    nlohmann::json jf{{"name", f.name},
                      {"label", f.label},
                      {"labels", nlohmann::json::object()},
                      {"values", nlohmann::json::array()}};
    if (const FacetDefinition* def = snap->taxonomy.facet(f.name))
      jf["labels"] = def->labels.by_lang;
    for (const FacetCount& c : f.values) {
      nlohmann::json jv{{"value", c.value}, {"label", c.label}, {"count", c.count}};
      if (const FacetDefinition* def = snap->taxonomy.facet(f.name)) {
        if (const FacetValue* v = def->find(c.value)) jv["labels"] = v->labels.by_lang;
      }
      jf["values"].push_back(jv);
    }
    out["facets"].push_back(jf);
  }
  send_json(res, out);
}

void HttpServer::api_glossary(const httplib::Request& req, httplib::Response& res) {
  for (const auto& [key, value] : req.params) {
    if (key != "q")
      return send_json_error(
          res, bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'"));
  }
  const std::string q = req.get_param_value("q");
  if (!is_valid_utf8(q))
    return send_json_error(res, bad_parameter("invalid_utf8", "q", "q must be valid UTF-8"));
  if (q.size() > 200)
    return send_json_error(res, bad_parameter("query_too_long", "q", "q is too long"));
  auto snap = index_.snapshot();
  nlohmann::json out{{"query", q}, {"entries", nlohmann::json::array()}};
  for (const GlossaryEntry* e : snap->glossary.find(q)) {
    out["entries"].push_back({{"id", e->id}, {"terms", e->terms}, {"definition", e->definition}});
  }
  out["total"] = out["entries"].size();
  send_json(res, out);
}

void HttpServer::healthz(const httplib::Request&, httplib::Response& res) {
  send_json(res, {{"status", "ok"}});
}

void HttpServer::readyz(const httplib::Request&, httplib::Response& res) {
  auto snap = index_.snapshot();
  const bool ready = snap && !stopping_;
  res.status = ready ? 200 : 503;
  send_json(res, {{"ready", ready},
                  {"schema_version", std::string(schema::kSchemaVersion)},
                  {"documents", snap ? snap->doc_count : 0},
                  {"built_at", snap ? snap->built_at : ""}});
}

}  // namespace nexuskb
