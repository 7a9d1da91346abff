// Connection settings shared by nexuskb-serve and the benchmark servers.
#include "server/connection_settings.h"

#include <sys/socket.h>

#include <algorithm>

namespace nexuskb {
namespace {

constexpr int kListenBacklog = 1024;

}  // namespace

void configure_connections(httplib::Server& http, int threads, int& listen_socket) {
  threads = std::max(1, threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms to every keep-alive response.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(5, 0);
  http.set_write_timeout(5, 0);
  int* socket_out = &listen_socket;
  http.set_socket_options([socket_out](socket_t sock) {
    httplib::default_socket_options(sock);
    *socket_out = sock;
  });
}

void raise_listen_backlog(int listen_socket) {
  // cpp-httplib listens with a backlog of 5: a burst of connections overflows it (the kernel then
  // falls back to SYN cookies and resets). Listening again on the bound socket raises it.
  if (listen_socket >= 0) ::listen(listen_socket, kListenBacklog);
}

}  // namespace nexuskb
