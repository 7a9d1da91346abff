// A remote shard lost under load, then back: the real server over two xapian-tcpsrv shards
// answers either exactly what the single index answers or 503 shard_unavailable naming the shard
// (never a smaller total), recovers without a restart, and /metrics shows the shard down and up.
#include <atomic>
#include <mutex>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/html_pages.h"
#include "server/search_service.h"
#include "tests/integration/remote_shards.h"

namespace nexuskb {
namespace {

using testing::XapianTcpsrv;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The served requests and what the single index answers to them.
struct Expected {
  std::string url;
  Xapian::doccount total = 0, total_all_words = 0;
  std::vector<std::string> ids;
};

const std::vector<QueryParams> kRequests = {
    {{"q", "trafficking"}, {"sort", "number"}},
    {{"q", "financing"}, {"sort", "number"}, {"per_page", "30"}},
    {{"q", "prison"}, {"kind", "practice"}, {"page", "2"}},
    {{"q", "\"criminal justice\""}},
    {{"q", "corruption border"}, {"region", "sahel"}, {"lang", "fr"}},
    {{"actor", "judiciary"}, {"actor", "prosecutors"}, {"sort", "number"}, {"per_page", "50"}},
};

std::vector<Expected> expected_answers(const fs::path& single) {
  IndexHandle index(single.string());
  const SearchService service(index);
  std::vector<Expected> out;
  for (const QueryParams& params : kRequests) {
    auto request = parse_search_request(params, index.snapshot()->taxonomy);
    EXPECT_TRUE(request.ok());
    if (!request.value().filters.count("lang")) {
      request.value().ui_lang = choose_ui_language(params, "");
    }
    const SearchResult r = service.search(request.value());
    Expected e{"/api/v1/search", r.total, r.total_all_words, {}};
    char sep = '?';
    for (const auto& [k, v] : params) {
      e.url += sep + k + "=" + httplib::detail::encode_query_param(v);
      sep = '&';
    }
    for (const SearchHit& h : r.hits) e.ids.push_back(h.item.id);
    EXPECT_GT(r.total, 0u) << e.url;
    out.push_back(std::move(e));
  }
  return out;
}

// The real server, with the response cache off so that every request reaches the shards, and
// the watcher probing the shards every 200 ms.
class Server {
 public:
  explicit Server(const fs::path& index) {
    server_ = std::make_unique<HttpServer>(
        ServerConfig{.index_path = index.string(),
                     .host = "127.0.0.1",
                     .port = 0,
                     .threads = 4,
                     .templates_dir = testing::source_path("templates").string(),
                     .access_log = false,
                     .reload_check_ms = 200,
                     .cache_bytes = 0});
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
    for (int i = 0; i < 200 && !client().Get("/healthz"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Server() {
    server_->stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20);
    return c;
  }
  // The value of `metric{shard="shard"}` in /metrics, or -1.
  double shard_metric(const std::string& metric, const std::string& shard) const {
    auto res = client().Get("/metrics");
    if (!res) return -1;
    const std::regex line(metric + R"(\{shard=")" +
                          std::regex_replace(shard, std::regex(R"(\.)"), R"(\.)") + R"("\} (\S+))");
    std::smatch m;
    return std::regex_search(res->body, m, line) ? std::stod(m[1]) : -1;
  }
  // Waits up to `seconds` for the metric to reach `value`.
  bool wait_for_metric(const std::string& metric, const std::string& shard, double value,
                       double seconds) const {
    for (const auto until = Clock::now() + std::chrono::duration<double>(seconds);
         Clock::now() < until; std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
      if (shard_metric(metric, shard) == value) return true;
    }
    return false;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = -1;
};

// What one answer was: exact, a correct 503, or wrong (described).
struct Tally {
  int exact = 0, unavailable = 0;
  std::vector<std::string> wrong;
};

void check_answer(const httplib::Result& res, const Expected& want, const std::string& down,
                  Tally& tally, std::mutex& mutex) {
  std::string problem;
  bool is_503 = false;
  if (!res) {
    problem = "no response";
  } else if (res->status == 200) {
    const auto body = nlohmann::json::parse(res->body);
    std::vector<std::string> ids;
    for (const auto& h : body["hits"]) ids.push_back(h["id"]);
    if (body["total"] != want.total || body["total_all_words"] != want.total_all_words ||
        ids != want.ids) {
      problem = "200 with total " + body["total"].dump() + " (want " + std::to_string(want.total) +
                ") or other hits";
    }
  } else if (res->status == 503 && !down.empty()) {
    is_503 = true;
    const auto body = nlohmann::json::parse(res->body, nullptr, false);
    const std::string message = body.is_object() ? body["error"].value("message", "") : "";
    if (!res->has_header("Retry-After") || body["error"].value("code", "") != "shard_unavailable" ||
        message.find(down) == std::string::npos) {
      problem = "503 without Retry-After or naming no shard: " + res->body;
    }
  } else {
    problem = "status " + std::to_string(res->status) + ": " + res->body;
  }
  std::lock_guard lock(mutex);
  if (!problem.empty()) {
    tally.wrong.push_back(want.url + ": " + problem);
  } else {
    ++(is_503 ? tally.unavailable : tally.exact);
  }
}

// `threads` clients each send `per_thread` requests, cycling through `want`; `down` is the shard
// a 503 must name (empty: every answer must be exact). `during` runs while they do.
Tally load(const Server& server, const std::vector<Expected>& want, const std::string& down,
           int threads, int per_thread, const std::function<void()>& during = {}) {
  Tally tally;
  std::mutex mutex;
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client = server.client();
      for (int i = 0; i < per_thread; ++i) {
        const Expected& e = want[(t + i) % want.size()];
        check_answer(client.Get(e.url.c_str()), e, down, tally, mutex);
      }
    });
  }
  if (during) during();
  for (auto& c : clients) c.join();
  return tally;
}

std::string first_wrong(const Tally& t) {
  return t.wrong.empty() ? "" : t.wrong.front();
}

class ShardOutage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    corpus_ = testing::build_sharded_corpus(dir_->path());
    want_ = expected_answers(corpus_.single);
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path stub(const std::string& name, const std::vector<const XapianTcpsrv*>& shards) {
    return testing::write_remote_stub(dir_->path() / name, corpus_.sharded, shards);
  }

  static testing::TempDir* dir_;
  static testing::ShardedCorpus corpus_;
  static std::vector<Expected> want_;
};

testing::TempDir* ShardOutage::dir_ = nullptr;
testing::ShardedCorpus ShardOutage::corpus_;
std::vector<Expected> ShardOutage::want_;

TEST_F(ShardOutage, LostShardGives503NamingItNeverASmallerTotalAndComesBackWithoutRestart) {
  XapianTcpsrv shard0(corpus_.sharded / "shard-0"), shard1(corpus_.sharded / "shard-1");
  const Server server(stub("remote.stub", {&shard0, &shard1}));
  const std::string lost = shard1.address();

  Tally before = load(server, want_, "", 4, 25);
  EXPECT_EQ(before.exact, 100) << first_wrong(before);
  EXPECT_TRUE(server.wait_for_metric("nexuskb_shard_up", lost, 1, 5));

  // Lost under load: the shard stops while four clients search.
  Tally during = load(server, want_, lost, 4, 50, [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    shard1.stop();
  });
  EXPECT_TRUE(during.wrong.empty())
      << during.wrong.size() << " wrong, e.g. " << first_wrong(during);
  EXPECT_GT(during.unavailable, 50) << "the outage was not seen";
  EXPECT_TRUE(server.wait_for_metric("nexuskb_shard_up", lost, 0, 5));
  EXPECT_EQ(server.shard_metric("nexuskb_shard_up", shard0.address()), 1);
  EXPECT_GT(server.shard_metric("nexuskb_shard_errors_total", lost), 0);
  EXPECT_GE(server.shard_metric("nexuskb_shard_probe_seconds", lost), 0);
  // Other routes that read the shards say so too (not a 500).
  auto doc = server.client().Get(("/api/v1/documents/" + want_.front().ids.front()).c_str());
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 503) << doc->body;

  // Back on the same address: exact answers again within seconds, the server never restarted.
  ASSERT_TRUE(shard1.start());
  const auto back = Clock::now();
  while (Clock::now() - back < std::chrono::seconds(5)) {
    auto res = server.client().Get(want_.front().url.c_str());
    if (res && res->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_LT(Clock::now() - back, std::chrono::seconds(5));
  Tally after = load(server, want_, "", 4, 25);
  EXPECT_EQ(after.exact, 100) << first_wrong(after);
  EXPECT_TRUE(server.wait_for_metric("nexuskb_shard_up", lost, 1, 5));
}

TEST_F(ShardOutage, ConnectionsClosedByTheShardsIdleTimeoutAreReopenedWithoutAnError) {
  // xapian-tcpsrv closes connections idle for --idle-timeout (60 s by default).
  XapianTcpsrv shard0(corpus_.sharded / "shard-0", {"--idle-timeout", "300"});
  XapianTcpsrv shard1(corpus_.sharded / "shard-1", {"--idle-timeout", "300"});
  const Server server(stub("idle.stub", {&shard0, &shard1}));
  Tally first = load(server, want_, "", 2, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  Tally again = load(server, want_, "", 2, 6);
  EXPECT_EQ(first.exact + again.exact, 24) << first_wrong(first) << first_wrong(again);
}

TEST_F(ShardOutage, AShardThatStopsAnsweringGives503WithinTheTimeoutNotXapiansTenSeconds) {
  XapianTcpsrv shard0(corpus_.sharded / "shard-0"), shard1(corpus_.sharded / "shard-1");
  const Server server(stub("slow.stub", {&shard0, &shard1}));
  Tally warm = load(server, want_, "", 1, 4);
  ASSERT_EQ(warm.exact, 4) << first_wrong(warm);

  shard1.signal_group(SIGSTOP);  // connections stay open; nothing answers
  const auto started = Clock::now();
  Tally frozen = load(server, want_, shard1.address(), 1, 1);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  shard1.signal_group(SIGCONT);
  EXPECT_EQ(frozen.unavailable, 1) << first_wrong(frozen);
  EXPECT_LT(seconds, 5.0);

  Tally thawed = load(server, want_, "", 1, 4);
  EXPECT_EQ(thawed.exact, 4) << first_wrong(thawed);
}

}  // namespace
}  // namespace nexuskb
