// Reading pack handlers: GET /pack (HTML or Markdown) and GET /api/v1/packs (JSON).
#include "server/http_server.h"
#include "server/pack.h"

namespace nexuskb {

void HttpServer::page_pack(const httplib::Request& req, httplib::Response& res) {
  auto request = parse_pack_request(req.params, /*allow_format=*/true);
  if (!request.ok()) return send_html_error(req, res, request.error());
  PackRequest& r = request.value();
  if (r.lang.empty())
    r.lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  const Messages& t = pages_.messages(r.lang);
  auto pack = build_pack(service_, r, t.at("pack_default_title"), /*skip_unknown=*/true);
  if (!pack.ok()) return send_html_error(req, res, pack.error());
  if (r.markdown) {
    res.set_header("Content-Disposition",
                   "attachment; filename=\"nexuskb-pack-" + pack.value().date + ".md\"");
    res.set_content(to_markdown(pack.value(), t), "text/markdown; charset=utf-8");
    return;
  }
  res.set_content(pages_.pack(pack.value(), r, *index_.snapshot()), "text/html; charset=utf-8");
}

void HttpServer::api_packs(const httplib::Request& req, httplib::Response& res) {
  auto request = parse_pack_request(req.params, /*allow_format=*/false);
  if (!request.ok()) return send_json_error(res, request.error());
  PackRequest& r = request.value();
  if (!r.items_given) {
    return send_json_error(
        res, bad_parameter("missing_parameter", "items", "items is required: ?items=id,id,..."));
  }
  if (r.lang.empty()) r.lang = "en";
  auto pack = build_pack(service_, r, pages_.messages(r.lang).at("pack_default_title"),
                         /*skip_unknown=*/false);
  if (!pack.ok()) return send_json_error(res, pack.error());
  res.set_content(
      to_json(pack.value()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "application/json");
}

}  // namespace nexuskb
