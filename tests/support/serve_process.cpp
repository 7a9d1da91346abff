#include "tests/support/serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include <httplib.h>

#include "tests/support/test_env.h"

namespace nexuskb::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path binary(const std::string& name) {
  const char* dir = std::getenv("NEXUSKB_BIN");
  return fs::path(dir ? dir : "build") / name;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

ServeProcess::ServeProcess(const fs::path& index, const fs::path& log,
                           const std::vector<std::string>& extra)
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

ServeProcess::~ServeProcess() {
  stop();
}

::testing::AssertionResult ServeProcess::wait_ready() {
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

bool ServeProcess::running() {
  if (exit_code_ != kRunning) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

int ServeProcess::wait_exit(int seconds) {
  for (int i = 0; i < seconds * 20 && running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exit_code_ = -1;
  }
  return exit_code_;
}

int ServeProcess::stop() {
  if (pid_ <= 0 || !running()) return exit_code_;
  ::kill(pid_, SIGTERM);
  return wait_exit(10);
}

}  // namespace nexuskb::testing
