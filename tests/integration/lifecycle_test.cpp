// The nexuskb-serve program as a process: readiness, a clear start-up error, graceful SIGTERM.
// (Reloading on a switched index link is covered in-process by reindex_test.cpp.)
#include <signal.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/raw_connection.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using testing::build_index;
using testing::RawConnection;
using testing::ServeProcess;
using testing::source_path;
using testing::TempDir;

TEST(Lifecycle, MissingIndexIsAClearMessageNotACrash) {
  TempDir tmp;
  ServeProcess server(tmp.path() / "missing", tmp.path() / "log");
  EXPECT_EQ(server.wait_exit(10), 1);
  EXPECT_NE(server.log().find("no index at"), std::string::npos) << server.log();
}

// A request the server has started reading when SIGTERM arrives is answered in full, then the
// process exits 0 and no longer accepts connections. The request is surely in flight: its
// headers are half sent before the signal and finished after it.
TEST(Lifecycle, SigtermFinishesInFlightRequestsAndExitsZero) {
  TempDir tmp;
  const fs::path index = build_index(source_path("tests/fixtures/content"), tmp.path());
  ServeProcess server(index, tmp.path() / "log");
  ASSERT_TRUE(server.wait_ready());

  RawConnection in_flight(server.port());
  ASSERT_TRUE(in_flight.ok());
  ASSERT_TRUE(in_flight.send("GET /api/v1/search?q=corruption HTTP/1.1\r\nHost: test\r\n"));
  // Whole-request searches keep running beside it until the server stops accepting.
  std::atomic<int> answered{0}, failed{0};
  std::atomic<bool> signalled{false};
  std::thread load([&] {
    httplib::Client c("127.0.0.1", server.port());
    c.set_connection_timeout(1);
    c.set_read_timeout(5);
    for (int i = 0; i < 200; ++i) {
      auto res = c.Get("/api/v1/search?q=border");
      if (!res) {
        // Refused before SIGTERM would be a fault; after it, the end of accepting.
        if (!signalled) ++failed;
        break;
      }
      res->status == 200 ? ++answered : ++failed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  signalled = true;
  ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(server.running()) << "exited with a request half read:\n" << server.log();
  ASSERT_TRUE(in_flight.send("\r\n"));
  std::string head, body;
  EXPECT_EQ(in_flight.read_response(&head, &body), 200) << head;
  EXPECT_TRUE(nlohmann::json::accept(body)) << body.substr(0, 200);
  EXPECT_NE(head.find("Connection: close"), std::string::npos) << head;
  load.join();
  EXPECT_EQ(server.wait_exit(10), 0) << server.log();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  httplib::Client after("127.0.0.1", server.port());
  after.set_connection_timeout(1);
  EXPECT_FALSE(after.Get("/healthz")) << "still accepting after exit";
}

}  // namespace
}  // namespace nexuskb
