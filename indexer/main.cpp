// nexuskb-index: parse flags, run the indexer.
#include <iostream>

#include <CLI/CLI.hpp>

#include "indexer/indexer.h"

int main(int argc, char** argv) {
  nexuskb::IndexerConfig config;
  CLI::App app{"Compile nexuskb content (Markdown + YAML front matter) into a Xapian index"};
  app.add_option("--content", config.content_dir, "content directory")->capture_default_str();
  app.add_option("--out", config.out, "index path (a symlink switched atomically)")
      ->capture_default_str();
  app.add_option("--shards", config.shards, "write N shard databases and a stub listing them")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--threads", config.threads, "threads writing documents (0: one per core)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  app.add_flag("--check", config.check_only,
               "validate only; print every error as file:line: message");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : nexuskb::kExitUsageOrIo;
  }
  return nexuskb::run_indexer(config, std::cout, std::cerr);
}
