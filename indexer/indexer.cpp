// nexuskb-index: check, build into a fresh directory, compact, publish.
#include "indexer/indexer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <vector>

#include <xapian.h>

#include "indexer/corpus.h"
#include "indexer/document_builder.h"
#include "indexer/parallel.h"
#include "indexer/publish.h"

namespace nexuskb {
namespace fs = std::filesystem;

namespace {

// Databases under construction are thrown away on any failure and only their compacted copy is
// published, so they need no fsync at each flush; the compacted copy is synced by compaction.
constexpr int kBuildFlags = Xapian::DB_CREATE | Xapian::DB_NO_SYNC;

SpellingCounts merged(std::vector<SpellingCounts>& parts) {
  SpellingCounts all = std::move(parts.front());
  for (size_t i = 1; i < parts.size(); ++i) {
    for (const auto& [word, count] : parts[i]) all[word] += count;
  }
  return all;
}

void write_meta(const fs::path& path, const BuildContext& build,
                std::vector<SpellingCounts>& spelling) {
  Xapian::WritableDatabase meta(path.string(), kBuildFlags);
  write_index_data(meta, build, merged(spelling));
  meta.close();
}

// One index: the corpus cut into `threads` runs of consecutive items, each written by its own
// thread into a part database, then all parts and meta compacted into one database whose docids
// are the corpus order (as if written by one thread).
void build_single(const fs::path& building, const fs::path& compacted, unsigned threads,
                  const BuildContext& build) {
  fs::create_directories(building);
  const size_t n = build.documents.size();
  const size_t parts = std::max<size_t>(1, std::min<size_t>(threads, n));
  std::vector<SpellingCounts> spelling(parts);
  std::vector<std::function<void()>> jobs;
  for (size_t p = 0; p < parts; ++p) {
    jobs.push_back([&, p] {
      std::vector<size_t> items;
      for (size_t i = n * p / parts; i < n * (p + 1) / parts; ++i) items.push_back(i);
      Xapian::WritableDatabase db((building / ("part-" + std::to_string(p))).string(), kBuildFlags);
      write_documents(db, build, items, spelling[p]);
      db.close();
    });
  }
  run_parallel(jobs, threads);
  write_meta(building / "meta", build, spelling);
  Xapian::Database all;
  for (size_t p = 0; p < parts; ++p) {
    all.add_database(Xapian::Database((building / ("part-" + std::to_string(p))).string()));
  }
  all.add_database(Xapian::Database((building / "meta").string()));
  all.compact(compacted.string());
}

// N shard databases plus a small "meta" database (metadata, spelling, synonyms), listed by a
// XAPIANDB stub so that the folder opens as one database; see docs/OPERATIONS.md. Item i goes
// to shard i % N, so the combined docids equal a single index's and ties break identically.
void build_shards(const fs::path& building, const fs::path& compacted, int count, unsigned threads,
                  const BuildContext& build) {
  fs::create_directories(building);
  fs::create_directories(compacted);
  std::vector<SpellingCounts> spelling(count);
  std::vector<std::function<void()>> jobs;
  for (int k = 0; k < count; ++k) {
    jobs.push_back([&, k] {
      std::vector<size_t> items;
      for (size_t i = k; i < build.documents.size(); i += count) items.push_back(i);
      const std::string name = "shard-" + std::to_string(k);
      Xapian::WritableDatabase db((building / name).string(), kBuildFlags);
      write_documents(db, build, items, spelling[k]);
      db.close();
      Xapian::Database((building / name).string()).compact((compacted / name).string());
    });
  }
  run_parallel(jobs, threads);
  write_meta(building / "meta", build, spelling);
  Xapian::Database((building / "meta").string()).compact((compacted / "meta").string());
  std::ofstream stub(compacted / "XAPIANDB");
  stub << "# nexuskb sharded index: " << count << " shards; spelling and synonyms are in meta/\n";
  for (int k = 0; k < count; ++k) stub << "auto shard-" << k << "\n";
}

}  // namespace

int run_indexer(const IndexerConfig& config, std::ostream& out, std::ostream& err) {
  if (!fs::is_directory(config.content_dir)) {
    err << config.content_dir << ": content directory not found\n";
    return kExitUsageOrIo;
  }
  const unsigned threads = config.threads > 0 ? config.threads : default_threads();
  auto corpus = load_corpus(config.content_dir, threads);
  if (!corpus.ok()) {
    for (const ContentError& e : corpus.errors()) err << e.to_string() << "\n";
    err << corpus.errors().size() << " error(s); "
        << (config.check_only ? "content is not valid" : "the previous index is unchanged") << "\n";
    return kExitContentErrors;
  }
  const size_t items = corpus.value().items.size();
  if (config.check_only) {
    out << "ok: " << items << " items valid in " << config.content_dir << "\n";
    return kExitBuilt;
  }

  const fs::path target(config.out);
  fs::path building, compacted;
  try {
    if (!target.parent_path().empty()) fs::create_directories(target.parent_path());
    const IndexWriterLock lock(target);  // one writer per index path; held until published
    remove_stale_leftovers(target);
    building = fresh_sibling(target, "tmp");
    compacted = fresh_sibling(target, "v");
    const BuildContext build(corpus.value());
    if (config.shards <= 1) {
      build_single(building, compacted, threads, build);
    } else {
      build_shards(building, compacted, config.shards, threads, build);
    }
    fs::remove_all(building);
    publish_index(compacted, target);
  } catch (const Xapian::Error& e) {
    err << config.out << ": index build failed: " << e.get_description() << "\n";
  } catch (const fs::filesystem_error& e) {
    err << config.out << ": " << e.what() << "\n";
  } catch (const std::exception& e) {  // out of memory or threads, too many facet values
    err << config.out << ": index build failed: " << e.what() << "\n";
  }
  if (!fs::is_symlink(fs::symlink_status(target)) ||
      fs::read_symlink(target).filename() != compacted.filename()) {
    std::error_code ignored;
    if (!building.empty()) fs::remove_all(building, ignored);
    if (!compacted.empty()) fs::remove_all(compacted, ignored);
    err << "the previous index is unchanged\n";
    return kExitUsageOrIo;
  }
  out << "indexed " << items << " items into " << config.out << " -> "
      << compacted.filename().string() << "\n";
  return kExitBuilt;
}

}  // namespace nexuskb
