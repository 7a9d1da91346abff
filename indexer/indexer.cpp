// nexuskb-index: check, build into a fresh directory, compact, publish.
#include "indexer/indexer.h"

#include <filesystem>
#include <ostream>

#include <xapian.h>

#include "indexer/corpus.h"
#include "indexer/document_builder.h"
#include "indexer/publish.h"

namespace nexuskb {
namespace fs = std::filesystem;

int run_indexer(const IndexerConfig& config, std::ostream& out, std::ostream& err) {
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
    {
      Xapian::WritableDatabase db(building.string(), Xapian::DB_CREATE);
      write_corpus(db, corpus.value());
      db.close();
    }
    Xapian::Database(building.string()).compact(compacted.string());
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
