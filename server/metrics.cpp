// Prometheus exposition of request and index metrics.
#include "server/metrics.h"

#include <sstream>

#include "core/schema.h"

namespace nexuskb {

std::string route_label(const std::string& path) {
  static const std::pair<const char*, const char*> kPrefixes[] = {
      {"/api/v1/documents/", "/api/v1/documents/{id}"},
      {"/api/v1/related/", "/api/v1/related/{id}"},
      {"/doc/", "/doc/{id}"},
      {"/static/", "/static/{file}"}};
  for (const auto& [prefix, label] : kPrefixes) {
    if (path.rfind(prefix, 0) == 0) return label;
  }
  static const char* kExact[] = {
      "/api/v1/search", "/api/v1/suggest", "/api/v1/facets", "/api/v1/packs",
      "/healthz",       "/readyz",         "/metrics",       "/",
      "/search",        "/pack",           "/about",         "/api/v1/glossary",
      "/glossary"};
  for (const char* exact : kExact) {
    if (path == exact) return exact;
  }
  return "other";
}

void Metrics::record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  RouteStats& r = routes_[route];
  ++r.by_status[status];
  // A request refused before routing has no known duration: counted, but not in the histogram.
  if (seconds < 0) return;
  ++r.count;
  r.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++r.buckets[i];
      break;
    }
  }
}

std::string Metrics::render(const IndexSnapshot& snapshot) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP nexuskb_http_requests_total HTTP requests by route and status.\n"
         "# TYPE nexuskb_http_requests_total counter\n";
  for (const auto& [route, r] : routes_) {
    for (const auto& [status, n] : r.by_status) {
      out << "nexuskb_http_requests_total{route=\"" << route << "\",status=\"" << status << "\"} "
          << n << "\n";
    }
  }
  out << "# HELP nexuskb_http_errors_total HTTP responses with status 400 or more, by route.\n"
         "# TYPE nexuskb_http_errors_total counter\n";
  for (const auto& [route, r] : routes_) {
    unsigned long long errors = 0;
    for (const auto& [status, n] : r.by_status) errors += status >= 400 ? n : 0;
    out << "nexuskb_http_errors_total{route=\"" << route << "\"} " << errors << "\n";
  }
  out << "# HELP nexuskb_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE nexuskb_http_request_duration_seconds histogram\n";
  for (const auto& [route, r] : routes_) {
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += r.buckets[i];
      out << "nexuskb_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[i] << "\"} " << cumulative << "\n";
    }
    out << "nexuskb_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << r.count << "\n";
    out << "nexuskb_http_request_duration_seconds_sum{route=\"" << route << "\"} " << r.sum << "\n";
    out << "nexuskb_http_request_duration_seconds_count{route=\"" << route << "\"} " << r.count
        << "\n";
  }
  out << "# HELP nexuskb_index_documents Documents (items) in the served index.\n"
         "# TYPE nexuskb_index_documents gauge\n"
      << "nexuskb_index_documents " << snapshot.doc_count << "\n"
      << "# HELP nexuskb_index_generation How many times the served index was (re)opened.\n"
         "# TYPE nexuskb_index_generation counter\n"
      << "nexuskb_index_generation " << snapshot.generation << "\n"
      << "# HELP nexuskb_index_info The served index.\n# TYPE nexuskb_index_info gauge\n"
      << "nexuskb_index_info{built_at=\"" << snapshot.built_at << "\",sharded=\""
      << (snapshot.sharded ? "true" : "false") << "\"} 1\n"
      << "# HELP nexuskb_build_info Build of this server.\n# TYPE nexuskb_build_info gauge\n"
      << "nexuskb_build_info{version=\"" << NEXUSKB_VERSION << "\",schema_version=\""
      << schema::kSchemaVersion << "\"} 1\n";
  return out.str();
}

}  // namespace nexuskb
