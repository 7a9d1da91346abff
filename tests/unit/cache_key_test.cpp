// cache_key: equal requests get equal keys however their parameters were ordered; every field
// that changes the answer changes the key.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/search_request.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::fixture_taxonomy;

SearchRequest parsed(const std::vector<std::pair<std::string, std::string>>& pairs) {
  QueryParams params;
  for (const auto& [k, v] : pairs) params.emplace(k, v);  // multimap: keeps the order given
  auto r = parse_search_request(params, fixture_taxonomy());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
  return r.ok() ? r.value() : SearchRequest{};
}

TEST(CacheKeyTest, EqualRequestsHaveEqualKeys) {
  SearchRequest a;
  a.query = "money laundering";
  a.filters = {{"actor", {"judiciary", "prosecutors"}}, {"region", {"sahel"}}};
  SearchRequest b = a;
  EXPECT_EQ(cache_key(a), cache_key(b));
  b.filters["actor"] = {"prosecutors", "judiciary"};  // value order does not change the answer
  EXPECT_EQ(cache_key(a), cache_key(b));
}

TEST(CacheKeyTest, ParameterOrderDoesNotMatter) {
  const std::string key = cache_key(parsed({{"q", "hawala"},
                                            {"actor", "judiciary"},
                                            {"actor", "prosecutors"},
                                            {"region", "sahel"},
                                            {"theme", "corruption"},
                                            {"page", "2"}}));
  EXPECT_EQ(key, cache_key(parsed({{"page", "2"},
                                   {"theme", "corruption"},
                                   {"region", "sahel"},
                                   {"actor", "prosecutors"},
                                   {"actor", "judiciary"},
                                   {"q", "hawala"}})));
  // Facet values are case-insensitive, repeated values count once.
  EXPECT_EQ(key, cache_key(parsed({{"q", "hawala"},
                                   {"actor", "Judiciary"},
                                   {"actor", "PROSECUTORS"},
                                   {"actor", "judiciary"},
                                   {"region", "Sahel"},
                                   {"theme", "corruption"},
                                   {"page", "2"}})));
}

// One base request and variants each changing one thing that changes the answer: all keys differ
// from the base and from each other.
TEST(CacheKeyTest, EveryFieldThatChangesTheAnswerChangesTheKey) {
  SearchRequest base;
  base.query = "corruption";
  base.filters = {{"actor", {"judiciary"}}};
  struct Variant {
    std::string what;
    SearchRequest request;
  };
  std::vector<Variant> variants;
  auto vary = [&](const std::string& what, auto change) {
    SearchRequest r = base;
    change(r);
    variants.push_back({what, r});
  };
  vary("query", [](SearchRequest& r) { r.query = "corruptions"; });
  vary("empty query", [](SearchRequest& r) { r.query.clear(); });
  vary("actor value", [](SearchRequest& r) { r.filters["actor"] = {"prosecutors"}; });
  vary("second actor value", [](SearchRequest& r) {
    r.filters["actor"] = {"judiciary", "prosecutors"};
  });
  vary("no actor filter", [](SearchRequest& r) { r.filters.erase("actor"); });
  // Each facet filter on its own.
  vary("practice", [](SearchRequest& r) { r.filters["practice"] = {"18"}; });
  vary("region", [](SearchRequest& r) { r.filters["region"] = {"sahel"}; });
  vary("kind", [](SearchRequest& r) { r.filters["kind"] = {"practice"}; });
  vary("section", [](SearchRequest& r) { r.filters["section"] = {"legal-considerations"}; });
  vary("theme", [](SearchRequest& r) { r.filters["theme"] = {"corruption"}; });
  vary("lang", [](SearchRequest& r) { r.filters["lang"] = {"fr"}; });
  // The same value under another facet is another filter.
  vary("judiciary as a region", [](SearchRequest& r) {
    r.filters.erase("actor");
    r.filters["region"] = {"judiciary"};
  });
  vary("page", [](SearchRequest& r) { r.page = 2; });
  vary("per_page", [](SearchRequest& r) { r.per_page = 20; });
  vary("sort", [](SearchRequest& r) { r.sort = SortOrder::kNumber; });
  vary("ui_lang", [](SearchRequest& r) { r.ui_lang = "fr"; });
  // Page and per_page swapped (1/10 -> 10/1) must not collide.
  vary("page and per_page swapped", [](SearchRequest& r) {
    r.page = 10;
    r.per_page = 1;
  });

  const std::string base_key = cache_key(base);
  std::set<std::string> keys{base_key};
  for (const Variant& v : variants) {
    const std::string key = cache_key(v.request);
    EXPECT_NE(key, base_key) << v.what << " does not change the key";
    EXPECT_TRUE(keys.insert(key).second) << v.what << " collides with another variant: " << key;
  }
}

// The key is unambiguous: text that looks like the key's own separators cannot make two
// different requests collide.
TEST(CacheKeyTest, FieldBoundariesAreUnambiguous) {
  SearchRequest a, b;
  a.query = "a";
  a.filters = {{"actor", {"judiciary"}}};
  b.query = "a" + cache_key(a).substr(3);  // the rest of a's key, as query text
  b.filters = {};
  EXPECT_NE(cache_key(a), cache_key(b));

  SearchRequest c, d;
  c.filters = {{"actor", {"judiciary", "prosecutors"}}};
  d.filters = {{"actor", {"judiciary"}}, {"prosecutors", {}}};
  EXPECT_NE(cache_key(c), cache_key(d));

  SearchRequest e, f;
  e.query = "1/10/r/";
  f.query = "";
  EXPECT_NE(cache_key(e), cache_key(f));
  e.ui_lang = "";
  f.ui_lang = "1/10/r/2:en";
  EXPECT_NE(cache_key(e), cache_key(f));
}

}  // namespace
}  // namespace nexuskb
