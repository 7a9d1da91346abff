// What each fuzz target does with one input, shared by the libFuzzer targets and by the
// regression test that replays every saved crash input (tests/unit/fuzz_regression_test.cpp).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "core/taxonomy.h"
#include "server/index_snapshot.h"

namespace nexuskb {
class HttpServer;
}

namespace nexuskb::fuzz {

Taxonomy fixture_taxonomy();  // tests/fixtures/content/taxonomy.yaml
void front_matter(const Taxonomy& taxonomy, const std::string& input);
void markdown(const std::string& input);  // aborts if raw HTML reaches the output

// A fixture index built once into a temporary folder; run() treats the input as a query string
// ("q=...&actor=...") and searches with it when it parses.
class FixtureSearch {
 public:
  FixtureSearch();
  ~FixtureSearch();
  void run(const std::string& query_string);

 private:
  std::string dir_;
  std::unique_ptr<IndexHandle> index_;
};

// The real server on the fixture index, listening on a loopback port; run() sends the input as raw
// bytes on a new connection (so cpp-httplib parses it as it would a client's), reads what comes
// back until the server falls quiet, and closes. Aborts when the server answers 500 (an unhandled
// fault) or when a new connection's /healthz is not answered 200 within 10 s (it stopped serving).
class FixtureServer {
 public:
  FixtureServer();
  ~FixtureServer();
  void run(const std::string& raw_request);

 private:
  // Sends the bytes, then reads until end of file, until nothing came for `first_byte_ms`, or
  // until the answer paused for `quiet_ms`.
  std::string exchange(const std::string& raw_request, int first_byte_ms, int quiet_ms) const;

  std::string dir_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace nexuskb::fuzz
