// The real nexuskb-serve under connection pressure: idle keep-alive and slow-header connections
// (twice the search workers of each) do not keep a new client from being served within a second;
// when every search worker stays busy, requests get 503 with Retry-After and an error body.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

class ConnectionLimits : public ::testing::Test {
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
TempDir* ConnectionLimits::dir_ = nullptr;
fs::path* ConnectionLimits::index_ = nullptr;

// --threads 2: four idle keep-alive connections (one request each, then left open) and four
// clients sending one header line every 500 ms. A new client's search is answered within 1 s.
TEST_F(ConnectionLimits, IdleAndSlowConnectionsDoNotStarveANewClient) {
  ServeProcess server(*index_, dir_->path() / "limits.log", {"--threads", "2"});
  ASSERT_TRUE(server.wait_ready());
  const int port = server.port();

  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 4; ++i) {
    auto c = std::make_unique<RawConnection>(port);
    ASSERT_TRUE(c->ok());
    ASSERT_TRUE(c->send("GET /api/v1/search?q=corruption HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_EQ(c->read_response(), 200) << "idle connection " << i;
    idle.push_back(std::move(c));  // kept open: keep-alive, no further request for now
  }

  // Slow senders: a request line, then a header line every 500 ms (8 lines, 4 s), then the end
  // of the headers; each must still get its answer.
  constexpr int kSlow = 4;
  std::atomic<int> slow_started{0};
  std::vector<int> slow_status(kSlow, -1);
  std::vector<std::thread> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.emplace_back([&, i] {
      RawConnection c(port);
      if (!c.ok() || !c.send("GET /api/v1/search?q=hawala HTTP/1.1\r\n")) return;
      ++slow_started;
      for (int line = 0; line < 8; ++line) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        if (!c.send("X-Slow-" + std::to_string(line) + ": yes\r\n")) return;
      }
      if (!c.send("Host: t\r\n\r\n")) return;
      slow_status[i] = c.read_response();
    });
  }
  for (int i = 0; i < 100 && slow_started < kSlow; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(slow_started.load(), kSlow);
  // Let the slow clients send a header line or two: all eight connections are now mid-way.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));

  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  const auto started = Clock::now();
  auto res = client.Get("/api/v1/search?q=money&per_page=5");
  const auto took = Clock::now() - started;
  ASSERT_TRUE(res) << "no answer: " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body).value("page", 0), 1);
  EXPECT_LT(took, std::chrono::seconds(1))
      << "a new client waited "
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";

  // The idle connections were really held open all along (keep-alive is 5 s): each still
  // answers a second request.
  for (size_t i = 0; i < idle.size(); ++i) {
    ASSERT_TRUE(idle[i]->send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(idle[i]->read_response(), 200) << "idle connection " << i << " was dropped early";
    idle[i]->close();
  }
  for (std::thread& t : slow) t.join();
  for (int i = 0; i < kSlow; ++i) EXPECT_EQ(slow_status[i], 200) << "slow client " << i;
  EXPECT_EQ(server.stop(), 0) << server.log();
}

// --threads 1 --busy-wait-ms 1 and forty concurrent searches (API and HTML): each answer is a 200
// or a well-formed 503 (Retry-After, an error body saying "busy"); nothing else, and the server
// still answers afterwards. Whether any request finds the only worker busy depends on timing: a
// run without a 503 is not a failure, a malformed 503 (or any other answer) is.
TEST_F(ConnectionLimits, EveryWorkerBusyGivesAWellFormed503) {
  ServeProcess server(*index_, dir_->path() / "busy.log",
                      {"--threads", "1", "--busy-wait-ms", "1", "--no-access-log"});
  ASSERT_TRUE(server.wait_ready());
  const int port = server.port();

  constexpr int kRequests = 40;
  struct Outcome {
    bool answered = false;
    int status = 0;
    std::string retry_after, content_type, body;
  };
  std::vector<Outcome> outcomes(kRequests);
  std::latch start(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port);
      c.set_connection_timeout(5);
      c.set_read_timeout(10);
      // Distinct requests (per_page differs) so that none is answered from the cache; every
      // fourth one is the HTML page.
      const std::string q = "q=a*%20b*%20c*%20d*%20e*&per_page=" + std::to_string(60 + i);
      const std::string path = (i % 4 == 3 ? "/search?" : "/api/v1/search?") + q;
      start.arrive_and_wait();
      auto res = c.Get(path.c_str());
      if (!res) return;
      outcomes[i] = {true, res->status, res->get_header_value("Retry-After"),
                     res->get_header_value("Content-Type"), res->body};
    });
  }
  for (std::thread& t : threads) t.join();

  int ok = 0, busy = 0;
  for (int i = 0; i < kRequests; ++i) {
    const Outcome& o = outcomes[i];
    const bool html = i % 4 == 3;
    ASSERT_TRUE(o.answered) << "request " << i << " got no answer";
    if (o.status == 200) {
      ++ok;
      continue;
    }
    ASSERT_EQ(o.status, 503) << "request " << i << ": " << o.body;
    ++busy;
    EXPECT_FALSE(o.retry_after.empty()) << "503 without Retry-After";
    int seconds = 0;
    EXPECT_TRUE(!o.retry_after.empty() && std::all_of(o.retry_after.begin(), o.retry_after.end(),
                                                      [](char c) { return std::isdigit(c); }))
        << "Retry-After: '" << o.retry_after << "'";
    if (!o.retry_after.empty()) seconds = std::stoi(o.retry_after);
    EXPECT_GE(seconds, 1);
    if (html) {
      EXPECT_NE(o.content_type.find("text/html"), std::string::npos) << o.content_type;
      continue;
    }
    EXPECT_NE(o.content_type.find("application/json"), std::string::npos) << o.content_type;
    const auto body = nlohmann::json::parse(o.body, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(body.is_object()) << o.body;
    ASSERT_TRUE(body.contains("error") && body["error"].is_object()) << o.body;
    EXPECT_EQ(body["error"].value("code", ""), "busy") << o.body;
    EXPECT_FALSE(body["error"].value("message", "").empty()) << o.body;
  }
  EXPECT_EQ(ok + busy, kRequests);
  std::cout << "[          ] " << ok << " answered, " << busy << " busy (503)\n";

  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(5);
  after.set_read_timeout(5);
  auto health = after.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto search = after.Get("/api/v1/search?q=hawala");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200) << "the worker slot was not given back";
  EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace
}  // namespace nexuskb
