// Zero-downtime reindexing: continuous search load while the indexer rebuilds several times.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "indexer/indexer.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using testing::RunningServer;
using testing::source_path;
using testing::TempDir;

// Copies the fixture corpus and adds one item holding `word`, so each build is distinguishable.
void write_corpus(const fs::path& dir, const std::string& word) {
  fs::remove_all(dir);
  fs::copy(source_path("tests/fixtures/content"), dir, fs::copy_options::recursive);
  std::ofstream(dir / "toolkit" / "fx-reindex.en.md")
      << "---\nid: fx-reindex\nlang: en\nkind: toolkit\n"
         "title: Rebuild marker\nsection: nexus-concept\n"
         "practices: [1]\nactors: [judiciary]\nregions: [global]\n"
         "source: {document: policy-toolkit, url: \"\"}\n"
         "verified: false\nsummary: Marker item.\n---\n"
         "## Marker\n\nThis build carries the word "
      << word << ".\n";
}

int build(const fs::path& content, const fs::path& out) {
  std::ostringstream o, e;
  return run_indexer({.content_dir = content.string(), .out = out.string()}, o, e);
}

int total_for(httplib::Client& client, const std::string& q) {
  auto res = client.Get(("/api/v1/search?q=" + q).c_str());
  if (!res || res->status != 200) return -1;
  return nlohmann::json::parse(res->body)["total"];
}

TEST(Reindex, RebuildsUnderLoadDropNoRequestAndNewContentBecomesSearchable) {
  TempDir tmp;
  const fs::path content = tmp.path() / "content";
  const fs::path index = tmp.path() / "index";
  write_corpus(content, "alphamarker");
  ASSERT_EQ(build(content, index), 0);
  RunningServer server(index, /*reload_check_ms=*/50);

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&] {
      auto client = server.client();
      while (!stop) {
        auto res = client.Get("/api/v1/search?q=corruption&actor=judiciary&actor=prosecutors");
        (res && res->status == 200) ? ++ok : ++failed;
      }
    });
  }
  const std::vector<std::string> words = {"bravomarker", "charliemarker", "deltamarker",
                                          "echomarker"};
  auto probe = server.client();
  for (const std::string& word : words) {
    write_corpus(content, word);
    ASSERT_EQ(build(content, index), 0);
    int seen = 0;
    for (int i = 0; i < 200 && (seen = total_for(probe, word)) != 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(seen, 1) << word << " not searchable after rebuild";
  }
  // A failed build changes nothing: the last good index keeps serving.
  std::ofstream(content / "toolkit" / "broken.en.md") << "---\nid: broken\n---\n";
  EXPECT_EQ(build(content, index), kExitContentErrors);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(total_for(probe, "echomarker"), 1);
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 50);
}

}  // namespace
}  // namespace nexuskb
