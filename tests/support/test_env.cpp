// Test set-up helpers.
#include "tests/support/test_env.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "indexer/indexer.h"

namespace nexuskb::testing {
namespace fs = std::filesystem;

// As in nexuskb-serve: a peer that closes a socket (a remote shard, an HTTP client) must give
// EPIPE, not kill the process.
const bool kIgnoreSigpipe = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

fs::path source_path(const std::string& relative) {
  return fs::path(NEXUSKB_SOURCE_DIR) / relative;
}

const Taxonomy& fixture_taxonomy() {
  static const Taxonomy taxonomy = [] {
    auto t = Taxonomy::load_file(source_path("tests/fixtures/content/taxonomy.yaml").string());
    if (!t.ok()) throw std::runtime_error(t.errors().front().to_string());
    return t.value();
  }();
  return taxonomy;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ =
      fs::temp_directory_path() / ("nexuskb-test-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

fs::path build_index(const fs::path& content_dir, const fs::path& dir) {
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = content_dir.string(), .out = (dir / "index").string()};
  int code = run_indexer(config, out, err);
  EXPECT_EQ(code, 0) << err.str();
  return dir / "index";
}

int run_index(const fs::path& content_dir, const fs::path& out) {
  std::ostringstream o, e;
  const int code = run_indexer({.content_dir = content_dir.string(), .out = out.string()}, o, e);
  if (code != 0) std::cerr << e.str();
  return code;
}

void write_marker_corpus(const fs::path& dir, const std::string& word) {
  fs::remove_all(dir);
  fs::copy(source_path("tests/fixtures/content"), dir, fs::copy_options::recursive);
  std::ofstream(dir / "toolkit" / "fx-marker.en.md")
      << "---\nid: fx-marker\nlang: en\nkind: toolkit\n"
         "title: Build marker\nsection: nexus-concept\n"
         "practices: [1]\nactors: [judiciary]\nregions: [global]\n"
         "source: {document: policy-toolkit, url: \"\"}\n"
         "verified: false\nsummary: Marker item.\n---\n"
         "## Marker\n\nThis build carries the word "
      << word << ".\n";
}

int search_total(httplib::Client& client, const std::string& q) {
  auto res = client.Get(("/api/v1/search?q=" + q).c_str());
  if (!res || res->status != 200) return -1;
  return nlohmann::json::parse(res->body).value("total", -1);
}

RunningServer::RunningServer(const fs::path& index_path, int reload_check_ms) {
  server_ =
      std::make_unique<HttpServer>(ServerConfig{.index_path = index_path.string(),
                                                .host = "127.0.0.1",
                                                .port = 0,
                                                .threads = 8,
                                                .templates_dir = source_path("templates").string(),
                                                .access_log = false,
                                                .reload_check_ms = reload_check_ms});
  port_ = server_->bind();
  EXPECT_GT(port_, 0);
  thread_ = std::thread([this] { server_->listen(); });
  // httplib's stop() is a no-op before its accept loop runs: wait until it answers.
  httplib::Client probe("127.0.0.1", port_);
  probe.set_connection_timeout(1);
  for (int i = 0; i < 200 && !probe.Get("/healthz"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

RunningServer::~RunningServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

httplib::Client RunningServer::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5);
  c.set_read_timeout(10);
  return c;
}

TempDir* FixtureServerTest::dir_ = nullptr;
RunningServer* FixtureServerTest::server_ = nullptr;

void FixtureServerTest::SetUpTestSuite() {
  dir_ = new TempDir;
  server_ = new RunningServer(build_index(source_path("tests/fixtures/content"), dir_->path()));
}

void FixtureServerTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
  delete dir_;
  dir_ = nullptr;
}

}  // namespace nexuskb::testing
