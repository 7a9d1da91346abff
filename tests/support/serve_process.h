// The real nexuskb-serve binary as a child process, for tests of what only a process shows:
// signals, exit codes, stderr (the access log), connection handling under load.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nexuskb::testing {

// A built program: $NEXUSKB_BIN/<name> (CMake sets it for ctest), else build/<name>.
std::filesystem::path binary(const std::string& name);

// The whole content of a file ("" when it cannot be read).
std::string slurp(const std::filesystem::path& path);

// nexuskb-serve listening on an ephemeral loopback port (--listen 127.0.0.1:0: no race for a
// "free" port), its stderr in `log`, `extra` appended to its arguments. Stopped with SIGTERM
// (SIGKILL after 10 s) when the object dies.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& index, const std::filesystem::path& log,
               const std::vector<std::string>& extra = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Waits (at most 30 s) for the complete "listening on http://127.0.0.1:PORT/" line, then for
  // /readyz to answer 200.
  ::testing::AssertionResult wait_ready();
  // The exit code once the process has ended by itself within `seconds` (128 + signal when
  // killed); -1 when it was still running and had to be SIGKILLed.
  int wait_exit(int seconds);

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  bool running();
  // SIGTERM, then the exit code (128 + signal when killed; -1 when it had to be SIGKILLed).
  int stop();
  std::string log() const { return slurp(log_); }

 private:
  static constexpr int kRunning = -1000;
  pid_t pid_ = -1;
  std::filesystem::path log_;
  int port_ = -1;
  int exit_code_ = kRunning;
};

}  // namespace nexuskb::testing
