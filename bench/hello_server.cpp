// The ceiling of the HTTP stack: a hello-world cpp-httplib server configured exactly like
// nexuskb-serve (TCP_NODELAY, a fixed thread pool, long keep-alive, same timeouts). It answers
// every GET path, so wrk can send it the very same request lines as the search API.
//
//   bench_hello_server [--listen 127.0.0.1:PORT] [--threads 32]
#include <iostream>
#include <string>

#include <httplib.h>

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
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000);
  svr.set_keep_alive_timeout(5);
  svr.set_read_timeout(5, 0);
  svr.set_write_timeout(5, 0);
  svr.Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Hello, World!", "text/plain");
  });
  std::clog << "hello_server: listening on http://" << host << ":" << port << "/\n";
  return svr.listen(host, port) ? 0 : 1;
}
