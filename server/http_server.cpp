// Server set-up, the route table, error mapping and the index watcher.
#include "server/http_server.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "core/text.h"
#include "server/json_render.h"
#include "server/metrics.h"

namespace nexuskb {
namespace {

constexpr size_t kMaxPayload = 64 * 1024;  // no route takes a body; keep uploads tiny
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

bool is_api_path(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

// When the current request was routed; unset (epoch) for a request refused before routing
// (an overlong request line), whose duration is unknown.
thread_local std::chrono::steady_clock::time_point t_request_started;

// Seconds since the request was routed, or a negative number when unknown.
double seconds_since_routing() {
  if (t_request_started == std::chrono::steady_clock::time_point{}) return -1;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_started)
      .count();
}

// A path or query as an access-log field: control characters, backslashes, spaces and quotes
// escaped, so that a request can never forge a log line (a decoded %0A is a newline).
std::string log_field(const std::string& text) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f || c == '\\' || c == '"' || c == ' ') {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string cache_metrics(const ResponseCache& cache) {
  std::ostringstream out;
  out << "# HELP nexuskb_cache_lookups_total Search responses looked up in the response cache.\n"
      << "# TYPE nexuskb_cache_lookups_total counter\n"
      << "nexuskb_cache_lookups_total{result=\"hit\"} " << cache.hits() << "\n"
      << "nexuskb_cache_lookups_total{result=\"miss\"} " << cache.misses() << "\n"
      << "# HELP nexuskb_cache_bytes Bytes held by the response cache.\n"
      << "# TYPE nexuskb_cache_bytes gauge\n"
      << "nexuskb_cache_bytes " << cache.bytes() << "\n";
  return out.str();
}

}  // namespace

HttpServer::HttpServer(ServerConfig config)
    : config_(std::move(config)),
      index_(config_.index_path),
      service_(index_),
      pages_(config_.templates_dir),
      assets_(config_.templates_dir + "/static"),
      cache_(config_.cache_bytes),
      gate_(std::max(1, config_.threads), std::chrono::milliseconds(config_.busy_wait_ms)) {
  configure_connections(http_, ConnectionLimits{.max_connections = config_.max_connections},
                        listen_socket_);
  http_.set_payload_max_length(kMaxPayload);
  service_.set_shard_health(&shard_health_);
  register_routes();
}

HttpServer::~HttpServer() {
  stop();
  if (watcher_.joinable()) watcher_.join();
}

void HttpServer::register_routes() {
  using Self = HttpServer;
  // Every route that reads the index waits for a search worker (SearchGate); liveness,
  // readiness, metrics and static files never do, so they answer even when searches queue.
  auto route = [this](void (Self::*handler)(const httplib::Request&, httplib::Response&)) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      const SearchGate::Pass pass(gate_);
      (this->*handler)(req, res);
    };
  };
  auto ungated = [this](void (Self::*handler)(const httplib::Request&, httplib::Response&)) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      (this->*handler)(req, res);
    };
  };
  // The route table. Everything is GET (and HEAD); other methods get 405.
  http_.Get("/api/v1/search", route(&Self::api_search));
  http_.Get(R"(/api/v1/documents/([^/]+))", route(&Self::api_document));
  http_.Get(R"(/api/v1/related/([^/]+))", route(&Self::api_related));
  http_.Get("/api/v1/suggest", route(&Self::api_suggest));
  http_.Get("/api/v1/facets", route(&Self::api_facets));
  http_.Get("/api/v1/packs", route(&Self::api_packs));
  http_.Get("/api/v1/glossary", route(&Self::api_glossary));
  http_.Get("/healthz", ungated(&Self::healthz));
  http_.Get("/readyz", ungated(&Self::readyz));
  http_.Get("/", route(&Self::page_home));
  http_.Get("/search", route(&Self::page_search));
  http_.Get(R"(/doc/([^/]+))", route(&Self::page_document));
  http_.Get("/pack", route(&Self::page_pack));
  http_.Get("/about", route(&Self::page_about));
  http_.Get("/glossary", route(&Self::page_glossary));
  http_.Get(R"(/static/(.+))", ungated(&Self::static_file));
  http_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        metrics_.render(*index_.snapshot()) + cache_metrics(cache_) + shard_health_.render(),
        "text/plain; version=0.0.4; charset=utf-8");
  });

  auto method_not_allowed = [this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    ApiError e{405, "method_not_allowed", req.method + " is not allowed here; use GET", ""};
    is_api_path(req.path) ? send_json_error(res, e) : send_html_error(req, res, e);
  };
  http_.Post(".*", method_not_allowed);
  http_.Put(".*", method_not_allowed);
  http_.Delete(".*", method_not_allowed);
  http_.Patch(".*", method_not_allowed);
  http_.Options(".*", method_not_allowed);

  http_.set_error_handler([this, method_not_allowed](const httplib::Request& req,
                                                     httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already rendered the error
    // cpp-httplib refuses some requests before routing, e.g. a POST without a body (400): no
    // route takes any method but GET and HEAD, so that is a 405 like any other.
    if (res.status == 400 && !req.path.empty() && req.method != "GET" && req.method != "HEAD") {
      res.status = 405;
      return method_not_allowed(req, res);
    }
    ApiError e{res.status, res.status == 404 ? "not_found" : "bad_request",
               res.status == 404 ? "no such route: " + req.path : "the request could not be read",
               ""};
    if (res.status == 414) e.code = "uri_too_long";
    if (res.status == 413) e.code = "payload_too_large";
    // With an overlong request line (414) nothing of the request was read, not even its path:
    // answer JSON then, unless the client said it wants HTML.
    const bool json = req.path.empty()
                          ? req.get_header_value("Accept").find("text/html") == std::string::npos
                          : is_api_path(req.path);
    json ? send_json_error(res, e) : send_html_error(req, res, e);
  });
  http_.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        // Expected in operation (a shard down, every worker busy): a 503 the client can retry.
        auto unavailable = [&](const Unavailable& e) {
          res.set_header("Retry-After", std::to_string(e.retry_after()));
          ApiError error{503, e.code(), e.what(), ""};
          is_api_path(req.path) ? send_json_error(res, error) : send_html_error(req, res, error);
        };
        try {
          std::rethrow_exception(ep);
        } catch (const Unavailable& e) {
          return unavailable(e);
        } catch (const Xapian::NetworkError& e) {
          return unavailable(service_.shard_unavailable(e));  // a remote shard, outside search()
        } catch (const Xapian::Error& e) {
          what = e.get_description();
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::cerr << "error: " << req.method << " " << req.path << ": " << what << "\n";
        ApiError e{500, "internal_error", "the server could not answer this request", ""};
        is_api_path(req.path) ? send_json_error(res, e) : send_html_error(req, res, e);
      });
  http_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_started = std::chrono::steady_clock::now();  // one worker thread per request
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // Recorded before the response is written (the logger runs after), so that a client that
    // has its answer also finds it counted in /metrics.
    metrics_.record(route_label(req.path), res.status, seconds_since_routing());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", kContentSecurityPolicy);
    // While stopping, keep-alive connections are closed after the response in flight.
    if (stopping_) res.set_header("Connection", "close");
  });
  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double seconds = seconds_since_routing();
    t_request_started = {};  // the next request on this thread sets its own (log or no log)
    if (!config_.access_log) return;
    // What a clerk searched for is sensitive: the query string is left out unless asked for.
    std::string line = log_field(req.method) + " " + log_field(req.path);
    if (config_.log_queries && !req.params.empty()) {
      std::string qs;
      for (const auto& [k, v] : req.params) qs += (qs.empty() ? "?" : "&") + k + "=" + v;
      line += log_field(qs);
    }
    std::ostringstream out;
    out << "access: " << utc_now() << " " << line << " " << res.status << " ";
    if (seconds < 0) {
      out << "-\n";
    } else {
      out << std::fixed << std::setprecision(2) << seconds * 1000 << "ms\n";
    }
    std::clog << out.str();
  });
}

int HttpServer::bind() {
  const int port = bound_port_ > 0 ? bound_port_ : config_.port;
  if (port == 0) {
    bound_port_ = http_.bind_to_any_port(config_.host);
  } else {
    bound_port_ = http_.bind_to_port(config_.host, port) ? port : -1;
  }
  if (bound_port_ > 0) raise_listen_backlog(listen_socket_);
  return bound_port_;
}

bool HttpServer::listen() {
  if (config_.reload_check_ms > 0 && !watcher_.joinable()) {
    watcher_ = std::thread([this] { watch_index(); });
  }
  for (;;) {
    // cpp-httplib stops listening, and returns false, on any accept() error other than EMFILE,
    // EINTR and EAGAIN, such as ECONNABORTED for a connection reset while it waited: under load
    // the server would silently stop serving. Bind again and go on instead.
    if (http_.listen_after_bind() || stopping_) return true;
    const int error = errno;
    std::cerr << "error: accepting connections failed (" << std::strerror(error)
              << "); listening again\n";
    if (bind() < 0) {
      std::cerr << "error: cannot listen again on port " << config_.port << "\n";
      return false;
    }
  }
}

void HttpServer::stop() {
  stopping_ = true;
  http_.stop();
}

void HttpServer::reload_index() {
  std::string error;
  if (index_.refresh(error)) {
    std::clog << "index: now serving " << index_.snapshot()->resolved_path << std::endl;
  } else if (!error.empty()) {
    std::cerr << "index: kept the current index: " << error << std::endl;
  }
}

void HttpServer::watch_index() {
  while (!stopping_) {
    // Each remote shard separately, for /metrics and 503 messages (searches see all at once).
    shard_health_.probe(index_.snapshot()->remote_shards);
    for (int waited = 0; waited < config_.reload_check_ms && !stopping_; waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!stopping_) reload_index();
  }
}

void HttpServer::send_json_error(httplib::Response& res, const ApiError& error) {
  res.status = error.status;
  res.set_content(to_json(error).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void HttpServer::send_html_error(const httplib::Request& req, httplib::Response& res,
                                 const ApiError& error) {
  res.status = error.status;
  const std::string lang = choose_ui_language(req.params, req.get_header_value("Accept-Language"));
  res.set_content(pages_.error(error.status, error.message, lang), "text/html; charset=utf-8");
}

}  // namespace nexuskb
