// SIGHUP reloads the index in the real nexuskb-serve, five times in a row.
//
// Why the earlier end-to-end test (removed in 15e63d8) was flaky, as far as its code shows:
// - It polled /readyz for at most 5 s and then sent SIGHUP whether or not the server had ever
//   answered. Until nexuskb-serve has blocked SIGHUP for its signal thread, SIGHUP has its
//   default action and terminates the process: a server slow to start under load was killed,
//   and no reload was ever logged.
// - It took its port from a "free port" probe; under parallel ctest another test's server could
//   take the same port first, and with SO_REUSEPORT (then set on every listening socket) both
//   binds succeeded and the kernel shared the connections between the two processes, so the
//   test could read readiness and answers from the wrong server.
// This test lets the server pick its port (--listen 127.0.0.1:0), reads it from the complete
// "listening on" line, waits for /readyz to answer 200 (the signal mask is set before the
// socket is bound), and only then signals; each round checks that the process is still alive.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "indexer/indexer.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::binary;
using testing::run_index;
using testing::search_total;
using testing::ServeProcess;
using testing::slurp;
using testing::source_path;
using testing::TempDir;
using testing::write_marker_corpus;

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Sighup, ReloadsANewIndexFiveTimes) {
  TempDir tmp;
  const fs::path content = tmp.path() / "content";
  const fs::path index = tmp.path() / "index";
  write_marker_corpus(content, "zebrawood");
  ASSERT_EQ(run_index(content, index), 0);
  ServeProcess server(index, tmp.path() / "serve.log", {});
  ASSERT_TRUE(server.wait_ready());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  ASSERT_EQ(search_total(client, "zebrawood"), 1);

  const std::vector<std::string> words = {"walrusbay", "pelicanrock", "jaguarpass", "narwhalcove",
                                          "ocelotglen"};
  std::string previous = "zebrawood";
  std::chrono::milliseconds total_wait{0};
  for (size_t round = 0; round < words.size(); ++round) {
    const std::string& word = words[round];
    write_marker_corpus(content, word);
    ASSERT_EQ(run_index(content, index), 0) << "round " << round;
    ASSERT_TRUE(server.running()) << "round " << round << ":\n" << server.log();
    ASSERT_EQ(::kill(server.pid(), SIGHUP), 0);
    const auto signalled = Clock::now();
    int total = -1;
    while ((total = search_total(client, word)) != 1 &&
           Clock::now() - signalled < std::chrono::seconds(2)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
    ASSERT_TRUE(server.running()) << "SIGHUP ended the server in round " << round << ":\n"
                                  << server.log();
    EXPECT_EQ(total, 1) << "round " << round << ": the new index did not answer within 2 s\n"
                        << server.log();
    EXPECT_EQ(search_total(client, previous), 0) << "round " << round << ": the old index answers";
    std::cout << "[          ] round " << round << ": new index answering after " << took.count()
              << " ms\n";
    previous = word;
    total_wait += took;
  }
  // The watcher also looks for a new index once a second, so each round alone would pass
  // without SIGHUP; five rounds would then wait about 2.5 s in all (under 1 s with a chance
  // of 1 in 120). SIGHUP reloads at once.
  EXPECT_LT(total_wait, std::chrono::seconds(1))
      << "the new index took " << total_wait.count() << " ms in all to answer after SIGHUP";

  // A burst of SIGHUPs with nothing new to load: the server stays up, on the same index.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(::kill(server.pid(), SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(server.running()) << server.log();
  EXPECT_EQ(search_total(client, words.back()), 1);

  // One switch per build, whoever (SIGHUP or the once-a-second watcher) saw it first.
  EXPECT_EQ(count_of(server.log(), "index: now serving"), static_cast<int>(words.size()))
      << server.log();
  EXPECT_EQ(count_of(server.log(), "kept the current index"), 0) << server.log();
  EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace
}  // namespace nexuskb
