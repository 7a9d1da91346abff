// HTML page handlers and static files: parse -> call -> render.
#include "core/content_item.h"
#include "server/http_server.h"

namespace nexuskb {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

ParamList param_list(const httplib::Params& params) {
  return ParamList(params.begin(), params.end());
}

}  // namespace

void HttpServer::page_home(const httplib::Request& req, httplib::Response& res) {
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  for (const auto& [key, value] : req.params) {
    if (key != "lang")
      return send_html_error(
          req, res, bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'"));
  }
  auto snap = index_.snapshot();
  SearchRequest everything;
  everything.per_page = 1;
  everything.ui_lang = lang;
  everything.filters["lang"] = {lang};
  res.set_content(pages_.home(service_.search(everything), *snap, lang), kHtml);
}

void HttpServer::page_search(const httplib::Request& req, httplib::Response& res) {
  auto snap = index_.snapshot();
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  auto request = parse_search_request(req.params, snap->taxonomy);
  if (!request.ok()) return send_html_error(req, res, request.error());
  request.value().ui_lang = lang;
  SearchResult result = service_.search(request.value());
  res.set_content(pages_.search(request.value(), result, param_list(req.params), *snap, lang),
                  kHtml);
}

void HttpServer::page_document(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
  std::string lang = req.get_param_value("lang");
  for (const auto& [key, value] : req.params) {
    if (key != "lang")
      return send_html_error(
          req, res, bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'"));
  }
  if (!lang.empty() && lang != "en" && lang != "fr" && lang != "ar") {
    return send_html_error(req, res,
                           bad_parameter("unknown_value", "lang", "lang must be en, fr or ar"));
  }
  if (!is_valid_id(id))
    return send_html_error(req, res, ApiError{404, "not_found", "no item with that id", "id"});
  auto doc = service_.document(id, lang);
  if (!doc.ok()) return send_html_error(req, res, doc.error());
  auto related = service_.related(id, doc.value().item.lang, 5);
  const std::string ui =
      lang.empty() ? choose_ui_language(req.params, req.get_header_value("Accept-Language")) : lang;
  auto snap = index_.snapshot();
  res.set_content(
      pages_.document(doc.value(), related.ok() ? related.value() : std::vector<SearchHit>{}, *snap,
                      ui),
      kHtml);
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
