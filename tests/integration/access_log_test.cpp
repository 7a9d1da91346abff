// The access log on the real nexuskb-serve's stderr: a decoded path or query cannot forge a log
// line; a request refused before routing (414) is counted in /metrics but never timed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/raw_connection.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::binary;
using testing::build_index;
using testing::RawConnection;
using testing::ServeProcess;
using testing::slurp;
using testing::source_path;
using testing::TempDir;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Polls `server`'s log (at most 10 s) until it holds a line containing `needle`.
bool wait_for_log_line(const ServeProcess& server, const std::string& needle) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (server.log().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The value of the sample `name_and_labels` in a /metrics body, or -1 when absent.
double metric(const std::string& text, const std::string& name_and_labels) {
  for (const std::string& line : lines_of(text)) {
    if (line.rfind(name_and_labels + " ", 0) == 0) return std::stod(line.substr(line.rfind(' ')));
  }
  return -1;
}

std::string get_metrics(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  auto res = client.Get("/metrics");
  EXPECT_TRUE(res);
  return res ? res->body : std::string();
}

// A request line over cpp-httplib's limit (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH, 8,192 bytes).
std::string overlong_request() {
  return "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

class AccessLog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    index_ = new fs::path(build_index(source_path("tests/fixtures/content"), dir_->path()));
  }
  static void TearDownTestSuite() {
    delete index_;
    delete dir_;
  }
  static TempDir* dir_;
  static fs::path* index_;
};
TempDir* AccessLog::dir_ = nullptr;
fs::path* AccessLog::index_ = nullptr;

TEST_F(AccessLog, AnEncodedNewlineCannotForgeALogLine) {
  ServeProcess server(*index_, dir_->path() / "forge.log", {"--log-queries"});
  ASSERT_TRUE(server.wait_ready());
  {
    RawConnection c(server.port());
    ASSERT_TRUE(c.send("GET /doc/x%0Aaccess:%20forged HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_NE(c.read_response(), 0);
    // The query string too (logged with --log-queries), with a CR LF pair this time.
    ASSERT_TRUE(
        c.send("GET /api/v1/search?q=z%0D%0Aaccess:%20forged2 HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(c.read_response(), 200);
  }
  // The logger runs after the response is sent: wait for both lines.
  ASSERT_TRUE(wait_for_log_line(server, "/doc/x")) << server.log();
  ASSERT_TRUE(wait_for_log_line(server, "forged2")) << server.log();

  int doc_lines = 0, query_lines = 0;
  for (const std::string& line : lines_of(server.log())) {
    EXPECT_NE(line.rfind("access: forged", 0), 0u) << "forged log line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << "raw CR in the log: " << line;
    // Every line is the server's own: an access line, or a start-up or index message.
    EXPECT_TRUE(line.rfind("access: ", 0) == 0 || line.rfind("nexuskb-serve: ", 0) == 0 ||
                line.rfind("index: ", 0) == 0)
        << "unexpected log line: " << line;
    if (line.find("/doc/x") != std::string::npos) {
      ++doc_lines;
      EXPECT_NE(line.find("/doc/x\\x0aaccess:\\x20forged"), std::string::npos) << line;
    }
    if (line.find("forged2") != std::string::npos) {
      ++query_lines;
      EXPECT_NE(line.find("\\x0d\\x0aaccess:\\x20forged2"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(doc_lines, 1) << server.log();
  EXPECT_EQ(query_lines, 1) << server.log();
  EXPECT_EQ(server.stop(), 0) << server.log();
}

// A 414 on a keep-alive connection right after a routed request (so on the same server thread),
// and another on a fresh connection: both counted under "other", neither timed, and the access
// line gives no duration.
void expect_refused_requests_counted_not_timed(const fs::path& index, const fs::path& log,
                                               const std::vector<std::string>& flags,
                                               bool access_log) {
  ServeProcess server(index, log, flags);
  ASSERT_TRUE(server.wait_ready());
  {
    RawConnection c(server.port());
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_EQ(c.read_response(), 200);
    // Long enough that timing the 414 from the previous request would show (keep-alive is 5 s).
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_TRUE(c.send(overlong_request()));
    EXPECT_EQ(c.read_response(), 414);
  }
  {
    RawConnection c(server.port());
    ASSERT_TRUE(c.send(overlong_request()));
    EXPECT_EQ(c.read_response(), 414);
  }
  const std::string text = get_metrics(server.port());
  EXPECT_EQ(metric(text, R"(nexuskb_http_requests_total{route="other",status="414"})"), 2) << text;
  const double sum = metric(text, R"(nexuskb_http_request_duration_seconds_sum{route="other"})");
  const double count =
      metric(text, R"(nexuskb_http_request_duration_seconds_count{route="other"})");
  EXPECT_GE(sum, 0) << "no histogram for route other:\n" << text;
  EXPECT_LT(sum, 60) << "a refused request was timed";
  EXPECT_EQ(count, 0) << "a request refused before routing was timed (sum " << sum << " s)";
  EXPECT_EQ(metric(text, R"(nexuskb_http_requests_total{route="/healthz",status="200"})"), 1);
  if (access_log) {
    ASSERT_TRUE(wait_for_log_line(server, " 414 -")) << server.log();
    int refused = 0;
    for (const std::string& line : lines_of(server.log())) refused += line.ends_with(" 414 -");
    EXPECT_EQ(refused, 2) << server.log();
  }
  EXPECT_EQ(server.stop(), 0) << server.log();
}

TEST_F(AccessLog, RefusedRequestIsCountedButNotTimed) {
  expect_refused_requests_counted_not_timed(*index_, dir_->path() / "refused.log", {}, true);
}

// The same without the access log: the server must still not time a refused request from the
// routing of the previous request on its thread.
TEST_F(AccessLog, RefusedRequestIsNotTimedWithoutTheAccessLog) {
  expect_refused_requests_counted_not_timed(*index_, dir_->path() / "refused-quiet.log",
                                            {"--no-access-log"}, false);
}

}  // namespace
}  // namespace nexuskb
