// Facet counting on the fixture index: the server's own FacetCounter and Xapian's built-in spies
// give the same totals, all-words totals and facet counts, and every count is what a click on
// that value would find (its search's total).
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/search_service.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::source_path;
using testing::TempDir;
using Filters = std::map<std::string, std::vector<std::string>>;

class FacetCountsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    index_ =
        new IndexHandle(build_index(source_path("tests/fixtures/content"), dir_->path()).string());
  }
  static void TearDownTestSuite() {
    delete index_;
    delete dir_;
  }
  static TempDir* dir_;
  static IndexHandle* index_;
};
TempDir* FacetCountsTest::dir_ = nullptr;
IndexHandle* FacetCountsTest::index_ = nullptr;

const std::vector<std::string>& queries() {
  static const std::vector<std::string> q = {
      "",                       // no text: every document
      "hawala",                 // one word, in two languages
      "corruption",             // one word
      "money terrorism",        // two tiers: one item has both words, another only one
      "corruption border",      // one item has both words
      "money laundering",       // no item has both: the second tier only (relaxed)
      "hawala corruption",      // no item has both, items have one each
      "prosecutors terrorism",  // no item has both
  };
  return q;
}

const std::vector<Filters>& filter_sets() {
  static const std::vector<Filters> f = {
      {},
      {{"actor", {"judiciary"}}},
      {{"region", {"sahel"}}},
      {{"actor", {"prosecutors", "fiu"}}},  // two values in one facet
      {{"actor", {"judiciary"}}, {"region", {"global"}}},
      {{"kind", {"practice"}}, {"theme", {"corruption", "money-laundering"}}},
      {{"lang", {"fr"}}},
      {{"practice", {"18"}}, {"lang", {"en", "fr"}}},
      {{"actor", {"legislators"}}, {"region", {"sahel"}}},  // nothing has both
  };
  return f;
}

std::string describe(const SearchResult& r) {
  std::ostringstream out;
  out << "total=" << r.total << " all_words=" << r.total_all_words << " relaxed=" << r.relaxed
      << " exhaustive=" << r.exhaustive << " correction=" << r.correction_applied << " hits:";
  for (const auto& h : r.hits) out << " " << h.item.id << ":" << h.item.lang;
  for (const auto& f : r.facets) {
    out << "\n" << f.name << ":";
    for (const auto& v : f.values)
      out << " " << v.value << "=" << v.count << (v.selected ? "*" : "");
  }
  return out.str();
}

std::string describe(const SearchRequest& r) {
  std::ostringstream out;
  out << "q='" << r.query << "'";
  for (const auto& [facet, values] : r.filters) {
    for (const auto& v : values) out << " " << facet << "=" << v;
  }
  return out.str();
}

TEST_F(FacetCountsTest, OwnCounterAndBuiltInSpiesAgree) {
  SearchService own(*index_);
  SearchService spies(*index_);
  spies.set_facet_counting(FacetCounting::kBuiltinSpies);
  int requests = 0, tiered = 0, nonzero_counts = 0, empty = 0;
  for (const std::string& q : queries()) {
    for (const Filters& filters : filter_sets()) {
      // per_page 1: most results lie beyond the page; 10: all of them on it.
      for (int per_page : {1, 10}) {
        SearchRequest r;
        r.query = q;
        r.filters = filters;
        r.per_page = per_page;
        const SearchResult a = own.search(r), b = spies.search(r);
        ++requests;
        const std::string what = describe(r) + " per_page=" + std::to_string(per_page);
        EXPECT_EQ(a.total, b.total) << what;
        EXPECT_EQ(a.total_all_words, b.total_all_words) << what;
        // Nothing on this tiny index comes near the match time limit: every count is exact.
        EXPECT_TRUE(a.exhaustive) << what << " (own counter)";
        EXPECT_TRUE(b.exhaustive) << what << " (built-in spies)";
        EXPECT_EQ(describe(a), describe(b)) << what;
        EXPECT_LE(a.total_all_words, a.total) << what;
        tiered += a.total_all_words > 0 && a.total_all_words < a.total;
        empty += a.total == 0;
        for (const auto& f : a.facets)
          for (const auto& v : f.values) nonzero_counts += v.count > 0;
      }
    }
  }
  std::cout << "[          ] " << requests << " requests, " << tiered << " with two tiers, "
            << empty << " empty, " << nonzero_counts << " non-zero counts\n";
  // The comparison covered the cases it is meant to: both tiers present, empty results, real
  // counts.
  EXPECT_GT(tiered, 0) << "no request had items with all words and items with some";
  EXPECT_GT(empty, 0);
  EXPECT_GT(nonzero_counts, 300);
}

// A facet count is the number of results a click on that value shows: the total of the same
// search with the value as its facet's only selection (replacing the facet's own selection:
// counts are disjunctive). Checked with both counting methods.
TEST_F(FacetCountsTest, EveryCountIsTheTotalOfItsClick) {
  for (const auto counting : {FacetCounting::kOwnCounter, FacetCounting::kBuiltinSpies}) {
    SearchService service(*index_);
    service.set_facet_counting(counting);
    int checked = 0;
    for (const std::string& q : queries()) {
      for (const Filters& filters : filter_sets()) {
        SearchRequest r;
        r.query = q;
        r.filters = filters;
        const SearchResult base = service.search(r);
        ASSERT_FALSE(base.correction_applied) << describe(r);
        for (const auto& f : base.facets) {
          for (const auto& v : f.values) {
            SearchRequest click = r;
            click.filters[f.name] = {v.value};
            const SearchResult narrowed = service.search(click);
            EXPECT_EQ(narrowed.total, v.count)
                << describe(r) << ": " << f.name << "=" << v.value
                << (counting == FacetCounting::kOwnCounter ? " (own counter)" : " (spies)");
            ++checked;
            // A value of an unselected facet, or the only value selected in its facet, counts
            // a subset of the results.
            const auto sel = r.filters.find(f.name);
            if (sel == r.filters.end() || sel->second == std::vector<std::string>{v.value}) {
              EXPECT_LE(v.count, base.total) << describe(r) << ": " << f.name << "=" << v.value;
            }
          }
        }
      }
    }
    EXPECT_GT(checked, 300);
  }
}

// Selected values are reported (selected = true) with their counts, even when a selection
// matches nothing together with the others.
TEST_F(FacetCountsTest, SelectedValuesAreMarkedAndCounted) {
  SearchService service(*index_);
  SearchRequest r;
  r.filters = {{"actor", {"legislators"}}, {"region", {"sahel"}}};
  const SearchResult result = service.search(r);
  EXPECT_EQ(result.total, 0u);
  int selected = 0;
  for (const auto& f : result.facets) {
    for (const auto& v : f.values) {
      if (!v.selected) continue;
      ++selected;
      SearchRequest alone;
      alone.filters = {{f.name, {v.value}}};
      // The disjunctive count of a selected value: the other facet's selection still applies.
      SearchRequest expected = r;
      expected.filters[f.name] = {v.value};
      EXPECT_EQ(v.count, service.search(expected).total) << f.name << "=" << v.value;
      EXPECT_GT(service.search(alone).total, 0u) << f.name << "=" << v.value;
    }
  }
  EXPECT_EQ(selected, 2) << describe(result);
}

}  // namespace
}  // namespace nexuskb
