// Connection settings shared by nexuskb-serve and the benchmark servers: a connection pool that
// grows on demand, socket options, timeouts.
#include "server/connection_settings.h"

#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nexuskb {
namespace {

constexpr int kListenBacklog = 1024;

// A TaskQueue whose threads are started when every existing one is busy, up to a maximum; past it
// connections queue. Threads are kept once started (an idle thread costs a sleeping stack).
class ConnectionPool : public httplib::TaskQueue {
 public:
  explicit ConnectionPool(size_t max_threads) : max_threads_(std::max<size_t>(1, max_threads)) {}
  ~ConnectionPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { work(); });
    } else {
      ready_.notify_one();
    }
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, and nothing left to serve
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  const size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace

void configure_connections(httplib::Server& http, const ConnectionLimits& limits,
                           int& listen_socket) {
  const size_t max = static_cast<size_t>(std::max(1, limits.max_connections));
  http.new_task_queue = [max] { return new ConnectionPool(max); };
  // Without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms to every keep-alive response.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(limits.keep_alive_requests);
  http.set_keep_alive_timeout(limits.keep_alive_seconds);
  http.set_read_timeout(limits.read_timeout_seconds, 0);
  http.set_write_timeout(limits.write_timeout_seconds, 0);
  int* socket_out = &listen_socket;
  http.set_socket_options([socket_out](socket_t sock) {
    // Not httplib::default_socket_options, which also sets SO_REUSEPORT.
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *socket_out = sock;
  });
}

void raise_listen_backlog(int listen_socket) {
  // cpp-httplib listens with a backlog of 5: a burst of connections overflows it (the kernel then
  // falls back to SYN cookies and resets). Listening again on the bound socket raises it.
  if (listen_socket >= 0) ::listen(listen_socket, kListenBacklog);
}

}  // namespace nexuskb
