// nexuskb-serve: the HTTP server. One route table (register_routes) maps the API and the HTML
// pages onto SearchService; handlers parse, call and render.
//
// Thread safety: handlers run on the connection pool's threads (connection_settings.h), at most
// `threads` of them inside the index at once (SearchGate); all shared state is immutable or
// internally synchronised (IndexHandle, ResponseCache, Metrics).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "server/connection_settings.h"
#include "server/html_pages.h"
#include "server/index_snapshot.h"
#include "server/metrics.h"
#include "server/response_cache.h"
#include "server/search_gate.h"
#include "server/search_service.h"
#include "server/shard_health.h"
#include "server/static_assets.h"

namespace nexuskb {

struct ServerConfig {
  std::string index_path = "var/index";
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: any free port (tests)
  int threads = 4;            // search workers: requests doing index work at once
  int max_connections = 256;  // open connections served at once (idle keep-alive included)
  int busy_wait_ms = 2000;    // how long a request waits for a search worker before a 503
  std::string templates_dir = "templates";
  bool log_queries = false;  // access log includes query strings only when asked
  bool access_log = true;
  int reload_check_ms = 1000;     // how often to look for a new index behind index_path
  size_t cache_bytes = 64 << 20;  // rendered search responses kept; 0 disables the cache
};

class HttpServer {
 public:
  // Opens the index and loads templates; throws std::runtime_error with a clear message.
  explicit HttpServer(ServerConfig config);
  ~HttpServer();

  // Binds the listening socket; returns the port (useful with port 0). False/-1 on failure.
  int bind();
  // Serves until stop(); returns false if the server could not run.
  bool listen();
  void stop();

  // Looks for a new index now (also done periodically and on SIGHUP).
  void reload_index();

 private:
  void register_routes();
  void watch_index();

  // API handlers (api_handlers.cpp).
  void api_search(const httplib::Request& req, httplib::Response& res);
  void api_document(const httplib::Request& req, httplib::Response& res);
  void api_related(const httplib::Request& req, httplib::Response& res);
  void api_suggest(const httplib::Request& req, httplib::Response& res);
  void api_facets(const httplib::Request& req, httplib::Response& res);
  void api_glossary(const httplib::Request& req, httplib::Response& res);
  void api_packs(const httplib::Request& req, httplib::Response& res);  // pack_handlers.cpp
  void healthz(const httplib::Request& req, httplib::Response& res);
  void readyz(const httplib::Request& req, httplib::Response& res);

  // HTML handlers (html_handlers.cpp).
  void page_home(const httplib::Request& req, httplib::Response& res);
  void page_search(const httplib::Request& req, httplib::Response& res);
  void page_document(const httplib::Request& req, httplib::Response& res);
  void page_about(const httplib::Request& req, httplib::Response& res);
  void page_glossary(const httplib::Request& req, httplib::Response& res);
  void page_pack(const httplib::Request& req, httplib::Response& res);  // pack_handlers.cpp
  void static_file(const httplib::Request& req, httplib::Response& res);

  void send_json_error(httplib::Response& res, const ApiError& error);
  void send_html_error(const httplib::Request& req, httplib::Response& res, const ApiError& error);

  ServerConfig config_;
  IndexHandle index_;
  SearchService service_;
  HtmlPages pages_;
  StaticAssets assets_;
  Metrics metrics_;
  ResponseCache cache_;
  SearchGate gate_;
  ShardHealth shard_health_;  // probed by the watcher thread
  httplib::Server http_;
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
  int bound_port_ = 0;      // the port bound first (with port 0, the one the system chose)
  int listen_socket_ = -1;  // set by configure_connections when the socket is created
};

}  // namespace nexuskb
