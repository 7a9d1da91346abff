// nexuskb-serve: parse flags, open the index, serve until SIGTERM/SIGINT; SIGHUP reloads.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "server/http_server.h"

int main(int argc, char** argv) {
  nexuskb::ServerConfig config;
  std::string listen = "127.0.0.1:8080";
  CLI::App app{"Serve the nexuskb knowledge base over HTTP (JSON API and HTML pages)"};
  app.add_option("--index", config.index_path, "index path (directory, symlink or stub file)")
      ->capture_default_str();
  app.add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  config.threads = std::max(2u, std::thread::hardware_concurrency());
  app.add_option("--threads", config.threads,
                 "search workers: requests reading the index at once (default: cores, at least 2)")
      ->capture_default_str()
      ->check(CLI::Range(1, 512));
  app.add_option("--max-connections", config.max_connections,
                 "connections served at once, idle keep-alive ones included")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--busy-wait-ms", config.busy_wait_ms,
                 "how long a request waits for a search worker before it gets 503 Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(1, 60000));
  size_t cache_mb = config.cache_bytes >> 20;
  app.add_option("--cache-mb", cache_mb, "memory for cached search responses (0: no cache)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65536));
  app.add_option("--templates", config.templates_dir, "templates and static assets")
      ->capture_default_str();
  app.add_flag("--log-queries", config.log_queries, "include query strings in the access log");
  app.add_flag("!--no-access-log", config.access_log,
               "do not write an access log line per request");
  try {
    app.parse(argc, argv);
    config.cache_bytes = cache_mb << 20;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::cerr << "nexuskb-serve: --listen must be HOST:PORT\n";
    return 2;
  }
  config.host = listen.substr(0, colon);
  try {
    config.port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    std::cerr << "nexuskb-serve: bad port in --listen\n";
    return 2;
  }

  // A remote shard or client closing its socket must give EPIPE, not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Signals are taken by a dedicated thread so that handlers do no work in signal context.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<nexuskb::HttpServer> server;
  try {
    server = std::make_unique<nexuskb::HttpServer>(config);
  } catch (const std::exception& e) {
    std::cerr << "nexuskb-serve: " << e.what() << "\n";
    return 1;
  }
  const int port = server->bind();
  if (port < 0) {
    std::cerr << "nexuskb-serve: cannot listen on " << listen << "\n";
    return 1;
  }
  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      sigwait(&signals, &sig);
      if (sig == SIGHUP) {
        server->reload_index();
        continue;
      }
      server->stop();  // stops accepting; in-flight requests finish
      return;
    }
  });
  std::clog << "nexuskb-serve: listening on http://" << config.host << ":" << port << "/\n";
  const bool ok = server->listen();
  if (signal_thread.joinable()) {
    if (ok) {
      signal_thread.join();
    } else {
      signal_thread.detach();
    }
  }
  return ok ? 0 : 1;
}
