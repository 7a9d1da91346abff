// What each fuzz target does with one input, shared by the libFuzzer targets and by the
// regression test that replays every saved crash input (tests/unit/fuzz_regression_test.cpp).
#pragma once

#include <memory>
#include <string>

#include "core/taxonomy.h"
#include "server/index_snapshot.h"

namespace nexuskb::fuzz {

Taxonomy fixture_taxonomy();  // tests/fixtures/content/taxonomy.yaml
void front_matter(const Taxonomy& taxonomy, const std::string& input);
void markdown(const std::string& input);  // aborts if raw HTML reaches the output

// A fixture index built once into a temporary folder; run() treats the input as a query string
// ("q=...&actor=...") and searches with it when it parses.
class FixtureSearch {
 public:
  FixtureSearch();
  ~FixtureSearch();
  void run(const std::string& query_string);

 private:
  std::string dir_;
  std::unique_ptr<IndexHandle> index_;
};

}  // namespace nexuskb::fuzz
