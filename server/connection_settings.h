// How nexuskb-serve handles connections, in one place so that the benchmark's hello-world and
// SQLite servers (bench/) measure exactly the same HTTP stack.
#pragma once

#include <httplib.h>

namespace nexuskb {

// A fixed pool of `threads` workers, TCP_NODELAY, keep-alive for up to 1,000 requests or 5 s
// idle, 5 s read and write timeouts. `listen_socket` receives the listening socket when cpp-httplib
// creates it (for raise_listen_backlog) and must outlive `http`.
void configure_connections(httplib::Server& http, int threads, int& listen_socket);

// Raises the backlog of a bound listening socket from cpp-httplib's 5 to 1,024. Call between
// bind_to_port and listen_after_bind; does nothing for a negative socket.
void raise_listen_backlog(int listen_socket);

}  // namespace nexuskb
