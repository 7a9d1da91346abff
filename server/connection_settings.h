// How nexuskb-serve handles connections, in one place so that the benchmark's hello-world server
// (bench/) measures exactly the same HTTP stack.
//
// cpp-httplib (0.11) gives each connection a task-queue thread for its whole life, idle keep-alive
// time and slowly sent headers included. So connections get their own pool, which grows on demand
// up to `max_connections` threads: idle and slow clients hold cheap, sleeping threads instead of
// the workers that search. The CPU-bound work is bounded separately (server/search_gate.h).
#pragma once

#include <httplib.h>

namespace nexuskb {

struct ConnectionLimits {
  int max_connections = 256;   // connection threads; more connections wait to be accepted
  int keep_alive_seconds = 5;  // an idle keep-alive connection is closed after this
  int keep_alive_requests = 1000;
  int read_timeout_seconds = 5;  // per read: a client silent this long is dropped
  int write_timeout_seconds = 5;
};

// Applies `limits`, TCP_NODELAY and SO_REUSEADDR (never SO_REUSEPORT: a second server on the
// same port must fail to start, not silently take half the connections). `listen_socket`
// receives the listening socket when cpp-httplib creates it (for raise_listen_backlog) and must
// outlive `http`.
void configure_connections(httplib::Server& http, const ConnectionLimits& limits,
                           int& listen_socket);

// Raises the backlog of a bound listening socket from cpp-httplib's 5 to 1,024. Call between
// bind_to_port and listen_after_bind; does nothing for a negative socket.
void raise_listen_backlog(int listen_socket);

}  // namespace nexuskb
