// HTML page handlers and static files: parse -> call -> render.
#include <algorithm>

#include "core/content_item.h"
#include "core/text.h"
#include "server/http_server.h"

namespace nexuskb {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

ParamList param_list(const httplib::Params& params) {
  return ParamList(params.begin(), params.end());
}

bool is_ui_lang(const std::string& l) {
  return l == "en" || l == "fr" || l == "ar";
}

// Allows only `allowed` parameters; "lang" and "ui", when given, must name a UI language.
Expected<bool> check_page_params(const httplib::Request& req,
                                 const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'");
    }
    if ((key == "lang" || key == "ui") && !value.empty() && !is_ui_lang(value)) {
      return bad_parameter("unknown_value", key, key + " must be en, fr or ar");
    }
  }
  return true;
}

}  // namespace

void HttpServer::page_home(const httplib::Request& req, httplib::Response& res) {
  if (auto ok = check_page_params(req, {"lang", "ui", "pack", "pack_title"}); !ok.ok())
    return send_html_error(req, res, ok.error());
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  SearchRequest everything;
  everything.per_page = 1;
  everything.ui_lang = lang;
  everything.filters["lang"] = {lang};
  res.set_content(pages_.home(service_.overview(everything), lang, pack_carry_from(req.params)),
                  kHtml);
}

void HttpServer::page_search(const httplib::Request& req, httplib::Response& res) {
  auto snap = index_.snapshot();
  if (const std::string ui = req.get_param_value("ui"); !ui.empty() && !is_ui_lang(ui))
    return send_html_error(req, res,
                           bad_parameter("unknown_value", "ui", "ui must be en, fr or ar"));
  auto request = parse_search_request(req.params, snap->taxonomy, {}, {"ui", "pack", "pack_title"});
  if (!request.ok()) return send_html_error(req, res, request.error());
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  request.value().ui_lang = lang;
  // Browsing without words: practices in number order read better than index order.
  if (request.value().query.empty() && !req.has_param("sort"))
    request.value().sort = SortOrder::kNumber;
  SearchResult result = service_.search(request.value());
  res.set_content(pages_.search(request.value(), result, param_list(req.params), *snap, lang,
                                pack_carry_from(req.params)),
                  kHtml);
}

void HttpServer::page_document(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (auto ok = check_page_params(req, {"lang", "ui", "pack", "pack_title"}); !ok.ok())
    return send_html_error(req, res, ok.error());
  if (!is_valid_id(id))
    return send_html_error(req, res, ApiError{404, "not_found", "no item with that id", "id"});
  const std::string lang = req.get_param_value("lang");
  const std::string ui = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  // Without ?lang=, links such as /doc/gp-23 inside a French item open the French version.
  auto doc = service_.document(id, lang.empty() ? ui : lang);
  if (!doc.ok() && lang.empty() && doc.error().parameter == "lang") doc = service_.document(id, "");
  if (!doc.ok()) return send_html_error(req, res, doc.error());
  auto related = service_.related(id, doc.value().item.lang, 5);
  auto snap = index_.snapshot();
  res.set_content(
      pages_.document(doc.value(), related.ok() ? related.value() : std::vector<SearchHit>{}, *snap,
                      ui, pack_carry_from(req.params)),
      kHtml);
}

void HttpServer::page_about(const httplib::Request& req, httplib::Response& res) {
  if (auto ok = check_page_params(req, {"lang", "ui", "pack", "pack_title"}); !ok.ok())
    return send_html_error(req, res, ok.error());
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  // An example citation: the lowest-numbered practice in the reader's language.
  SearchRequest first;
  first.per_page = 1;
  first.sort = SortOrder::kNumber;
  first.ui_lang = lang;
  first.filters["kind"] = {"practice"};
  first.filters["lang"] = {lang};
  std::string example;
  SearchResult found = service_.search(first);
  if (!found.hits.empty()) {
    auto doc = service_.document(found.hits.front().item.id, found.hits.front().item.lang);
    if (doc.ok())
      example = citation_text(doc.value().item, doc.value().citation, pages_.messages(lang));
  }
  res.set_content(pages_.about(*index_.snapshot(), example, lang, pack_carry_from(req.params)),
                  kHtml);
}

void HttpServer::page_glossary(const httplib::Request& req, httplib::Response& res) {
  for (const auto& [key, value] : req.params) {
    if (key != "q" && key != "lang" && key != "ui" && key != "pack" && key != "pack_title")
      return send_html_error(
          req, res, bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'"));
  }
  const std::string q = req.get_param_value("q");
  if (!is_valid_utf8(q) || q.size() > 200)
    return send_html_error(req, res, bad_parameter("invalid_query", "q", "q is not valid"));
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  res.set_content(
      pages_.glossary(index_.snapshot()->glossary, q, lang, pack_carry_from(req.params)), kHtml);
}

void HttpServer::static_file(const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches.size() > 1 ? req.matches[1].str() : "";
  const StaticAsset* asset = assets_.find(name);
  if (asset == nullptr)
    return send_html_error(req, res, ApiError{404, "not_found", "no such file", ""});
  res.set_header("ETag", asset->etag);
  res.set_header("Cache-Control", "public, max-age=3600");
  if (req.get_header_value("If-None-Match") == asset->etag) {
    res.status = 304;
    return;
  }
  res.set_content(asset->body, asset->content_type.c_str());
}

}  // namespace nexuskb
