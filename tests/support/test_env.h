// Shared test set-up: fixture paths, temporary directories, a fixture index, a running server.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "core/taxonomy.h"
#include "server/http_server.h"

namespace nexuskb::testing {

// Paths inside the source tree (NEXUSKB_SOURCE_DIR is set by CMake).
std::filesystem::path source_path(const std::string& relative);

// The taxonomy of tests/fixtures/content, loaded once; throws if it does not load.
const Taxonomy& fixture_taxonomy();

// A fresh directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Indexes `content_dir` into `<dir>/index` with the real indexer; returns the index path.
// Fails the current test (ADD_FAILURE) when the indexer does not exit 0.
std::filesystem::path build_index(const std::filesystem::path& content_dir,
                                  const std::filesystem::path& dir);

// Indexes `content_dir` into `out` (the path the indexer publishes); returns its exit code.
int run_index(const std::filesystem::path& content_dir, const std::filesystem::path& out);

// Copies the fixture corpus into `dir` (replacing it) and adds one item, fx-marker, holding
// `word`: builds that differ by one searchable word (keep the words far apart, so that no
// spelling correction turns one into another).
void write_marker_corpus(const std::filesystem::path& dir, const std::string& word);

// The total of GET /api/v1/search?q=<q>, or -1 when the server did not answer 200.
int search_total(httplib::Client& client, const std::string& q);

// The real HttpServer on an ephemeral loopback port, serving in a background thread.
class RunningServer {
 public:
  explicit RunningServer(const std::filesystem::path& index_path, int reload_check_ms = 0);
  ~RunningServer();
  int port() const { return port_; }
  httplib::Client client() const;
  HttpServer& server() { return *server_; }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = -1;
};

// A test suite sharing one real server on the fixture index (tests/fixtures/content), started
// once per suite. Derived suites use server_->client() or server_->port().
class FixtureServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static TempDir* dir_;
  static RunningServer* server_;
};

}  // namespace nexuskb::testing
