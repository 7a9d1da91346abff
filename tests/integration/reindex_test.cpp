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
using testing::run_index;
using testing::RunningServer;
using testing::search_total;
using testing::source_path;
using testing::TempDir;
using testing::write_marker_corpus;

TEST(Reindex, RebuildsUnderLoadDropNoRequestAndNewContentBecomesSearchable) {
  TempDir tmp;
  const fs::path content = tmp.path() / "content";
  const fs::path index = tmp.path() / "index";
  write_marker_corpus(content, "alphamarker");
  ASSERT_EQ(run_index(content, index), 0);
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
    write_marker_corpus(content, word);
    ASSERT_EQ(run_index(content, index), 0);
    int seen = 0;
    for (int i = 0; i < 200 && (seen = search_total(probe, word)) != 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(seen, 1) << word << " not searchable after rebuild";
  }
  // A failed build changes nothing: the last good index keeps serving.
  std::ofstream(content / "toolkit" / "broken.en.md") << "---\nid: broken\n---\n";
  EXPECT_EQ(run_index(content, index), kExitContentErrors);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(search_total(probe, "echomarker"), 1);
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 50);
}

}  // namespace
}  // namespace nexuskb
