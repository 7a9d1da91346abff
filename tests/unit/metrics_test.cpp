// Metrics: a label for every route of the route table and "other" for the rest, requests without
// a known duration counted but not timed, and an exposition that Prometheus can parse.
#include "server/metrics.h"

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::source_path;

// The route table of server/http_server.cpp (HttpServer::register_routes), one request path per
// route, with the label it must get.
const std::map<std::string, std::string> kRouteLabels = {
    {"/api/v1/search", "/api/v1/search"},
    {"/api/v1/documents/fx-gp-1", "/api/v1/documents/{id}"},
    {"/api/v1/related/fx-gp-1", "/api/v1/related/{id}"},
    {"/api/v1/suggest", "/api/v1/suggest"},
    {"/api/v1/facets", "/api/v1/facets"},
    {"/api/v1/packs", "/api/v1/packs"},
    {"/api/v1/glossary", "/api/v1/glossary"},
    {"/healthz", "/healthz"},
    {"/readyz", "/readyz"},
    {"/", "/"},
    {"/search", "/search"},
    {"/doc/fx-gp-18", "/doc/{id}"},
    {"/pack", "/pack"},
    {"/about", "/about"},
    {"/glossary", "/glossary"},
    {"/static/css/site.css", "/static/{file}"},
    {"/metrics", "/metrics"},
};

TEST(MetricsTest, EveryRouteHasItsOwnLabel) {
  std::set<std::string> labels;
  for (const auto& [path, label] : kRouteLabels) {
    EXPECT_EQ(route_label(path), label) << path;
    EXPECT_NE(route_label(path), "other") << path;
    labels.insert(route_label(path));
  }
  EXPECT_EQ(labels.size(), kRouteLabels.size()) << "two routes share a label";
}

// The list above against the route table itself: a route added to register_routes without a
// label (or without an entry above) fails here.
TEST(MetricsTest, TheListCoversTheRouteTableInTheSource) {
  std::ifstream in(source_path("server/http_server.cpp"));
  ASSERT_TRUE(in) << "cannot read server/http_server.cpp";
  const std::string source((std::istreambuf_iterator<char>(in)), {});
  // http_.Get("/path", ...) or http_.Get(R"(/pattern)", ...)
  const std::regex get_route(R"re(http_\.Get\(\s*(?:R"\((.*?)\)"|"([^"]*)"))re");
  int routes = 0;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), get_route);
       it != std::sregex_iterator(); ++it) {
    const std::string pattern = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    ++routes;
    const std::regex route(pattern);
    int matched = 0;
    for (const auto& [path, label] : kRouteLabels) {
      if (std::regex_match(path, route)) {
        ++matched;
        EXPECT_NE(route_label(path), "other") << pattern;
      }
    }
    EXPECT_EQ(matched, 1) << "route " << pattern << " is not listed once in kRouteLabels";
  }
  EXPECT_EQ(routes, static_cast<int>(kRouteLabels.size()))
      << "the route table and kRouteLabels differ in size";
}

TEST(MetricsTest, UnknownPathsAreOther) {
  for (const char* path :
       {"", "/x", "/api", "/api/v1", "/api/v1/", "/api/v1/searchx", "/api/v2/search",
        "/api/v1/search/", "/healthz/", "/HEALTHZ", "/docs", "/doc", "/metricsx", "/static",
        "/wp-admin/setup.php", "/search/../metrics", "//", "/about/team", "/glossaryx"}) {
    EXPECT_EQ(route_label(path), "other") << "'" << path << "'";
  }
}

// The value of the sample `name{labels}` in `text`, or -1.
double sample(const std::string& text, const std::string& name_and_labels) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name_and_labels + " ", 0) == 0) return std::stod(line.substr(line.rfind(' ')));
  }
  return -1;
}

TEST(MetricsTest, ARequestOfUnknownDurationIsCountedButNotTimed) {
  Metrics metrics;
  metrics.record("other", 414, -1);
  metrics.record("other", 400, -1);
  metrics.record("/healthz", 200, 0.002);
  metrics.record("/healthz", 200, -1);
  const std::string text = metrics.render(IndexSnapshot{});
  EXPECT_EQ(sample(text, R"(nexuskb_http_requests_total{route="other",status="414"})"), 1);
  EXPECT_EQ(sample(text, R"(nexuskb_http_requests_total{route="other",status="400"})"), 1);
  EXPECT_EQ(sample(text, R"(nexuskb_http_errors_total{route="other"})"), 2);
  EXPECT_EQ(sample(text, R"(nexuskb_http_requests_total{route="/healthz",status="200"})"), 2);
  EXPECT_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_count{route="other"})"), 0);
  EXPECT_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_sum{route="other"})"), 0);
  EXPECT_EQ(
      sample(text, R"(nexuskb_http_request_duration_seconds_bucket{route="other",le="+Inf"})"), 0);
  EXPECT_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_count{route="/healthz"})"), 1);
  EXPECT_DOUBLE_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_sum{route="/healthz"})"),
                   0.002);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInclusiveBounds) {
  Metrics metrics;
  metrics.record("/", 200, 0.0005);  // exactly on the first bound: counted in it
  metrics.record("/", 200, 0.003);
  metrics.record("/", 200, 1.0);
  metrics.record("/", 200, 30.0);  // past the last bound: only in +Inf
  const std::string text = metrics.render(IndexSnapshot{});
  auto bucket = [&](const std::string& le) {
    return sample(text,
                  R"(nexuskb_http_request_duration_seconds_bucket{route="/",le=")" + le + R"("})");
  };
  EXPECT_EQ(bucket("0.0005"), 1);
  EXPECT_EQ(bucket("0.001"), 1);
  EXPECT_EQ(bucket("0.005"), 2);
  EXPECT_EQ(bucket("0.5"), 2);
  EXPECT_EQ(bucket("1"), 3);
  EXPECT_EQ(bucket("2.5"), 3);
  EXPECT_EQ(bucket("+Inf"), 4);
  EXPECT_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_count{route="/"})"), 4);
  EXPECT_DOUBLE_EQ(sample(text, R"(nexuskb_http_request_duration_seconds_sum{route="/"})"),
                   0.0005 + 0.003 + 1.0 + 30.0);
}

// The text exposition format: comments are "# HELP name text" or "# TYPE name type"; every other
// line is `name{label="value",...} number`; a metric's samples follow its TYPE line; within a
// histogram, buckets never decrease and +Inf equals _count.
TEST(MetricsTest, RenderIsParseablePrometheusText) {
  Metrics metrics;
  for (const auto& [path, label] : kRouteLabels) metrics.record(route_label(path), 200, 0.01);
  metrics.record("other", 404, 0.0001);
  metrics.record("other", 414, -1);
  metrics.record("/api/v1/search", 503, 2.0);
  metrics.record("/api/v1/search", 200, 1e-7);  // rendered in scientific notation, still valid
  IndexSnapshot snap;
  snap.doc_count = 6;
  snap.generation = 3;
  snap.built_at = "2026-12-01T06:00:00Z";
  const std::string text = metrics.render(snap);

  const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S.*)");
  const std::regex type(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  const std::regex sample_line(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")"
      R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? )"
      R"(([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?Inf|NaN))");
  std::set<std::string> typed;
  std::map<std::string, double> last_bucket;  // per histogram series (labels without le)
  std::map<std::string, double> inf_bucket, count;
  int samples = 0, line_number = 0;
  std::istringstream in(text);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    std::smatch m;
    if (line.rfind("#", 0) == 0) {
      if (std::regex_match(line, m, type)) {
        EXPECT_TRUE(typed.insert(m[1]).second) << "TYPE twice for " << m[1];
      } else {
        EXPECT_TRUE(std::regex_match(line, help)) << line_number << ": " << line;
      }
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample_line)) << line_number << ": '" << line << "'";
    ++samples;
    std::string name = m[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
          !typed.count(name)) {
        name.erase(name.size() - s.size());
      }
    }
    EXPECT_TRUE(typed.count(name)) << line_number << ": sample before its TYPE line: " << line;
    // Histogram checks.
    const std::string labels = m[2];
    const double value = std::stod(m[3].str() == "+Inf" ? "inf" : m[3].str());
    if (std::string(m[1]).ends_with("_bucket")) {
      const auto le = labels.find(",le=\"");
      ASSERT_NE(le, std::string::npos) << line;
      const std::string series = labels.substr(0, le);
      if (last_bucket.count(series)) {
        EXPECT_GE(value, last_bucket[series]) << line;
      }
      last_bucket[series] = value;
      if (labels.find("le=\"+Inf\"") != std::string::npos) inf_bucket[series] = value;
    } else if (std::string(m[1]).ends_with("_count")) {
      count[labels.substr(0, labels.size() - 1)] = value;  // without the closing brace
    }
  }
  EXPECT_GT(samples, 50);
  EXPECT_FALSE(inf_bucket.empty());
  for (const auto& [series, inf] : inf_bucket) {
    ASSERT_TRUE(count.count(series)) << series;
    EXPECT_EQ(inf, count[series]) << series;
  }
  EXPECT_EQ(sample(text, "nexuskb_index_documents"), 6);
  EXPECT_EQ(sample(text, "nexuskb_index_generation"), 3);
}

}  // namespace
}  // namespace nexuskb
