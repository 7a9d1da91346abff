// nexuskb-index: check, build into a fresh directory, compact, publish.
#include "indexer/indexer.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <vector>

#include <xapian.h>

#include "indexer/corpus.h"
#include "indexer/document_builder.h"
#include "indexer/publish.h"

namespace nexuskb {
namespace fs = std::filesystem;

namespace {

// N shard databases plus a small "meta" database (metadata, spelling, synonyms), listed by a
// XAPIANDB stub so that the folder opens as one database; see docs/OPERATIONS.md.
void build_shards(const fs::path& building, const fs::path& compacted, int count,
                  const Corpus& corpus) {
  fs::create_directories(building);
  fs::create_directories(compacted);
  {
    Xapian::WritableDatabase meta((building / "meta").string(), Xapian::DB_CREATE);
    std::vector<Xapian::WritableDatabase> shards;
    for (int i = 0; i < count; ++i) {
      shards.emplace_back((building / ("shard-" + std::to_string(i))).string(), Xapian::DB_CREATE);
    }
    std::vector<Xapian::WritableDatabase*> targets;
    for (auto& db : shards) targets.push_back(&db);
    write_corpus(meta, targets, corpus);
    for (auto& db : shards) db.close();
    meta.close();
  }
  std::ofstream stub(compacted / "XAPIANDB");
  stub << "# nexuskb sharded index: " << count << " shards; spelling and synonyms are in meta/\n";
  for (int i = 0; i < count; ++i) {
    const std::string name = "shard-" + std::to_string(i);
    Xapian::Database((building / name).string()).compact((compacted / name).string());
    stub << "auto " << name << "\n";
  }
  Xapian::Database((building / "meta").string()).compact((compacted / "meta").string());
}

}  // namespace

int run_indexer(const IndexerConfig& config, std::ostream& out, std::ostream& err) {
  if (!fs::is_directory(config.content_dir)) {
    err << config.content_dir << ": content directory not found\n";
    return kExitUsageOrIo;
  }
  auto corpus = load_corpus(config.content_dir);
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
    building = fresh_sibling(target, "tmp");
    compacted = fresh_sibling(target, "v");
    if (config.shards <= 1) {
      {
        Xapian::WritableDatabase db(building.string(), Xapian::DB_CREATE);
        write_corpus(db, {&db}, corpus.value());
        db.close();
      }
      Xapian::Database(building.string()).compact(compacted.string());
    } else {
      build_shards(building, compacted, config.shards, corpus.value());
    }
    fs::remove_all(building);
    publish_index(compacted, target);
  } catch (const Xapian::Error& e) {
    err << config.out << ": index build failed: " << e.get_description() << "\n";
  } catch (const fs::filesystem_error& e) {
    err << config.out << ": " << e.what() << "\n";
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
