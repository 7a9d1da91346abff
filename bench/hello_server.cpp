// The ceiling of the HTTP stack: a hello-world cpp-httplib server with nexuskb-serve's own
// connection settings (server/connection_settings.h). It answers
// every GET path, so wrk can send it the very same request lines as the search API.
//
//   bench_hello_server [--listen 127.0.0.1:PORT] [--threads 32]
#include <iostream>
#include <string>

#include <httplib.h>

#include "server/connection_settings.h"

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 18090, threads = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--listen") {
      host = v.substr(0, v.rfind(':'));
      port = std::stoi(v.substr(v.rfind(':') + 1));
    } else if (a == "--threads") {
      threads = std::stoi(v);
    }
  }
  httplib::Server svr;
  int listen_socket = -1;
  nexuskb::configure_connections(svr, nexuskb::ConnectionLimits{.max_connections = threads}, listen_socket);
  svr.Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Hello, World!", "text/plain");
  });
  if (!svr.bind_to_port(host, port)) return 1;
  nexuskb::raise_listen_backlog(listen_socket);
  std::clog << "hello_server: listening on http://" << host << ":" << port << "/\n";
  return svr.listen_after_bind() ? 0 : 1;
}
