// Search request parsing: defaults, typed fields, and each rejected parameter's code and name.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/taxonomy.h"
#include "core/text.h"
#include "server/search_request.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::source_path;

using testing::fixture_taxonomy;

Expected<SearchRequest> parse(const QueryParams& params, const RequestLimits& limits = {}) {
  return parse_search_request(params, fixture_taxonomy(), limits);
}

TEST(SearchRequestTest, Defaults) {
  auto r = parse({});
  ASSERT_TRUE(r.ok());
  const SearchRequest& req = r.value();
  EXPECT_EQ(req.query, "");
  EXPECT_TRUE(req.filters.empty());
  EXPECT_EQ(req.page, 1);
  EXPECT_EQ(req.per_page, 10);
  EXPECT_EQ(req.sort, SortOrder::kRelevance);
  EXPECT_EQ(req.ui_lang, "en");
}

TEST(SearchRequestTest, TypedFields) {
  auto r = parse({{"q", "follow the money"},
                  {"page", "3"},
                  {"per_page", "100"},
                  {"sort", "number"},
                  {"actor", "fiu"},
                  {"region", "sahel"},
                  {"practice", "18"},
                  {"lang", "fr"}});
  ASSERT_TRUE(r.ok()) << r.error().code;
  const SearchRequest& req = r.value();
  EXPECT_EQ(req.query, "follow the money");
  EXPECT_EQ(req.page, 3);
  EXPECT_EQ(req.per_page, 100);
  EXPECT_EQ(req.sort, SortOrder::kNumber);
  EXPECT_EQ(req.filters.at("actor"), (std::vector<std::string>{"fiu"}));
  EXPECT_EQ(req.filters.at("region"), (std::vector<std::string>{"sahel"}));
  EXPECT_EQ(req.filters.at("practice"), (std::vector<std::string>{"18"}));
  EXPECT_EQ(req.ui_lang, "fr");  // the first lang filter
}

TEST(SearchRequestTest, SortValues) {
  struct Case {
    std::string value;
    bool ok;
    SortOrder sort;
  };
  const std::vector<Case> cases = {
      {"relevance", true, SortOrder::kRelevance}, {"number", true, SortOrder::kNumber},
      {"date", false, SortOrder::kRelevance},     {"", false, SortOrder::kRelevance},
      {"Number", false, SortOrder::kRelevance},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    auto r = parse({{"sort", c.value}});
    ASSERT_EQ(r.ok(), c.ok);
    if (c.ok) {
      EXPECT_EQ(r.value().sort, c.sort);
    } else {
      EXPECT_EQ(r.error().code, "invalid_sort");
      EXPECT_EQ(r.error().parameter, "sort");
      EXPECT_EQ(r.error().status, 400);
    }
  }
}

TEST(SearchRequestTest, RejectedParameters) {
  struct Case {
    const char* name;
    QueryParams params;
    const char* code;
    const char* parameter;
  };
  const std::vector<Case> cases = {
      {"page 0", {{"page", "0"}}, "invalid_page", "page"},
      {"negative page", {{"page", "-1"}}, "invalid_page", "page"},
      {"page not a number", {{"page", "two"}}, "invalid_page", "page"},
      {"page with suffix", {{"page", "2x"}}, "invalid_page", "page"},
      {"page with space", {{"page", " 2"}}, "invalid_page", "page"},
      {"page with plus", {{"page", "+2"}}, "invalid_page", "page"},
      {"page empty", {{"page", ""}}, "invalid_page", "page"},
      {"page fraction", {{"page", "1.5"}}, "invalid_page", "page"},
      {"page huge", {{"page", "99999999999999999999"}}, "invalid_page", "page"},
      {"per_page 0", {{"per_page", "0"}}, "invalid_per_page", "per_page"},
      {"per_page 101", {{"per_page", "101"}}, "invalid_per_page", "per_page"},
      {"per_page not a number", {{"per_page", "ten"}}, "invalid_per_page", "per_page"},
      {"unknown parameter", {{"colour", "blue"}}, "unknown_parameter", "colour"},
      {"facet name wrong case", {{"Actor", "fiu"}}, "unknown_parameter", "Actor"},
      {"unknown actor", {{"actor", "wizards"}}, "unknown_value", "actor"},
      {"unknown region", {{"region", "mars"}}, "unknown_value", "region"},
      {"unknown kind", {{"kind", "essay"}}, "unknown_value", "kind"},
      {"unknown section", {{"section", "nowhere"}}, "unknown_value", "section"},
      {"unknown theme", {{"theme", "astrology"}}, "unknown_value", "theme"},
      {"unknown lang", {{"lang", "de"}}, "unknown_value", "lang"},
      {"practice not a number", {{"practice", "abc"}}, "unknown_value", "practice"},
      {"practice 0", {{"practice", "0"}}, "unknown_value", "practice"},
      {"practice 1000", {{"practice", "1000"}}, "unknown_value", "practice"},
      {"practice with prefix", {{"practice", "GP23"}}, "unknown_value", "practice"},
      {"invalid UTF-8 in q", {{"q", "caf\xE9"}}, "invalid_utf8", "q"},
      {"invalid UTF-8 in facet", {{"region", "\xC0\xAF"}}, "invalid_utf8", "region"},
      {"NUL in q", {{"q", std::string("a\0b", 3)}}, "invalid_utf8", "q"},
      {"q too long", {{"q", std::string(1025, 'a')}}, "query_too_long", "q"},
      {"depth limit", {{"page", "101"}, {"per_page", "100"}}, "page_out_of_range", "page"},
      {"depth limit default per_page", {{"page", "1001"}}, "page_out_of_range", "page"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse(c.params);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().parameter, c.parameter);
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(SearchRequestTest, AcceptedBoundaries) {
  struct Case {
    const char* name;
    QueryParams params;
  };
  const std::vector<Case> cases = {
      {"per_page 1", {{"per_page", "1"}}},
      {"per_page 100", {{"per_page", "100"}}},
      {"q of exactly 1024 bytes", {{"q", std::string(1024, 'a')}}},
      {"deepest page", {{"page", "100"}, {"per_page", "100"}}},
      {"deepest page default per_page", {{"page", "1000"}}},
      {"practice 999", {{"practice", "999"}}},
      {"practice 1", {{"practice", "1"}}},
      {"UTF-8 query", {{"q", "blanchiment de capitaux \xC3\xA9t\xC3\xA9"}}},
      {"empty facet value means any", {{"actor", ""}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse(c.params);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
  }
}

TEST(SearchRequestTest, RepeatedFacetValuesAreOrAndDeduplicated) {
  auto r = parse({{"actor", "fiu"},
                  {"actor", "judiciary"},
                  {"actor", "fiu"},
                  {"actor", "FIU"},
                  {"region", "Sahel"}});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r.value().filters.at("actor"), (std::vector<std::string>{"fiu", "judiciary"}));
  EXPECT_EQ(r.value().filters.at("region"), (std::vector<std::string>{"sahel"}));
  EXPECT_EQ(r.value().filters.size(), 2u);
}

TEST(SearchRequestTest, EmptyFacetValueAddsNoFilter) {
  auto r = parse({{"actor", ""}, {"region", "global"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().filters.count("actor"), 0u);
  EXPECT_EQ(r.value().filters.at("region"), (std::vector<std::string>{"global"}));
}

TEST(SearchRequestTest, TooManyValuesForOneFacet) {
  RequestLimits limits;
  limits.max_values_per_facet = 2;
  auto ok = parse({{"actor", "fiu"}, {"actor", "judiciary"}}, limits);
  EXPECT_TRUE(ok.ok());
  auto r = parse({{"actor", "fiu"}, {"actor", "judiciary"}, {"actor", "prosecutors"}}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_values");
  EXPECT_EQ(r.error().parameter, "actor");
}

TEST(SearchRequestTest, CustomLimits) {
  RequestLimits limits;
  limits.max_query_bytes = 5;
  limits.max_per_page = 20;
  limits.max_result_depth = 40;
  EXPECT_TRUE(parse({{"q", "12345"}}, limits).ok());
  EXPECT_EQ(parse({{"q", "123456"}}, limits).error().code, "query_too_long");
  EXPECT_EQ(parse({{"per_page", "21"}}, limits).error().code, "invalid_per_page");
  EXPECT_TRUE(parse({{"page", "2"}, {"per_page", "20"}}, limits).ok());
  EXPECT_EQ(parse({{"page", "3"}, {"per_page", "20"}}, limits).error().code, "page_out_of_range");
}

TEST(SearchRequestTest, RepeatedQueryParametersAreJoined) {
  auto r = parse({{"q", "follow"}, {"q", "money"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().query, "follow money");
}

// The limit bounds the query that is parsed, however many q parameters carry it.
TEST(SearchRequestTest, RepeatedQueryParametersCannotExceedTheLimit) {
  RequestLimits limits;
  limits.max_query_bytes = 10;
  EXPECT_TRUE(parse({{"q", "abcd"}, {"q", "efgh"}}, limits).ok());  // "abcd efgh": 9 bytes
  auto r = parse({{"q", "abcdefgh"}, {"q", "ijklmnop"}}, limits);   // 17 bytes
  ASSERT_FALSE(r.ok()) << r.value().query;
  EXPECT_EQ(r.error().code, "query_too_long");
  EXPECT_EQ(r.error().parameter, "q");
}

// The error is rendered as JSON, which must be valid UTF-8: a bad parameter *name* must not be
// echoed back raw.
TEST(SearchRequestTest, InvalidUtf8ParameterNameGivesPrintableError) {
  auto r = parse({{"\xFF", "1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_utf8");
  EXPECT_TRUE(is_valid_utf8(r.error().parameter)) << r.error().parameter;
  EXPECT_TRUE(is_valid_utf8(r.error().message)) << r.error().message;
}

TEST(SearchRequestTest, ExtraAllowedParameters) {
  auto rejected = parse_search_request({{"ui", "fr"}}, fixture_taxonomy());
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, "unknown_parameter");
  EXPECT_EQ(rejected.error().parameter, "ui");
  auto accepted = parse_search_request({{"ui", "fr"}, {"q", "x"}}, fixture_taxonomy(), {}, {"ui"});
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.value().query, "x");
  EXPECT_TRUE(accepted.value().filters.empty());
}

// A practice filter becomes the term XP<number>, which the indexer writes as std::to_string(n):
// "07" is normalised to "7" (and is then the same value as "7"), never kept as a value no
// document has; what is not a practice number is refused.
TEST(SearchRequestTest, PracticeValueIsCanonicalNumber) {
  auto r = parse({{"practice", "07"}, {"practice", "7"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().filters.at("practice"), (std::vector<std::string>{"7"}));
  for (const char* bad : {"0", "seven", "7a", "-7", "1000"}) {
    auto refused = parse({{"practice", bad}});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().parameter, "practice") << bad;
  }
}

TEST(SearchRequestTest, ParseInt) {
  struct Case {
    std::string s;
    int lo, hi;
    bool ok;
    int value;
  };
  const std::vector<Case> cases = {
      {"1", 1, 10, true, 1},
      {"10", 1, 10, true, 10},
      {"0", 1, 10, false, 0},
      {"11", 1, 10, false, 0},
      {"-3", -5, 5, true, -3},
      {"", 0, 10, false, 0},
      {"1e3", 0, 10000, false, 0},
      {"0x10", 0, 100, false, 0},
      {"1234567890", 0, 2000000000, false, 0},
      {"123456789", 0, 200000000, true, 123456789},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.s);
    int out = -999;
    EXPECT_EQ(parse_int(c.s, c.lo, c.hi, out), c.ok);
    if (c.ok) {
      EXPECT_EQ(out, c.value);
    } else {
      EXPECT_EQ(out, -999);  // untouched on failure
    }
  }
}

}  // namespace
}  // namespace nexuskb
