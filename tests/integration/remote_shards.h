// Test helpers for sharded indexes: the shipped corpus built as one index and as shards, and
// xapian-tcpsrv processes serving shards on loopback that a test can stop and start again.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/indexer.h"
#include "tests/support/test_env.h"

namespace nexuskb::testing {

inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline bool port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// One xapian-tcpsrv serving a database on a loopback port. It runs in its own process group:
// xapian-tcpsrv answers SIGTERM by signalling its whole group, so it is stopped by its PID and
// takes the children it forked per connection with it, never the test.
class XapianTcpsrv {
 public:
  // `options`: more xapian-tcpsrv options, e.g. {"--idle-timeout", "300"}.
  explicit XapianTcpsrv(std::filesystem::path db, std::vector<std::string> options = {})
      : db_(std::move(db)), options_(std::move(options)), port_(free_loopback_port()) {
    start();
  }
  ~XapianTcpsrv() { stop(); }
  XapianTcpsrv(const XapianTcpsrv&) = delete;
  XapianTcpsrv& operator=(const XapianTcpsrv&) = delete;

  // Starts serving on the same port as before; true once the port accepts connections.
  bool start() {
    if (pid_ > 0) return true;
    const std::string port = std::to_string(port_);
    std::vector<std::string> args{"xapian-tcpsrv", "--quiet", "--interface",
                                  "127.0.0.1",     "--port",  port};
    args.insert(args.end(), options_.begin(), options_.end());
    args.push_back(db_.string());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      // It reports every client that disconnects on stdout; keep the test's output readable.
      if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, STDOUT_FILENO);
      ::execvp("xapian-tcpsrv", argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 400; ++i) {
      if (port_open(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);  // by PID: the server then signals its own group (its children)
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Freezes (SIGSTOP) or thaws (SIGCONT) the server and its per-connection children: a shard
  // that accepts connections but never answers.
  void signal_group(int sig) const {
    if (pid_ > 0) ::kill(-pid_, sig);
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::filesystem::path db_;
  std::vector<std::string> options_;
  int port_;
  pid_t pid_ = -1;
};

// The shipped corpus (content/) indexed once as one database and once as two shards.
struct ShardedCorpus {
  std::filesystem::path single, sharded;  // sharded: a folder with shard-0, shard-1, meta/
};

inline ShardedCorpus build_sharded_corpus(const std::filesystem::path& dir) {
  std::ostringstream out, err;
  const std::string content = source_path("content").string();
  EXPECT_EQ(run_indexer({.content_dir = content, .out = (dir / "single").string()}, out, err), 0)
      << err.str();
  EXPECT_EQ(run_indexer({.content_dir = content, .out = (dir / "sharded").string(), .shards = 2},
                        out, err),
            0)
      << err.str();
  return {std::filesystem::canonical(dir / "single"), std::filesystem::canonical(dir / "sharded")};
}

// A stub file listing `shards` as remote databases, with the local meta database of `built`.
inline std::filesystem::path write_remote_stub(const std::filesystem::path& stub,
                                               const std::filesystem::path& built,
                                               const std::vector<const XapianTcpsrv*>& shards) {
  std::ofstream out(stub);
  out << "# nexuskb-meta " << (built / "meta").string() << "\n";
  for (const XapianTcpsrv* s : shards) out << "remote " << s->address() << "\n";
  return stub;
}

}  // namespace nexuskb::testing
