// IndexHandle under racing reloads: a link switched back and forth while two threads refresh
// (as the SIGHUP thread and the watcher do) always ends with the link's target in service,
// generations never go back, and the response cache keeps working; a new handle never reuses
// another handle's per-thread database.
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/indexer.h"
#include "server/index_snapshot.h"
#include "server/response_cache.h"
#include "server/search_service.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::source_path;
using testing::TempDir;
using testing::write_marker_corpus;

// Builds the corpus holding `word` into its own folder `dir/<word>/index` and returns the real
// directory the indexer published (the target of its link).
fs::path build_version(const fs::path& dir, const std::string& word) {
  const fs::path content = dir / ("content-" + word);
  write_marker_corpus(content, word);
  std::ostringstream out, err;
  const fs::path link = dir / word / "index";
  EXPECT_EQ(run_indexer({.content_dir = content.string(), .out = link.string()}, out, err), 0)
      << err.str();
  return fs::canonical(link);
}

// Points `link` at `target` with one rename() of a temporary symlink, as publish_index does.
void switch_link(const fs::path& link, const fs::path& target) {
  const fs::path tmp = link.string() + ".switching";
  fs::remove(tmp);
  fs::create_directory_symlink(target, tmp);
  ASSERT_EQ(std::rename(tmp.c_str(), link.c_str()), 0);
}

class ReloadRace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    a_ = new fs::path(build_version(dir_->path(), "alphaversion"));
    b_ = new fs::path(build_version(dir_->path(), "bravoversion"));
  }
  static void TearDownTestSuite() {
    delete a_;
    delete b_;
    delete dir_;
  }
  static std::string uuid_of(const fs::path& db) {
    return Xapian::Database(db.string()).get_uuid();
  }
  static TempDir* dir_;
  static fs::path *a_, *b_;
};
TempDir* ReloadRace::dir_ = nullptr;
fs::path* ReloadRace::a_ = nullptr;
fs::path* ReloadRace::b_ = nullptr;

TEST_F(ReloadRace, ConcurrentRefreshesAndSwitchesEndOnTheNewestIndex) {
  ASSERT_NE(*a_, *b_);
  const std::string uuid_a = uuid_of(*a_), uuid_b = uuid_of(*b_);
  ASSERT_NE(uuid_a, uuid_b);
  const fs::path link = dir_->path() / "served";
  switch_link(link, *a_);
  IndexHandle handle(link.string());
  ResponseCache cache(1 << 20);
  const auto started = Clock::now();

  constexpr int kRounds = 300;
  uint64_t last_generation = handle.snapshot()->generation;
  std::string last_served = handle.snapshot()->resolved_path;
  int switched_rounds = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> went_back{false};
    std::atomic<int> errors{0};
    // The highest generation any thread saw in service during the round.
    std::atomic<uint64_t> max_seen{last_generation};
    // What a request does: take the snapshot, use the cache with its generation.
    auto observe = [&](uint64_t& mine) {
      const uint64_t g = handle.snapshot()->generation;
      if (!cache.find("request", g)) {
        cache.put("request", g, std::make_shared<const std::string>(std::to_string(g)));
      }
      if (g < mine) went_back = true;
      mine = g;
      uint64_t max = max_seen.load();
      while (g > max && !max_seen.compare_exchange_weak(max, g)) {
      }
    };
    // Each step switches the link, then both refreshers refresh at once (both may load the new
    // index; the one that started first must not end up in service). In odd rounds the link
    // switches back while they do. Rounds have one to three steps.
    const int steps = 1 + round % 3;
    std::barrier step_start(3);
    std::thread switcher([&] {
      for (int s = 0; s < steps; ++s) {
        switch_link(link, fs::canonical(link) == *a_ ? *b_ : *a_);
        step_start.arrive_and_wait();
        if (round % 2 == 1) switch_link(link, fs::canonical(link) == *a_ ? *b_ : *a_);
      }
    });
    auto refresher = [&] {
      uint64_t mine = handle.snapshot()->generation;
      for (int s = 0; s < steps; ++s) {
        step_start.arrive_and_wait();
        for (int i = 0; i < 2; ++i) {
          std::string error;
          handle.refresh(error);
          if (!error.empty()) ++errors;
          observe(mine);
        }
      }
    };
    std::thread first(refresher), second(refresher);
    switcher.join();
    first.join();
    second.join();
    std::string error;
    handle.refresh(error);
    ASSERT_TRUE(error.empty()) << "round " << round << ": " << error;
    ASSERT_EQ(errors.load(), 0) << "round " << round;
    ASSERT_FALSE(went_back) << "round " << round << ": a thread saw the generation decrease";

    const auto snap = handle.snapshot();
    const std::string target = fs::canonical(link).string();
    ASSERT_EQ(snap->resolved_path, target) << "round " << round << ": a stale index is served";
    ASSERT_GE(snap->generation, last_generation) << "round " << round;
    ASSERT_GE(snap->generation, max_seen.load())
        << "round " << round << ": generation " << max_seen.load()
        << " was in service, an older one is now";
    if (snap->resolved_path != last_served) {
      ASSERT_GT(snap->generation, last_generation) << "round " << round << ": switched in place";
      ++switched_rounds;
    }
    last_generation = snap->generation;
    last_served = snap->resolved_path;

    // This thread's database follows the snapshot.
    const IndexView view = handle.open();
    ASSERT_EQ(view.snapshot->generation, snap->generation);
    ASSERT_EQ(view.db.get_uuid(), target == a_->string() ? uuid_a : uuid_b) << "round " << round;

    // The cache works with the served generation: a store is found again.
    const std::string key = "round-" + std::to_string(round);
    cache.put(key, snap->generation, std::make_shared<const std::string>(key));
    const ResponseCache::Body found = cache.find(key, snap->generation);
    ASSERT_NE(found, nullptr) << "round " << round << ": the cache refused generation "
                              << snap->generation;
    ASSERT_EQ(*found, key);
  }
  EXPECT_GT(switched_rounds, kRounds / 4) << "the rounds did not exercise switching";
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(60));

  // At the end, searches answer from the served index.
  SearchService service(handle);
  SearchRequest request;
  request.query = fs::canonical(link) == *a_ ? "alphaversion" : "bravoversion";
  EXPECT_EQ(service.search(request).total, 1u) << request.query;
  request.query = fs::canonical(link) == *a_ ? "bravoversion" : "alphaversion";
  EXPECT_EQ(service.search(request).total, 0u) << request.query;
}

// A handle destroyed and another created at the same address, both at generation 1: the new one
// must not search the old one's per-thread database.
TEST_F(ReloadRace, ANewHandleAtAReusedAddressOpensItsOwnIndex) {
  const std::string uuid_a = uuid_of(*a_), uuid_b = uuid_of(*b_);
  std::optional<IndexHandle> handle;
  handle.emplace(a_->string());
  const void* address = &*handle;
  ASSERT_EQ(handle->open().db.get_uuid(), uuid_a);
  handle.reset();
  handle.emplace(b_->string());
  ASSERT_EQ(static_cast<const void*>(&*handle), address);  // std::optional reuses its storage
  ASSERT_EQ(handle->snapshot()->generation, 1u);
  EXPECT_EQ(handle->open().db.get_uuid(), uuid_b) << "searched the previous handle's index";
  SearchService service(*handle);
  SearchRequest request;
  request.query = "bravoversion";
  EXPECT_EQ(service.search(request).total, 1u);
}

}  // namespace
}  // namespace nexuskb
