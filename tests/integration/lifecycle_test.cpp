// The nexuskb-serve program as a process: readiness, a clear start-up error, graceful SIGTERM.
// (Reloading on a switched index link is covered in-process by reindex_test.cpp.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using testing::build_index;
using testing::source_path;
using testing::TempDir;

fs::path binary(const std::string& name) {
  const char* dir = std::getenv("NEXUSKB_BIN");
  return fs::path(dir ? dir : "build") / name;
}

struct Process {
  pid_t pid = -1;
  fs::path log;
};

Process start_server(const fs::path& index, int port, const fs::path& log) {
  Process p{::fork(), log};
  if (p.pid == 0) {
    std::freopen(log.c_str(), "w", stderr);
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    const std::string templates = source_path("templates").string();
    ::execl(binary("nexuskb-serve").c_str(), "nexuskb-serve", "--index", index.c_str(), "--listen",
            listen.c_str(), "--templates", templates.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return p;
}

int wait_exit(pid_t pid, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A port free now: bound to port 0, read back, closed. (An httplib::Server probe kept its
// listening socket open until destroyed, and the server, which no longer sets SO_REUSEPORT, could
// not listen on the port while the probe held it.)
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

httplib::Client client_for(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  client.set_read_timeout(5);
  return client;
}

bool wait_until_ready(httplib::Client& client) {
  for (int i = 0; i < 100; ++i) {
    auto res = client.Get("/readyz");
    if (res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(Lifecycle, MissingIndexIsAClearMessageNotACrash) {
  TempDir tmp;
  Process p = start_server(tmp.path() / "missing", free_port(), tmp.path() / "log");
  EXPECT_EQ(wait_exit(p.pid, 10), 1);
  EXPECT_NE(slurp(p.log).find("no index at"), std::string::npos) << slurp(p.log);
}

TEST(Lifecycle, SigtermFinishesInFlightRequestsAndExitsZero) {
  TempDir tmp;
  const fs::path index = build_index(source_path("tests/fixtures/content"), tmp.path());
  const int port = free_port();
  Process p = start_server(index, port, tmp.path() / "log");
  httplib::Client client = client_for(port);
  ASSERT_TRUE(wait_until_ready(client)) << slurp(p.log);
  std::atomic<int> failures{0};
  std::thread load([&] {
    httplib::Client c = client_for(port);
    // Until the server is gone: every answer it gives must be complete and successful.
    for (int i = 0; i < 50; ++i) {
      auto res = c.Get("/api/v1/search?q=corruption");
      if (!res) break;  // stopped accepting
      if (res->status != 200) ++failures;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(p.pid, SIGTERM);
  load.join();
  EXPECT_EQ(wait_exit(p.pid, 10), 0) << slurp(p.log);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_FALSE(client.Get("/healthz")) << "still accepting after SIGTERM";
}

}  // namespace
}  // namespace nexuskb
