// Hostile input, table-driven: every case gets a 4xx (or a safe 200) with the right error body,
// nothing injected is reflected unescaped, and the server keeps serving afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::RunningServer;
using testing::source_path;
using testing::TempDir;

struct HostileCase {
  std::string name;
  std::string path;        // sent as is (already percent-encoded where needed)
  int status;              // expected status
  std::string error_code;  // expected JSON error code ("" for HTML routes or 200s)
};

// Strings that must never appear verbatim in any response body.
const char* const kForbidden[] = {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                  "\" onmouseover=\"alert(1)", "href=\"javascript:", "root:x:0:0"};

const HostileCase kCases[] = {
    // Malformed query syntax is not the user's fault: 200 with a notice.
    {"unbalanced quote", "/api/v1/search?q=%22corruption", 200, ""},
    {"unbalanced bracket", "/api/v1/search?q=(corruption", 200, ""},
    {"dangling AND", "/api/v1/search?q=corruption+AND", 200, ""},
    {"only operators", "/api/v1/search?q=AND+OR+NOT", 200, ""},
    {"lone wildcard", "/api/v1/search?q=*", 200, ""},
    {"prefix without value", "/api/v1/search?q=actor%3A", 200, ""},
    {"unknown field prefix", "/api/v1/search?q=colour%3Ared", 200, ""},
    {"deep brackets", "/api/v1/search?q=" + std::string(200, '(') + "x", 200, ""},
    {"nul byte in q", "/api/v1/search?q=a%00b", 400, "invalid_utf8"},
    {"overlong utf8", "/api/v1/search?q=%C0%AF", 400, "invalid_utf8"},
    {"lone continuation byte", "/api/v1/search?q=%80", 400, "invalid_utf8"},
    {"utf16 surrogate", "/api/v1/search?q=%ED%A0%80", 400, "invalid_utf8"},
    {"bad utf8 in name", "/api/v1/search?%FF=1", 400, "invalid_utf8"},
    {"oversize query", "/api/v1/search?q=" + std::string(1100, 'a'), 400, "query_too_long"},
    {"oversize query split",
     "/api/v1/search?q=" + std::string(600, 'a') + "&q=" + std::string(600, 'b'), 400,
     "query_too_long"},
    {"too many facet values",
     [] {
       std::string p = "/api/v1/search?";
       for (int i = 1; i <= 30; ++i) p += "practice=" + std::to_string(i) + "&";
       return p;
     }(),
     400, "too_many_values"},
    {"page zero", "/api/v1/search?page=0", 400, "invalid_page"},
    {"negative page", "/api/v1/search?page=-1", 400, "invalid_page"},
    {"huge page", "/api/v1/search?page=99999999999", 400, "invalid_page"},
    {"page beyond depth", "/api/v1/search?page=101&per_page=100", 400, "page_out_of_range"},
    {"per_page over cap", "/api/v1/search?per_page=1000", 400, "invalid_per_page"},
    {"per_page float", "/api/v1/search?per_page=1.5", 400, "invalid_per_page"},
    {"per_page hex", "/api/v1/search?per_page=0x10", 400, "invalid_per_page"},
    {"unknown parameter", "/api/v1/search?callback=alert", 400, "unknown_parameter"},
    {"unknown facet value", "/api/v1/search?region=atlantis", 400, "unknown_value"},
    {"script in facet value", "/api/v1/search?actor=%3Cscript%3Ealert(1)%3C/script%3E", 400,
     "unknown_value"},
    {"sql in facet value", "/api/v1/search?actor=judiciary'%20OR%201=1--", 400, "unknown_value"},
    {"bad sort", "/api/v1/search?sort=score;drop", 400, "invalid_sort"},
    {"bad document id", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd", 404, "not_found"},
    {"document id with script", "/api/v1/documents/%3Cscript%3E", 404, "not_found"},
    {"document bad lang", "/api/v1/documents/fx-gp-18?lang=%3Cb%3E", 400, "unknown_value"},
    {"related unknown", "/api/v1/related/nothing", 404, "not_found"},
    {"suggest oversize", "/api/v1/suggest?q=" + std::string(300, 'x'), 400, "query_too_long"},
    {"suggest bad count", "/api/v1/suggest?q=ha&count=999", 400, "invalid_count"},
    {"unknown api route", "/api/v1/search/../../etc/passwd", 404, "not_found"},
    {"static traversal", "/static/../../../../etc/passwd", 404, ""},
    {"static encoded traversal", "/static/%2e%2e/%2e%2e/CMakeLists.txt", 404, ""},
    {"static double encoded", "/static/%252e%252e/home.mustache", 404, ""},
    {"static template", "/static/../home.mustache", 404, ""},
    {"static absolute", "/static//etc/passwd", 404, ""},
    {"html script in q", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 200, ""},
    {"html attribute breakout", "/search?q=%22%20onmouseover=%22alert(1)", 200, ""},
    {"html img in q", "/search?q=%3Cimg%20src=x%20onerror=alert(1)%3E", 200, ""},
    {"html javascript url", "/search?q=javascript:alert(1)", 200, ""},
    {"html unknown parameter", "/search?q=x&%3Cscript%3Ealert(1)%3C/script%3E=1", 400, ""},
    {"html bad facet", "/search?actor=%3Cimg%20src=x%20onerror=alert(1)%3E", 400, ""},
    {"html bad doc", "/doc/%3Cscript%3Ealert(1)%3C/script%3E", 404, ""},
    {"html doc bad lang", "/doc/fx-gp-18?lang=%22%20onmouseover=%22alert(1)", 400, ""},
    {"html page zero", "/search?page=0", 400, ""},
};

class HostileInput : public testing::FixtureServerTest {
 protected:
  // Sends raw bytes and returns the whole response (the connection is closed by the request).
  // Sends `request` and returns what comes back within `seconds` of silence.
  static std::string raw(const std::string& request, long seconds = 2) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    timeval tv{seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
    ::close(fd);
    return out;
  }
  static void expect_still_serving() {
    auto res = server_->client().Get("/api/v1/search?q=hawala");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
};

TEST_F(HostileInput, TableOfHostileRequests) {
  ASSERT_GE(std::size(kCases), 40u);
  for (const HostileCase& c : kCases) {
    SCOPED_TRACE(c.name + ": " + c.path.substr(0, 120));
    std::string response =
        raw("GET " + c.path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    ASSERT_FALSE(response.empty());
    const int status = std::stoi(response.substr(9, 3));
    EXPECT_EQ(status, c.status);
    const size_t body_at = response.find("\r\n\r\n");
    const std::string body = response.substr(body_at + 4);
    for (const char* forbidden : kForbidden)
      EXPECT_EQ(body.find(forbidden), std::string::npos) << forbidden;
    if (!c.error_code.empty()) {
      auto json = nlohmann::json::parse(body, nullptr, false);
      ASSERT_FALSE(json.is_discarded()) << body.substr(0, 200);
      EXPECT_EQ(json["error"]["code"], c.error_code);
      EXPECT_TRUE(json["error"]["message"].is_string());
    }
    if (status == 200 && c.path.rfind("/api/v1/search", 0) == 0) {
      auto json = nlohmann::json::parse(body, nullptr, false);
      ASSERT_FALSE(json.is_discarded());
      EXPECT_TRUE(json.contains("hits"));
    }
    expect_still_serving();
  }
}

TEST_F(HostileInput, MalformedSyntaxSaysThePlainWordsWereSearched) {
  auto res = server_->client().Get("/api/v1/search?q=%22border+corruption");
  ASSERT_TRUE(res);
  auto json = nlohmann::json::parse(res->body);
  ASSERT_FALSE(json["notices"].empty());
  EXPECT_EQ(json["notices"][0]["code"], "syntax_fallback");
  EXPECT_EQ(json["total"], 1);
}

TEST_F(HostileInput, EncodedLineBreaksInParametersInjectNoHeader) {
  for (const char* path :
       {"/search?q=a%0d%0aSet-Cookie:%20evil=1", "/api/v1/search?q=a%0d%0aSet-Cookie:%20evil=1",
        "/doc/fx-gp-18?lang=en%0d%0aSet-Cookie:%20evil=1"}) {
    std::string response =
        raw(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_FALSE(response.empty()) << path;
    const std::string head = response.substr(0, response.find("\r\n\r\n"));
    EXPECT_EQ(head.find("Set-Cookie"), std::string::npos) << path;
  }
  expect_still_serving();
}

TEST_F(HostileInput, ProtocolLevelAbuseGetsA4xxAndTheServerKeepsServing) {
  struct Raw {
    std::string name, request;
  } cases[] = {
      {"oversize url", "GET /api/v1/search?q=" + std::string(9000, 'a') +
                           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
      {"garbage request line", "BLAH\r\n\r\n"},
      {"unknown method", "BREW /api/v1/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
      {"post body",
       "POST /api/v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: "
       "close\r\n\r\nhello"},
      {"huge header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                          "\r\nConnection: close\r\n\r\n"},
  };
  for (const Raw& c : cases) {
    SCOPED_TRACE(c.name);
    // Every abuse gets an answer (a dropped connection tells the client nothing), and a 4xx.
    const std::string response = raw(c.request);
    ASSERT_GE(response.size(), 12u) << "no answer";
    ASSERT_EQ(response.rfind("HTTP/1.1 ", 0), 0u) << response.substr(0, 80);
    const int status = std::stoi(response.substr(9, 3));
    EXPECT_GE(status, 400);
    EXPECT_LT(status, 500);
    expect_still_serving();
  }
}

// Requests cpp-httplib refuses before routing still get the API's JSON error body.
TEST_F(HostileInput, RefusalsBeforeRoutingAreJsonErrorsToo) {
  const std::string overlong = raw("GET /api/v1/search?q=" + std::string(9000, 'a') +
                                   " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_FALSE(overlong.empty());
  EXPECT_EQ(overlong.substr(9, 3), "414");
  EXPECT_NE(overlong.find("Content-Type: application/json"), std::string::npos) << overlong;
  EXPECT_NE(overlong.find("\"uri_too_long\""), std::string::npos) << overlong;

  // A POST without Content-Length: cpp-httplib waits for a body until its 5 s read timeout, then
  // refuses the request (400 before this fix, which said nothing about the method).
  const std::string bodiless = raw("POST /api/v1/search HTTP/1.1\r\nHost: x\r\n\r\n", 8);
  ASSERT_FALSE(bodiless.empty());
  EXPECT_EQ(bodiless.substr(9, 3), "405") << bodiless;
  EXPECT_NE(bodiless.find("Allow: GET, HEAD"), std::string::npos) << bodiless;
  EXPECT_NE(bodiless.find("\"method_not_allowed\""), std::string::npos) << bodiless;
  expect_still_serving();
}

}  // namespace
}  // namespace nexuskb
