// URL helpers (encoding, toggling and setting parameters) and the UI language choice.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/html_pages.h"
#include "server/url.h"

namespace nexuskb {
namespace {

TEST(UrlTest, UrlEncode) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"abcXYZ019-_.~", "abcXYZ019-_.~"},
      {"follow the money", "follow%20the%20money"},
      {"a&b=c", "a%26b%3Dc"},
      {"region:sahel", "region%3Asahel"},
      {"\"quoted\"", "%22quoted%22"},
      {"100%", "100%25"},
      {"a+b", "a%2Bb"},
      {"/?#", "%2F%3F%23"},
      {"été", "%C3%A9t%C3%A9"},
      {"\xFF", "%FF"},
  };
  for (const Case& c : cases) EXPECT_EQ(url_encode(c.in), c.out) << c.in;
}

TEST(UrlTest, QueryString) {
  EXPECT_EQ(query_string({}), "");
  EXPECT_EQ(query_string({{"q", "fiu report"}, {"actor", "fiu"}}), "q=fiu%20report&actor=fiu");
  EXPECT_EQ(query_string({{"q", ""}}), "q=");
  EXPECT_EQ(query_string({{"a b", "c&d"}}), "a%20b=c%26d");
}

TEST(UrlTest, ToggleParam) {
  struct Case {
    const char* name;
    ParamList params;
    std::string key, value;
    ParamList out;
  };
  const std::vector<Case> cases = {
      {"adds when absent", {{"q", "money"}}, "actor", "fiu", {{"q", "money"}, {"actor", "fiu"}}},
      {"removes when present",
       {{"q", "money"}, {"actor", "fiu"}, {"actor", "judiciary"}},
       "actor",
       "fiu",
       {{"q", "money"}, {"actor", "judiciary"}}},
      {"adds a second value of the same facet",
       {{"actor", "judiciary"}},
       "actor",
       "fiu",
       {{"actor", "judiciary"}, {"actor", "fiu"}}},
      {"drops page when adding",
       {{"q", "x"}, {"page", "3"}},
       "region",
       "sahel",
       {{"q", "x"}, {"region", "sahel"}}},
      {"drops page when removing", {{"page", "2"}, {"region", "sahel"}}, "region", "sahel", {}},
      {"same value in another key is kept",
       {{"region", "global"}},
       "actor",
       "global",
       {{"region", "global"}, {"actor", "global"}}},
      {"empty list", {}, "lang", "fr", {{"lang", "fr"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(toggle_param(c.params, c.key, c.value), c.out);
  }
}

TEST(UrlTest, ToggleTwiceRestoresParamsWithoutPage) {
  ParamList start = {{"q", "money"}, {"page", "4"}, {"actor", "fiu"}};
  ParamList once = toggle_param(start, "region", "sahel");
  ParamList twice = toggle_param(once, "region", "sahel");
  EXPECT_EQ(twice, (ParamList{{"q", "money"}, {"actor", "fiu"}}));
}

TEST(UrlTest, SetParam) {
  struct Case {
    const char* name;
    ParamList params;
    std::string key, value;
    ParamList out;
  };
  const std::vector<Case> cases = {
      {"adds", {{"q", "x"}}, "page", "2", {{"q", "x"}, {"page", "2"}}},
      {"replaces", {{"page", "2"}, {"q", "x"}}, "page", "3", {{"q", "x"}, {"page", "3"}}},
      {"replaces every occurrence",
       {{"sort", "a"}, {"q", "x"}, {"sort", "b"}},
       "sort",
       "number",
       {{"q", "x"}, {"sort", "number"}}},
      {"empty value removes", {{"q", "x"}, {"lang", "fr"}}, "lang", "", {{"q", "x"}}},
      {"empty value on absent key", {{"q", "x"}}, "lang", "", {{"q", "x"}}},
      {"other keys keep their order",
       {{"actor", "fiu"}, {"q", "x"}, {"actor", "judiciary"}},
       "q",
       "y",
       {{"actor", "fiu"}, {"actor", "judiciary"}, {"q", "y"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(set_param(c.params, c.key, c.value), c.out);
  }
}

TEST(UiLanguageTest, ChooseUiLanguage) {
  struct Case {
    const char* name;
    QueryParams params;
    std::string accept_language;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"nothing", {}, "", "en"},
      {"?lang wins over header", {{"lang", "fr"}}, "ar", "fr"},
      {"?lang ar", {{"lang", "ar"}}, "", "ar"},
      {"unsupported ?lang falls back to header", {{"lang", "de"}}, "fr", "fr"},
      {"empty ?lang falls back to header", {{"lang", ""}}, "ar", "ar"},
      {"plain header", {}, "fr", "fr"},
      {"region subtag", {}, "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
      {"upper case tag", {}, "FR-CA", "fr"},
      {"highest q wins", {}, "en;q=0.5,ar;q=0.9", "ar"},
      {"highest q wins regardless of order", {}, "fr;q=0.4, en;q=0.6", "en"},
      {"spaces around parts", {}, " de-DE , ar ; q=0.7 ", "ar"},
      {"only unsupported languages", {}, "de-DE,es;q=0.9", "en"},
      {"unsupported first, supported later", {}, "de,fr;q=0.3", "fr"},
      {"equal q keeps the first", {}, "ar,fr", "ar"},
      {"wildcard", {}, "*", "en"},
      {"garbage", {}, ";;;,,,q=", "en"},
      {"ar-EG", {}, "ar-EG", "ar"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(choose_ui_language(c.params, c.accept_language), c.expected);
  }
}

// RFC 9110 section 12.4.2: a quality of 0 means "not acceptable", so such a language must never be
// chosen.
TEST(UiLanguageTest, ZeroQualityMeansNotAcceptable) {
  EXPECT_EQ(choose_ui_language({}, "fr;q=0"), "en");
  EXPECT_EQ(choose_ui_language({}, "de,ar;q=0.0"), "en");
  EXPECT_EQ(choose_ui_language({}, "ar;q=0,fr;q=0.1"), "fr");
}

}  // namespace
}  // namespace nexuskb
