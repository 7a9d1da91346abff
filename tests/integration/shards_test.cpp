// Sharded search: the same corpus as one index, as local shards, and as remote shards served by
// two xapian-tcpsrv processes on loopback must give identical totals, hit order and facet counts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "indexer/indexer.h"
#include "server/search_service.h"
#include "tests/integration/remote_shards.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::port_open;
using testing::source_path;
using testing::TempDir;
using testing::XapianTcpsrv;
namespace fs = std::filesystem;

fs::path build_sharded(const fs::path& dir, int shards) {
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = source_path("tests/fixtures/content").string(),
                       .out = (dir / "sharded").string(),
                       .shards = shards};
  EXPECT_EQ(run_indexer(config, out, err), 0) << err.str();
  return dir / "sharded";
}

struct Answer {
  Xapian::doccount total, total_all_words;
  std::vector<std::string> hits;
  std::map<std::string, std::vector<std::pair<std::string, Xapian::doccount>>> facets;
  std::string corrected;
  bool operator==(const Answer&) const = default;
};

struct Question {
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;
  SortOrder sort = SortOrder::kRelevance;
};

// A hit as "id:lang@anchor", then "*" when it has every word and "+xx" per other version.
Answer ask(IndexHandle& index, const Question& question) {
  SearchRequest req;
  req.query = question.q;
  req.filters = question.filters;
  req.sort = question.sort;
  SearchResult r = SearchService(index).search(req);
  Answer a{r.total, r.total_all_words, {}, {}, r.corrected_query};
  for (const auto& h : r.hits) {
    std::string hit = h.item.id + ":" + h.item.lang + "@" + h.passage_anchor;
    if (h.all_words) hit += "*";
    for (const std::string& other : h.other_languages) hit += "+" + other;
    a.hits.push_back(hit);
  }
  for (const auto& f : r.facets) {
    for (const auto& v : f.values) a.facets[f.name].emplace_back(v.value, v.count);
  }
  return a;
}

void PrintTo(const Answer& a, std::ostream* os) {
  *os << "total=" << a.total << " all_words=" << a.total_all_words << " corrected='" << a.corrected
      << "' hits=[";
  for (const auto& h : a.hits) *os << h << " ";
  *os << "] facets=";
  for (const auto& [name, values] : a.facets) {
    *os << name << "{";
    for (const auto& [v, c] : values) *os << v << ":" << c << " ";
    *os << "} ";
  }
}

const std::vector<Question> kQuestions = {
    {"", {}},
    {"hawala", {}},
    {"corruption", {{"region", {"sahel"}}}},
    {"", {{"actor", {"judiciary", "fiu"}}, {"region", {"sahel"}}}},
    {"\"special investigative techniques\"", {}},
    {"GP 18", {}},
    {"fiu", {{"lang", {"en"}}}},
    {"coruption", {}},
    {"money OR ransom", {{"kind", {"practice", "scenario"}}}},
    // The matching tiers, with and without filters, and sorted by number (the page's match is
    // sorted by value; the facet counts come from count-only matches).
    {"armed group", {}},
    {"armed group", {{"region", {"sahel"}}, {"actor", {"judiciary", "fiu"}}}},
    {"armed group", {{"kind", {"practice", "toolkit"}}}, SortOrder::kNumber},
    {"hawala ransom", {}},
    // The multi-valued lang facet and the version shown.
    {"", {{"lang", {"fr"}}}},
    {"corruption", {{"lang", {"ar", "fr"}}}},
    {"", {}, SortOrder::kNumber},
};

TEST(Shards, LocalShardsAnswerExactlyLikeOneIndex) {
  TempDir tmp;
  IndexHandle single(build_index(source_path("tests/fixtures/content"), tmp.path()).string());
  IndexHandle sharded(build_sharded(tmp.path(), 3).string());
  EXPECT_TRUE(sharded.snapshot()->sharded);
  for (const Question& q : kQuestions) {
    EXPECT_EQ(ask(single, q), ask(sharded, q)) << "query: " << q.q;
  }
}

TEST(Shards, RemoteShardsThroughXapianTcpsrvAnswerExactlyLikeOneIndex) {
  TempDir tmp;
  IndexHandle single(build_index(source_path("tests/fixtures/content"), tmp.path()).string());
  const fs::path built = fs::canonical(build_sharded(tmp.path(), 2));
  XapianTcpsrv shard0(built / "shard-0");
  XapianTcpsrv shard1(built / "shard-1");
  ASSERT_TRUE(port_open(shard0.port()) && port_open(shard1.port()))
      << "xapian-tcpsrv did not start";
  const fs::path stub = tmp.path() / "remote.stub";
  std::ofstream(stub) << "# nexuskb-meta " << (built / "meta").string() << "\n"
                      << "remote 127.0.0.1:" << shard0.port() << "\n"
                      << "remote 127.0.0.1:" << shard1.port() << "\n";
  IndexHandle remote(stub.string());
  const auto remote_snapshot = remote.snapshot();
  EXPECT_TRUE(remote_snapshot->remote);  // so facets are counted with the built-in spies
  EXPECT_EQ(remote_snapshot->doc_count, single.snapshot()->doc_count);
  for (const Question& q : kQuestions) {
    EXPECT_EQ(ask(single, q), ask(remote, q)) << "query: " << q.q;
  }
  // The comparison covered both tiers and every language version.
  const Answer tiered = ask(single, {"armed group", {}});
  EXPECT_EQ(tiered.total, 4u);
  EXPECT_EQ(tiered.total_all_words, 2u);
  const Answer languages = ask(single, {"", {}});
  EXPECT_EQ(languages.facets.at("lang"), (std::vector<std::pair<std::string, Xapian::doccount>>{
                                             {"en", 5}, {"ar", 1}, {"fr", 1}}));
}

TEST(Shards, StubWithoutMetaDatabaseIsRefusedClearly) {
  TempDir tmp;
  const fs::path built = fs::canonical(build_sharded(tmp.path(), 2));
  const fs::path stub = tmp.path() / "bare.stub";
  std::ofstream(stub) << "auto " << (built / "shard-0").string() << "\n";
  try {
    IndexHandle h(stub.string());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nexuskb-meta"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nexuskb
