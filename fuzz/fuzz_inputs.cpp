// Shared bodies of the fuzz targets.
#include "fuzz/fuzz_inputs.h"

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/content_item.h"
#include "indexer/indexer.h"
#include "indexer/markdown.h"
#include "server/search_request.h"
#include "server/search_service.h"

namespace nexuskb::fuzz {
namespace fs = std::filesystem;

Taxonomy fixture_taxonomy() {
  auto t = Taxonomy::load_file(std::string(NEXUSKB_SOURCE_DIR) +
                               "/tests/fixtures/content/taxonomy.yaml");
  if (!t.ok()) std::abort();
  return t.value();
}

void front_matter(const Taxonomy& taxonomy, const std::string& input) {
  auto item = parse_content_item("fuzz.md", input, taxonomy);
  if (!item.ok()) {
    for (const ContentError& e : item.errors()) {
      if (e.file != "fuzz.md" || e.message.empty()) std::abort();
    }
  }
}

void markdown(const std::string& input) {
  RenderedBody body = render_markdown(input);
  // Raw HTML blocks must never survive into the output.
  if (body.html.find("<script") != std::string::npos ||
      body.html.find("<iframe") != std::string::npos) {
    std::abort();
  }
}

FixtureSearch::FixtureSearch() {
  dir_ = (fs::temp_directory_path() / ("nexuskb-fuzz-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir_);
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = std::string(NEXUSKB_SOURCE_DIR) + "/tests/fixtures/content",
                       .out = dir_ + "/index"};
  if (run_indexer(config, out, err) != 0) std::abort();
  index_ = std::make_unique<IndexHandle>(dir_ + "/index");
}

FixtureSearch::~FixtureSearch() {
  index_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void FixtureSearch::run(const std::string& query_string) {
  QueryParams params;
  std::istringstream in(query_string);
  for (std::string pair; std::getline(in, pair, '&');) {
    const size_t eq = pair.find('=');
    params.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
  }
  auto request = parse_search_request(params, index_->snapshot()->taxonomy);
  if (!request.ok()) return;
  SearchService(*index_).search(request.value());
}

}  // namespace nexuskb::fuzz
