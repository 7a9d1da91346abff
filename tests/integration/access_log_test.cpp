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

#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::build_index;
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

// A loopback TCP connection with 5 s send and receive timeouts; closed when the object dies.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
  }
  ~RawConnection() { close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send(std::string_view data) {
    while (!data.empty() && fd_ >= 0) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return data.empty();
  }
  // One response: its status (0 when none came) and headers; the body is read and dropped.
  int read_response(std::string* head_out = nullptr) {
    std::string data;
    char buf[4096];
    size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return 0;
      data.append(buf, static_cast<size_t>(n));
    }
    const std::string head = data.substr(0, head_end + 4);
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      if (auto at = head.find(name); at != std::string::npos)
        length = std::stoul(head.substr(at + std::strlen(name)));
    }
    while (data.size() < head_end + 4 + length) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return 0;
      data.append(buf, static_cast<size_t>(n));
    }
    if (head_out) *head_out = head;
    if (head.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::stoi(head.substr(9, 3));
  }

 private:
  int fd_ = -1;
};

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
