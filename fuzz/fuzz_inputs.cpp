// Shared bodies of the fuzz targets.
#include "fuzz/fuzz_inputs.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/content_item.h"
#include "indexer/indexer.h"
#include "indexer/markdown.h"
#include "server/http_server.h"
#include "server/search_request.h"
#include "server/search_service.h"

namespace nexuskb::fuzz {
namespace fs = std::filesystem;

Taxonomy fixture_taxonomy() {
  auto t = Taxonomy::load_file(std::string(NEXUSKB_SOURCE_DIR) +
                               "/tests/fixtures/content/taxonomy.yaml");
  if (!t.ok()) std::abort();
  return t.value();
}

void front_matter(const Taxonomy& taxonomy, const std::string& input) {
  auto item = parse_content_item("fuzz.md", input, taxonomy);
  if (!item.ok()) {
    for (const ContentError& e : item.errors()) {
      if (e.file != "fuzz.md" || e.message.empty()) std::abort();
    }
  }
}

void markdown(const std::string& input) {
  RenderedBody body = render_markdown(input);
  // Raw HTML blocks must never survive into the output.
  if (body.html.find("<script") != std::string::npos ||
      body.html.find("<iframe") != std::string::npos) {
    std::abort();
  }
}

namespace {

// Indexes the fixture content into a new temporary folder and returns the folder.
std::string build_fixture_index(const std::string& name) {
  const std::string dir =
      (fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir);
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = std::string(NEXUSKB_SOURCE_DIR) + "/tests/fixtures/content",
                       .out = dir + "/index"};
  if (run_indexer(config, out, err) != 0) std::abort();
  return dir;
}

}  // namespace

FixtureSearch::FixtureSearch() : dir_(build_fixture_index("nexuskb-fuzz")) {
  index_ = std::make_unique<IndexHandle>(dir_ + "/index");
}

FixtureSearch::~FixtureSearch() {
  index_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void FixtureSearch::run(const std::string& query_string) {
  QueryParams params;
  std::istringstream in(query_string);
  for (std::string pair; std::getline(in, pair, '&');) {
    const size_t eq = pair.find('=');
    params.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
  }
  auto request = parse_search_request(params, index_->snapshot()->taxonomy);
  if (!request.ok()) return;
  SearchService(*index_).search(request.value());
}

FixtureServer::FixtureServer() : dir_(build_fixture_index("nexuskb-fuzz-http")) {
  ServerConfig config;
  config.index_path = dir_ + "/index";
  config.port = 0;
  config.threads = 2;
  config.busy_wait_ms = 10000;
  config.templates_dir = std::string(NEXUSKB_SOURCE_DIR) + "/templates";
  config.access_log = false;
  config.reload_check_ms = 3600 * 1000;
  server_ = std::make_unique<HttpServer>(config);
  port_ = server_->bind();
  if (port_ <= 0) std::abort();
  thread_ = std::thread([this] { server_->listen(); });
}

FixtureServer::~FixtureServer() {
  server_->stop();
  thread_.join();
  server_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string FixtureServer::exchange(const std::string& raw_request, int first_byte_ms,
                                    int quiet_ms) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  // The server may answer and close before reading everything (a 413, a 400): a failed send
  // is an answer, not a fault.
  for (size_t sent = 0; sent < raw_request.size();) {
    const ssize_t n =
        ::send(fd, raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  // The sending side stays open: cpp-httplib writes no response to a client that has closed
  // its side. An incomplete request gets no answer; closing the socket ends it.
  std::string answer;
  char buffer[16384];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, answer.empty() ? first_byte_ms : quiet_ms) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

void FixtureServer::run(const std::string& raw_request) {
  const std::string answer = exchange(raw_request, 1000, 30);
  if (answer.rfind("HTTP/1.1 500", 0) == 0) std::abort();
  // The server is still serving after whatever the input did: a complete request is answered
  // within 10 s.
  const std::string health =
      exchange("GET /healthz HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n", 10000, 10000);
  if (health.rfind("HTTP/1.1 200", 0) != 0) std::abort();
}

}  // namespace nexuskb::fuzz
