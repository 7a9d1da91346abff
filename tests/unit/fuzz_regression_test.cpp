// Replays the fuzzers' seed corpora and every saved crash input through the fuzz targets' code,
// so a fixed crash stays fixed (run under the sanitizers by `make test` too).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "fuzz/fuzz_inputs.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using testing::source_path;

std::vector<std::string> inputs_for(const std::string& target) {
  std::vector<std::string> out;
  for (const fs::path& dir : {source_path("fuzz/corpus/" + target),
                              source_path("tests/fixtures/fuzz-regressions/" + target)}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().filename() == ".keep") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
  }
  return out;
}

TEST(FuzzRegression, FrontMatterInputs) {
  const auto inputs = inputs_for("front_matter");
  ASSERT_FALSE(inputs.empty());
  const Taxonomy taxonomy = fuzz::fixture_taxonomy();
  for (const auto& input : inputs) fuzz::front_matter(taxonomy, input);
}

TEST(FuzzRegression, MarkdownInputs) {
  const auto inputs = inputs_for("markdown");
  ASSERT_FALSE(inputs.empty());
  for (const auto& input : inputs) fuzz::markdown(input);
}

TEST(FuzzRegression, RequestInputs) {
  const auto inputs = inputs_for("request");
  ASSERT_FALSE(inputs.empty());
  fuzz::FixtureSearch search;
  for (const auto& input : inputs) search.run(input);
}

TEST(FuzzRegression, HttpInputs) {
  const auto inputs = inputs_for("http");
  ASSERT_FALSE(inputs.empty());
  fuzz::FixtureServer server;
  for (const auto& input : inputs) server.run(input);
}

}  // namespace
}  // namespace nexuskb
