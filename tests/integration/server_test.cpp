// Server tests: the real HttpServer on an ephemeral loopback port, driven by a real HTTP client.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using nlohmann::json;
using testing::build_index;
using testing::RunningServer;
using testing::source_path;
using testing::TempDir;

class ServerTest : public testing::FixtureServerTest {
 protected:
  static httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    auto client = server_->client();
    return client.Get(path.c_str(), headers);
  }
  static json get_json(const std::string& path, int expected_status = 200) {
    auto res = get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << "\n" << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    return json::parse(res->body);
  }
  static int facet_count(const json& body, const std::string& facet, const std::string& value) {
    for (const auto& v : body["facets"][facet]) {
      if (v["value"] == value) return v["count"];
    }
    return -1;
  }
};

TEST_F(ServerTest, SearchReturnsHitsAndFacetsWithTheContractFields) {
  json body = get_json("/api/v1/search?q=hawala&lang=en");
  EXPECT_EQ(body["query"], "hawala");
  EXPECT_EQ(body["total"], 1);
  EXPECT_EQ(body["total_all_words"], 1);  // one word: every hit has it
  EXPECT_EQ(body["exhaustive"], true);
  EXPECT_EQ(body["page"], 1);
  EXPECT_EQ(body["per_page"], 10);
  EXPECT_TRUE(body["corrected_query"].is_null());
  EXPECT_TRUE(body["took_ms"].is_number());
  const json& hit = body["hits"][0];
  for (const char* field :
       {"id", "lang", "kind", "number", "title", "url", "passage", "snippet_html", "summary",
        "actors", "regions", "practices", "verified", "other_languages", "all_words", "score"}) {
    EXPECT_TRUE(hit.contains(field)) << field;
  }
  EXPECT_EQ(hit["url"], "/doc/fx-gp-18#follow-the-money");
  EXPECT_EQ(hit["verified"], false);
  EXPECT_EQ(hit["other_languages"], json::array({"fr"}));
  EXPECT_EQ(hit["all_words"], true);
  const json& actor = body["facets"]["actor"][0];
  for (const char* field : {"value", "label", "count", "selected"})
    EXPECT_TRUE(actor.contains(field)) << field;
}

// A long query is searched on its first 16 words, and the answer says so (API and page); the
// words kept still find what they find.
TEST_F(ServerTest, LongQueriesAreSearchedOnTheirFirstWordsAndSaySo) {
  std::string long_query = "hawala";
  for (int i = 0; i < 60; ++i) long_query += "%20filler" + std::to_string(i);
  json body = get_json("/api/v1/search?q=" + long_query);
  bool said = false;
  for (const json& n : body["notices"]) said = said || n["code"] == "words_dropped";
  EXPECT_TRUE(said) << body["notices"];
  EXPECT_GE(body["total"].get<int>(), 1);
  EXPECT_EQ(body["hits"][0]["id"], "fx-gp-18");
  json short_body = get_json("/api/v1/search?q=hawala%20money");
  for (const json& n : short_body["notices"]) EXPECT_NE(n["code"], "words_dropped");
  auto page = get("/search?q=" + long_query);
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("notice-words"), std::string::npos);
}

// Totals and facet counts count items, and a click on any facet value (adding it as a filter)
// finds the number shown, with words and without.
TEST_F(ServerTest, ClickingAnyFacetValueReturnsExactlyItsCount) {
  int clicked = 0;
  for (const std::string q : {"", "hawala", "armed%20group", "corruption"}) {
    json base = get_json("/api/v1/search?q=" + q);
    ASSERT_GT(base["total"], 0) << q;
    for (const char* facet : {"actor", "region", "practice", "kind", "section", "theme", "lang"}) {
      for (const auto& v : base["facets"][facet]) {
        std::string value = v["value"];
        json narrowed = get_json("/api/v1/search?q=" + q + "&" + facet + "=" + value);
        EXPECT_EQ(narrowed["total"], v["count"]) << q << " " << facet << "=" << value;
        ++clicked;
      }
    }
  }
  EXPECT_GT(clicked, 40);
}

// The item is the unit: one hit per item whatever the languages it matched in, and the lang
// facet counts the items available in each language.
TEST_F(ServerTest, AnItemIsOneHitAndTheLangFacetCountsItemsPerLanguage) {
  json hawala = get_json("/api/v1/search?q=hawala");  // in fx-gp-18's English and French text
  EXPECT_EQ(hawala["total"], 1);
  ASSERT_EQ(hawala["hits"].size(), 1u);
  EXPECT_EQ(hawala["hits"][0]["id"], "fx-gp-18");
  EXPECT_EQ(facet_count(hawala, "lang", "en"), 1);
  EXPECT_EQ(facet_count(hawala, "lang", "fr"), 1);
  EXPECT_EQ(facet_count(hawala, "lang", "ar"), -1);  // not listed: no match
  json all = get_json("/api/v1/search?q=&per_page=100");
  EXPECT_EQ(all["total"], 5);  // five items; fx-gp-18 also in French, fx-gp-2 also in Arabic
  EXPECT_EQ(all["hits"].size(), 5u);
  EXPECT_EQ(facet_count(all, "lang", "en"), 5);
  EXPECT_EQ(facet_count(all, "lang", "fr"), 1);
  EXPECT_EQ(facet_count(all, "lang", "ar"), 1);
  int kinds = 0;  // every item has one kind: the kind counts add up to the total
  for (const auto& v : all["facets"]["kind"]) kinds += v["count"].get<int>();
  EXPECT_EQ(kinds, 5);
}

// Filtering on French or Arabic finds the items that have one of these versions (fx-gp-18 in
// French, fx-gp-2 in Arabic); each is shown in a language asked for, not in English.
TEST_F(ServerTest, SeveralLangFiltersShowEachItemInALanguageAskedFor) {
  json either = get_json("/api/v1/search?lang=fr&lang=ar");
  EXPECT_EQ(either["total"], 2);
  ASSERT_EQ(either["hits"].size(), 2u);
  for (const auto& h : either["hits"]) {
    EXPECT_EQ(h["lang"], std::string(h["id"] == "fx-gp-18" ? "fr" : "ar")) << h["id"];
  }
}

// The version shown is the reader's: a lang filter, else Accept-Language; an item without that
// version is shown in the version that matched, and every hit lists its other versions.
TEST_F(ServerTest, HitsAreShownInTheReadersLanguageWhenTheItemHasIt) {
  auto hit_for = [](const std::string& path, const httplib::Headers& headers) {
    auto res = get(path, headers);
    EXPECT_TRUE(res && res->status == 200) << path;
    if (!res) return json();
    json body = json::parse(res->body);
    EXPECT_EQ(body["hits"].size(), 1u) << path;
    return body["hits"].empty() ? json() : body["hits"][0];
  };
  const httplib::Headers french = {{"Accept-Language", "fr-FR,fr;q=0.9"}};
  const httplib::Headers english = {{"Accept-Language", "en"}};
  json h = hit_for("/api/v1/search?q=hawala&lang=fr", {});
  EXPECT_EQ(h["lang"], "fr");
  EXPECT_EQ(h["title"], "Suivre l'argent entre crime et terrorisme");
  EXPECT_EQ(h["other_languages"], json::array({"en"}));
  EXPECT_EQ(h["url"], "/doc/fx-gp-18?lang=fr#suivre-l-argent");
  h = hit_for("/api/v1/search?q=hawala", french);
  EXPECT_EQ(h["lang"], "fr");
  EXPECT_EQ(h["other_languages"], json::array({"en"}));
  h = hit_for("/api/v1/search?q=hawala", english);
  EXPECT_EQ(h["lang"], "en");
  EXPECT_EQ(h["other_languages"], json::array({"fr"}));
  // fx-gp-2 has no French version: the version that matched is shown.
  h = hit_for("/api/v1/search?q=corruption", french);
  EXPECT_EQ(h["id"], "fx-gp-2");
  EXPECT_EQ(h["lang"], "en");
  EXPECT_EQ(h["other_languages"], json::array({"ar"}));
  h = hit_for("/api/v1/search?q=%D9%81%D8%B3%D8%A7%D8%AF", french);  // فساد, corruption
  EXPECT_EQ(h["id"], "fx-gp-2");
  EXPECT_EQ(h["lang"], "ar");
  EXPECT_EQ(h["other_languages"], json::array({"en"}));
  EXPECT_NE(h["snippet_html"].get<std::string>().find("<mark>"), std::string::npos);
  // The HTML results page follows its UI language the same way.
  auto page = get("/search?q=hawala&ui=fr");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Suivre l&#39;argent entre crime et terrorisme"), std::string::npos);
  EXPECT_NE(page->body.find("fx-gp-18?lang=fr#suivre-l-argent"), std::string::npos);
}

// The matching tiers: for two words, the items with both come first (all_words) and are counted
// apart (total_all_words); walking every page meets each item once.
TEST_F(ServerTest, ItemsWithEveryWordComeFirstAcrossPages) {
  for (const std::string filters : {"", "&region=sahel", "&sort=number"}) {
    SCOPED_TRACE(filters);
    json first = get_json("/api/v1/search?q=armed%20group&per_page=1" + filters);
    const int total = first["total"], all_words = first["total_all_words"];
    EXPECT_GT(total, all_words);
    EXPECT_EQ(all_words, 2);  // fx-gp-2 and the scenario; fx-concept and fx-gp-18 have "group"
    EXPECT_TRUE(first["notices"].empty()) << first["notices"];
    std::set<std::string> seen;
    int walked = 0, flagged = 0;
    for (int page = 1; page <= total + 1; ++page) {
      json body = get_json(
          "/api/v1/search?q=armed%20group&per_page=1&page=" + std::to_string(page) + filters);
      EXPECT_EQ(body["total"], total);
      EXPECT_EQ(body["total_all_words"], all_words);
      for (const auto& hit : body["hits"]) {
        EXPECT_TRUE(seen.insert(hit["id"].get<std::string>()).second) << hit["id"];
        const bool every = hit["id"] == "fx-gp-2" || hit["id"] == "fx-scenario-kidnap";
        EXPECT_EQ(hit["all_words"], every) << hit["id"];
        if (filters != "&sort=number") {
          EXPECT_EQ(hit["all_words"], walked < all_words) << page;  // the first tier leads
        }
        flagged += hit["all_words"].get<bool>();
        ++walked;
      }
    }
    EXPECT_EQ(walked, total);
    EXPECT_EQ(flagged, all_words);
  }
  EXPECT_EQ(get_json("/api/v1/search?q=armed%20group")["total"], 4);
  EXPECT_EQ(get_json("/api/v1/search?q=armed%20group&region=sahel")["total"], 3);
}

TEST_F(ServerTest, RepeatedParameterIsOrAndDifferentFacetsAreAnd) {
  EXPECT_EQ(get_json("/api/v1/search?actor=judiciary&actor=fiu")["total"], 4);
  EXPECT_EQ(get_json("/api/v1/search?actor=judiciary&region=balkans")["total"], 1);
  json selected = get_json("/api/v1/search?actor=fiu");
  EXPECT_EQ(facet_count(selected, "actor", "judiciary"), 3);  // disjunctive
}

TEST_F(ServerTest, BadParametersGetA400WithTheJsonErrorBody) {
  struct Case {
    std::string path, code, parameter;
  } cases[] = {
      {"/api/v1/search?page=0", "invalid_page", "page"},
      {"/api/v1/search?per_page=101", "invalid_per_page", "per_page"},
      {"/api/v1/search?per_page=ten", "invalid_per_page", "per_page"},
      {"/api/v1/search?colour=red", "unknown_parameter", "colour"},
      {"/api/v1/search?actor=wizards", "unknown_value", "actor"},
      {"/api/v1/search?practice=abc", "unknown_value", "practice"},
      {"/api/v1/search?sort=random", "invalid_sort", "sort"},
      {"/api/v1/search?q=%FF%FE", "invalid_utf8", "q"},
      {"/api/v1/search?page=2000&per_page=100", "page_out_of_range", "page"},
  };
  for (const Case& c : cases) {
    json body = get_json(c.path, 400);
    EXPECT_EQ(body["error"]["code"], c.code) << c.path;
    EXPECT_EQ(body["error"]["parameter"], c.parameter) << c.path;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(get_json("/api/v1/search?q=hawala")["total"], 1);  // still serving
}

TEST_F(ServerTest, UnknownRoutesDocumentsAndMethodsAreClearErrors) {
  EXPECT_EQ(get_json("/api/v1/nothing", 404)["error"]["code"], "not_found");
  EXPECT_EQ(get_json("/api/v1/documents/no-such-item", 404)["error"]["code"], "not_found");
  auto client = server_->client();
  auto res = client.Post("/api/v1/search", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "method_not_allowed");
  auto head = client.Head("/api/v1/search?q=hawala");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
}

TEST_F(ServerTest, DocumentEndpointReturnsBodyPassagesTranslationsAndCitation) {
  json doc = get_json("/api/v1/documents/fx-gp-18");
  EXPECT_EQ(doc["lang"], "en");
  EXPECT_EQ(doc["number"], 18);
  EXPECT_NE(doc["html"].get<std::string>().find("id=\"follow-the-money\""), std::string::npos);
  EXPECT_EQ(doc["translations"][0]["lang"], "fr");
  EXPECT_FALSE(doc["citation"]["text"].get<std::string>().empty());
  EXPECT_EQ(get_json("/api/v1/documents/fx-gp-18?lang=fr")["lang"], "fr");
  EXPECT_EQ(get_json("/api/v1/documents/fx-gp-18?lang=xx", 400)["error"]["parameter"], "lang");
}

TEST_F(ServerTest, RelatedSuggestFacetsAndHealth) {
  EXPECT_EQ(get_json("/api/v1/related/fx-gp-18")["related"][0]["id"], "fx-gp-1");
  EXPECT_EQ(get_json("/api/v1/suggest?q=ransom")["suggestions"][0]["text"],
            "Ransom on the desert road");
  json facets = get_json("/api/v1/facets");
  EXPECT_EQ(facets["total"], 5);  // items
  EXPECT_EQ(get_json("/healthz")["status"], "ok");
  EXPECT_EQ(get_json("/readyz")["ready"], true);
}

TEST_F(ServerTest, HtmlPagesRenderAndEscapeContentAndQueries) {
  auto home = get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("<form"), std::string::npos);

  auto search = get("/search?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
  EXPECT_EQ(search->body.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(search->body.find("&quot;&gt;&lt;script&gt;"), std::string::npos);

  auto concept_page = get("/doc/fx-concept");
  ASSERT_TRUE(concept_page);
  EXPECT_EQ(concept_page->status, 200);
  EXPECT_NE(concept_page->body.find("The &quot;nexus&quot; &lt;concept&gt; &amp; its forms"),
            std::string::npos);
  EXPECT_EQ(concept_page->body.find("<b>evolve</b>"), std::string::npos);
  EXPECT_NE(concept_page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(concept_page->get_header_value("X-Content-Type-Options"), "nosniff");

  auto missing = get("/doc/nothing-here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->get_header_value("Content-Type").find("text/html"), std::string::npos);
}

TEST_F(ServerTest, HtmlSearchShowsFacetCountsAndUnverifiedBadges) {
  auto res = get("/search?q=corruption&lang=en");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("Unverified summary"), std::string::npos);
  EXPECT_NE(res->body.find("name=\"actor\" value=\"judiciary\""), std::string::npos);
  auto fr = get("/search?q=blanchiment&lang=fr");
  ASSERT_TRUE(fr);
  EXPECT_NE(fr->body.find("lang=\"fr\""), std::string::npos);
  EXPECT_NE(fr->body.find("Résumé non vérifié"), std::string::npos);
  auto ar = get("/", {{"Accept-Language", "ar,en;q=0.5"}});
  ASSERT_TRUE(ar);
  EXPECT_NE(ar->body.find("dir=\"rtl\""), std::string::npos);
}

TEST_F(ServerTest, StaticFilesAreServedOnlyFromTheAssetsFolder) {
  auto css = get("/static/style.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  const std::string etag = css->get_header_value("ETag");
  EXPECT_FALSE(etag.empty());
  auto again = get("/static/style.css", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  for (const char* path : {"/static/../home.mustache", "/static/%2e%2e/home.mustache",
                           "/static/..%2fCMakeLists.txt", "/static/i18n/en.json"}) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
  }
}

}  // namespace
}  // namespace nexuskb

namespace nexuskb {
namespace {

TEST_F(ServerTest, MetricsCountRequestsPerRouteInPrometheusFormat) {
  auto client = server_->client();
  ASSERT_TRUE(client.Get("/api/v1/search?q=hawala"));
  ASSERT_TRUE(client.Get("/api/v1/search?page=0"));
  ASSERT_TRUE(client.Get("/doc/fx-gp-18"));
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_NE(body.find("nexuskb_http_requests_total{route=\"/api/v1/search\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(body.find("nexuskb_http_requests_total{route=\"/api/v1/search\",status=\"400\"}"),
            std::string::npos);
  EXPECT_NE(body.find("nexuskb_http_requests_total{route=\"/doc/{id}\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(
      body.find(
          "nexuskb_http_request_duration_seconds_bucket{route=\"/api/v1/search\",le=\"+Inf\"}"),
      std::string::npos);
  EXPECT_NE(body.find("nexuskb_index_documents 5\n"), std::string::npos);  // one per item
  EXPECT_NE(body.find("nexuskb_build_info{version="), std::string::npos);
  EXPECT_EQ(body.find("hawala"), std::string::npos);  // no query text in metrics
}

}  // namespace
}  // namespace nexuskb

namespace nexuskb {
namespace {

TEST_F(ServerTest, SearchFeaturesThroughTheApi) {
  // Synonyms: "fiu" is only written out as "financial intelligence unit".
  EXPECT_EQ(get_json("/api/v1/search?q=fiu&lang=en")["hits"][0]["id"], "fx-gp-18");
  // Naming a good practice puts it first, in the reader's language.
  for (const char* q :
       {"GP%2018", "gp18", "good%20practice%2018", "bonne%20pratique%2018", "practice%3A18"}) {
    json body = get_json(std::string("/api/v1/search?q=") + q);
    EXPECT_EQ(body["hits"][0]["id"], "fx-gp-18") << q;
  }
  EXPECT_EQ(get_json("/api/v1/search?q=GP%2018&lang=fr")["hits"][0]["lang"], "fr");
  // Did you mean: the correction is returned and, as nothing matched, applied.
  json corrected = get_json("/api/v1/search?q=coruption");
  EXPECT_EQ(corrected["corrected_query"], "corruption");
  EXPECT_EQ(corrected["correction_applied"], true);
  EXPECT_GT(corrected["total"], 0);
  // Phrases, boolean operators, exclusion, wildcards and field prefixes.
  EXPECT_EQ(get_json("/api/v1/search?q=%22special%20investigative%20techniques%22")["total"], 1);
  EXPECT_EQ(get_json("/api/v1/search?q=haw*&lang=en")["hits"][0]["id"], "fx-gp-18");
  EXPECT_EQ(get_json("/api/v1/search?q=title%3Aransom")["hits"][0]["id"], "fx-scenario-kidnap");
  EXPECT_EQ(get_json("/api/v1/search?q=actor%3AFIU")["total"], 1);
  // No item has both words: the items with one of them, and the answer says so.
  json relaxed = get_json("/api/v1/search?q=hawala%20kidnaps");
  EXPECT_EQ(relaxed["total"], 2);
  EXPECT_EQ(relaxed["total_all_words"], 0);
  ASSERT_EQ(relaxed["notices"].size(), 1u);
  EXPECT_EQ(relaxed["notices"][0]["code"], "relaxed");
  // sort=number orders practices by their number.
  json sorted = get_json("/api/v1/search?kind=practice&lang=en&sort=number");
  EXPECT_EQ(sorted["hits"][0]["number"], 1);
  EXPECT_EQ(sorted["hits"][2]["number"], 18);
  // Facet labels follow the language; facet values are ordered by count.
  json fr = get_json("/api/v1/search?lang=fr");
  EXPECT_EQ(fr["facets"]["actor"][0]["label"], "Cellules de renseignement financier");
}

// An excluded word excludes the items that contain it: fx-gp-18 is shown in English, and its
// English text says "trade invoices".
TEST_F(ServerTest, ExcludedWordsExcludeTheItemsThatContainThem) {
  EXPECT_EQ(get_json("/api/v1/search?q=hawala&lang=en")["total"], 1);
  EXPECT_EQ(get_json("/api/v1/search?q=hawala%20NOT%20trade&lang=en")["total"], 0);
  EXPECT_EQ(get_json("/api/v1/search?q=hawala%20-invoices&lang=en")["total"], 0);
}

unsigned long long metric_value(httplib::Client& client, const std::string& series) {
  auto res = client.Get("/metrics");
  if (!res) return 0;
  const size_t at = res->body.find("\n" + series + " ");
  return at == std::string::npos ? 0 : std::stoull(res->body.substr(at + series.size() + 2));
}

TEST_F(ServerTest, RepeatedSearchesAreAnsweredFromTheCacheWithTheSameBody) {
  auto client = server_->client();
  const std::string hits_series = "nexuskb_cache_lookups_total{result=\"hit\"}";
  const unsigned long long hits_before = metric_value(client, hits_series);
  const std::string url = "/api/v1/search?q=cachemarker%20corruption&actor=judiciary&actor=fiu";
  auto first = client.Get(url);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->get_header_value("X-Cache"), "miss");
  auto second = client.Get(url);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(second->body, first->body);
  ASSERT_FALSE(json::parse(first->body)["hits"].empty());
  EXPECT_EQ(second->get_header_value("Content-Type"), "application/json");
  // The same request written differently is the same entry; another page is not.
  auto reordered =
      client.Get("/api/v1/search?actor=fiu&q=cachemarker%20corruption&actor=judiciary");
  ASSERT_TRUE(reordered);
  EXPECT_EQ(reordered->get_header_value("X-Cache"), "hit");
  auto other_page = client.Get(url + "&page=2");
  ASSERT_TRUE(other_page);
  EXPECT_EQ(other_page->get_header_value("X-Cache"), "miss");
  EXPECT_NE(json::parse(other_page->body)["hits"], json::parse(first->body)["hits"]);
  auto french = client.Get(url + "&lang=fr");
  ASSERT_TRUE(french);
  EXPECT_EQ(french->status, 200);
  EXPECT_EQ(french->get_header_value("X-Cache"), "miss");
  // Errors are never cached.
  auto bad = client.Get("/api/v1/search?page=0");
  auto bad_again = client.Get("/api/v1/search?page=0");
  ASSERT_TRUE(bad && bad_again);
  EXPECT_EQ(bad_again->status, 400);
  EXPECT_EQ(bad_again->get_header_value("X-Cache"), "");
  EXPECT_EQ(metric_value(client, hits_series), hits_before + 2);
}

}  // namespace
}  // namespace nexuskb
