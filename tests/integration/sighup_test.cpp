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
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::source_path;
using testing::TempDir;

fs::path binary(const std::string& name) {
  const char* dir = std::getenv("NEXUSKB_BIN");
  return fs::path(dir ? dir : "build") / name;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// nexuskb-serve as a child process listening on an ephemeral loopback port (--listen
// 127.0.0.1:0: no race for a "free" port), its stderr in `log`. Stopped with SIGTERM (SIGKILL
// after 10 s) when the object dies.
class ServeProcess {
 public:
  ServeProcess(const fs::path& index, const fs::path& log, const std::vector<std::string>& extra)
      : log_(log) {
    std::vector<std::string> args{"nexuskb-serve",
                                  "--index",
                                  index.string(),
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--templates",
                                  source_path("templates").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string program = binary("nexuskb-serve").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec (the test process has threads).
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) ::dup2(fd, 2);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
  }
  ~ServeProcess() { stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Waits (at most 30 s) for the complete "listening on http://127.0.0.1:PORT/" line, then for
  // /readyz to answer 200.
  ::testing::AssertionResult wait_ready() {
    const std::string marker = "listening on http://127.0.0.1:";
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (port_ < 0) {
      const std::string log = slurp(log_);
      if (auto at = log.find(marker); at != std::string::npos) {
        size_t end = at + marker.size();
        while (end < log.size() && std::isdigit(static_cast<unsigned char>(log[end]))) ++end;
        // Only a complete line: stderr is unbuffered, the line may be half written.
        if (end < log.size() && log[end] == '/' && end > at + marker.size()) {
          port_ = std::stoi(log.substr(at + marker.size(), end - at - marker.size()));
          break;
        }
      }
      if (!running()) return ::testing::AssertionFailure() << "exited early:\n" << slurp(log_);
      if (Clock::now() > deadline) return ::testing::AssertionFailure() << "no port:\n" << log;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(1);
    client.set_read_timeout(5);
    while (Clock::now() < deadline) {
      auto res = client.Get("/readyz");
      if (res && res->status == 200) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ::testing::AssertionFailure() << "never ready:\n" << slurp(log_);
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() {
    if (exit_code_ != kRunning) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  // SIGTERM, then the exit code (128 + signal when killed; -1 when it had to be SIGKILLed).
  int stop() {
    if (pid_ <= 0 || !running()) return exit_code_;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200 && running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (running()) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      exit_code_ = -1;
    }
    return exit_code_;
  }
  std::string log() const { return slurp(log_); }

 private:
  static constexpr int kRunning = -1000;
  pid_t pid_ = -1;
  fs::path log_;
  int port_ = -1;
  int exit_code_ = kRunning;
};

// Copies the fixture corpus and adds one item holding `word`, so that each build answers a
// search for its own word and no other build's (the words are far apart: no spelling
// correction turns one into another).
void write_corpus(const fs::path& dir, const std::string& word) {
  fs::remove_all(dir);
  fs::copy(source_path("tests/fixtures/content"), dir, fs::copy_options::recursive);
  std::ofstream(dir / "toolkit" / "fx-reload.en.md")
      << "---\nid: fx-reload\nlang: en\nkind: toolkit\n"
         "title: Reload marker\nsection: nexus-concept\n"
         "practices: [1]\nactors: [judiciary]\nregions: [global]\n"
         "source: {document: policy-toolkit, url: \"\"}\n"
         "verified: false\nsummary: Marker item.\n---\n"
         "## Marker\n\nThis build carries the word "
      << word << ".\n";
}

int build(const fs::path& content, const fs::path& out) {
  std::ostringstream o, e;
  return run_indexer({.content_dir = content.string(), .out = out.string()}, o, e);
}

// The total of a search for `word`, or -1 when the server did not answer 200.
int total_for(httplib::Client& client, const std::string& word) {
  auto res = client.Get(("/api/v1/search?q=" + word).c_str());
  if (!res || res->status != 200) return -1;
  return nlohmann::json::parse(res->body).value("total", -1);
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Sighup, ReloadsANewIndexFiveTimes) {
  TempDir tmp;
  const fs::path content = tmp.path() / "content";
  const fs::path index = tmp.path() / "index";
  write_corpus(content, "zebrawood");
  ASSERT_EQ(build(content, index), 0);
  ServeProcess server(index, tmp.path() / "serve.log", {});
  ASSERT_TRUE(server.wait_ready());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  ASSERT_EQ(total_for(client, "zebrawood"), 1);

  const std::vector<std::string> words = {"walrusbay", "pelicanrock", "jaguarpass", "narwhalcove",
                                          "ocelotglen"};
  std::string previous = "zebrawood";
  std::chrono::milliseconds total_wait{0};
  for (size_t round = 0; round < words.size(); ++round) {
    const std::string& word = words[round];
    write_corpus(content, word);
    ASSERT_EQ(build(content, index), 0) << "round " << round;
    ASSERT_TRUE(server.running()) << "round " << round << ":\n" << server.log();
    ASSERT_EQ(::kill(server.pid(), SIGHUP), 0);
    const auto signalled = Clock::now();
    int total = -1;
    while ((total = total_for(client, word)) != 1 &&
           Clock::now() - signalled < std::chrono::seconds(2)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
    ASSERT_TRUE(server.running()) << "SIGHUP ended the server in round " << round << ":\n"
                                  << server.log();
    EXPECT_EQ(total, 1) << "round " << round << ": the new index did not answer within 2 s\n"
                        << server.log();
    EXPECT_EQ(total_for(client, previous), 0) << "round " << round << ": the old index answers";
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
  EXPECT_EQ(total_for(client, words.back()), 1);

  // One switch per build, whoever (SIGHUP or the once-a-second watcher) saw it first.
  EXPECT_EQ(count_of(server.log(), "index: now serving"), static_cast<int>(words.size()))
      << server.log();
  EXPECT_EQ(count_of(server.log(), "kept the current index"), 0) << server.log();
  EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace
}  // namespace nexuskb
