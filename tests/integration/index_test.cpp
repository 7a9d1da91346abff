// Index-level tests: the fixture corpus indexed for real, searched through SearchService.
#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/schema.h"
#include "core/stored_item.h"
#include "indexer/document_builder.h"
#include "indexer/indexer.h"
#include "server/query_builder.h"
#include "server/search_service.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::source_path;
using testing::TempDir;

class FixtureIndex : public ::testing::Test {
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
  SearchResult search(const std::string& q,
                      std::map<std::string, std::vector<std::string>> filters = {}) {
    SearchRequest r;
    r.query = q;
    r.filters = std::move(filters);
    return SearchService(*index_).search(r);
  }
  static Xapian::doccount count_of(const SearchResult& r, const std::string& facet,
                                   const std::string& value) {
    for (const auto& f : r.facets) {
      if (f.name != facet) continue;
      for (const auto& v : f.values) {
        if (v.value == value) return v.count;
      }
    }
    return 0;
  }
  static TempDir* dir_;
  static IndexHandle* index_;
};
TempDir* FixtureIndex::dir_ = nullptr;
IndexHandle* FixtureIndex::index_ = nullptr;

// Totals and facet counts count items, whatever the number of language versions: five items,
// fx-gp-18 in English and French, fx-gp-2 in English and Arabic.
TEST_F(FixtureIndex, EmptyQueryMatchesEveryItemWithExactFacetCounts) {
  SearchResult r = search("");
  EXPECT_EQ(r.total, 5u);
  EXPECT_EQ(r.total_all_words, r.total);  // no words: nothing is missing
  EXPECT_FALSE(r.relaxed);
  EXPECT_TRUE(r.exhaustive);
  EXPECT_EQ(count_of(r, "actor", "judiciary"), 3u);        // concept, gp-2, scenario
  EXPECT_EQ(count_of(r, "actor", "prosecutors"), 2u);      // gp-1, gp-2
  EXPECT_EQ(count_of(r, "actor", "law-enforcement"), 2u);  // gp-18, scenario
  EXPECT_EQ(count_of(r, "region", "sahel"), 3u);           // gp-18, gp-2, scenario
  EXPECT_EQ(count_of(r, "region", "global"), 2u);          // gp-1, gp-18
  EXPECT_EQ(count_of(r, "practice", "18"), 3u);            // concept, gp-1, gp-18
  EXPECT_EQ(count_of(r, "practice", "2"), 2u);             // gp-2, scenario
  EXPECT_EQ(count_of(r, "kind", "practice"), 3u);
  EXPECT_EQ(count_of(r, "theme", "corruption"), 2u);  // gp-1, gp-2 (gp-2 in two languages)
  // The lang facet counts the items available in each language.
  EXPECT_EQ(count_of(r, "lang", "en"), 5u);
  EXPECT_EQ(count_of(r, "lang", "fr"), 1u);
  EXPECT_EQ(count_of(r, "lang", "ar"), 1u);
  // Every item has exactly one kind and one section: their counts add up to the total.
  for (const char* single : {"kind", "section"}) {
    Xapian::doccount sum = 0;
    for (const auto& f : r.facets) {
      if (f.name != single) continue;
      for (const auto& v : f.values) sum += v.count;
    }
    EXPECT_EQ(sum, r.total) << single;
  }
}

TEST_F(FixtureIndex, EveryFacetCountEqualsTheTotalWhenThatValueIsSelected) {
  SearchResult base = search("", {{"region", {"sahel"}}});
  for (const auto& facet : base.facets) {
    for (const auto& v : facet.values) {
      auto filters = std::map<std::string, std::vector<std::string>>{{"region", {"sahel"}}};
      if (facet.name == "region") {
        filters["region"].push_back(v.value);  // OR within the facet
      } else {
        filters[facet.name] = {v.value};
      }
      SearchResult clicked = search("", filters);
      if (facet.name == "region") {
        if (v.value != "sahel") {
          EXPECT_GE(clicked.total, base.total) << facet.name << "=" << v.value;
        }
      } else {
        EXPECT_EQ(clicked.total, v.count) << facet.name << "=" << v.value;
      }
    }
  }
}

TEST_F(FixtureIndex, FacetCountsAreDisjunctiveForTheSelectedFacet) {
  SearchResult r = search("", {{"actor", {"fiu"}}});
  EXPECT_EQ(r.total, 1u);  // fx-gp-18, one item in two languages
  // Other actor values keep the counts they would add to an OR selection.
  EXPECT_EQ(count_of(r, "actor", "judiciary"), 3u);
  EXPECT_EQ(count_of(r, "actor", "fiu"), 1u);
  // Other facets are counted within the selection.
  EXPECT_EQ(count_of(r, "lang", "en"), 1u);
  EXPECT_EQ(count_of(r, "lang", "fr"), 1u);
  EXPECT_EQ(count_of(r, "lang", "ar"), 0u);
  EXPECT_EQ(count_of(r, "region", "global"), 1u);
}

TEST_F(FixtureIndex, SelectedValuesAreListedEvenWithNoMatches) {
  SearchResult r = search("hawala", {{"region", {"balkans"}}});
  EXPECT_EQ(r.total, 0u);
  bool listed = false;
  for (const auto& f : r.facets) {
    for (const auto& v : f.values)
      listed |= (f.name == "region" && v.value == "balkans" && v.selected);
  }
  EXPECT_TRUE(listed);
}

TEST_F(FixtureIndex, FiltersAcrossFacetsAndTogether) {
  EXPECT_EQ(search("", {{"actor", {"judiciary"}}, {"region", {"sahel"}}}).total, 2u);
  EXPECT_EQ(search("", {{"actor", {"judiciary", "fiu"}}, {"region", {"sahel"}}}).total, 3u);
  // Languages: OR within the facet (items in French or Arabic), AND with the others.
  EXPECT_EQ(search("", {{"lang", {"fr", "ar"}}}).total, 2u);
  EXPECT_EQ(search("", {{"lang", {"fr", "ar"}}, {"actor", {"judiciary"}}}).total, 1u);
  EXPECT_EQ(search("", {{"actor", {"judiciary"}}, {"kind", {"toolkit"}}}).total, 1u);
}

TEST_F(FixtureIndex, HitLinksToTheBestPassageWithHighlightedSnippet) {
  SearchResult r = search("hawala", {{"lang", {"en"}}});
  ASSERT_EQ(r.total, 1u);
  const SearchHit& hit = r.hits.at(0);
  EXPECT_EQ(hit.item.id, "fx-gp-18");
  EXPECT_EQ(hit.url, "/doc/fx-gp-18#follow-the-money");
  EXPECT_EQ(hit.passage, "Follow the money");
  EXPECT_NE(hit.snippet_html.find("<mark>hawala</mark>"), std::string::npos) << hit.snippet_html;
}

TEST_F(FixtureIndex, StemmingMatchesOtherWordForms) {
  SearchResult r = search("settlement", {{"lang", {"en"}}});  // text says "settlements"
  ASSERT_GE(r.total, 1u);
  EXPECT_EQ(r.hits.at(0).item.id, "fx-gp-18");
  SearchResult fr = search("paiement", {{"lang", {"fr"}}});  // text says "paiements"
  ASSERT_EQ(fr.total, 1u);
  EXPECT_EQ(fr.hits.at(0).item.lang, "fr");
}

TEST_F(FixtureIndex, PhraseQueryRequiresAdjacentWords) {
  EXPECT_EQ(search("\"special investigative techniques\"").total, 1u);
  EXPECT_EQ(search("\"techniques investigative special\"").total, 0u);
}

TEST_F(FixtureIndex, SynonymsFindTheExpansionAndExactMatchesRankFirst) {
  // "fiu" appears literally nowhere; the synonym finds "financial intelligence unit".
  SearchResult r = search("fiu", {{"lang", {"en"}}});
  ASSERT_EQ(r.total, 1u);
  EXPECT_EQ(r.hits.at(0).item.id, "fx-gp-18");
  SearchResult fr = search("crf", {{"lang", {"fr"}}});
  ASSERT_EQ(fr.total, 1u);
}

TEST_F(FixtureIndex, NamingAGoodPracticePutsItFirst) {
  for (const char* q : {"GP 18", "gp18", "good practice 18", "bonne pratique 18"}) {
    SearchResult r = search(q);
    ASSERT_FALSE(r.hits.empty()) << q;
    EXPECT_EQ(r.hits.at(0).item.id, "fx-gp-18") << q;
    EXPECT_EQ(r.hits.at(0).item.lang, "en") << q;
  }
}

TEST_F(FixtureIndex, MisspellingIsCorrectedWhenNothingMatches) {
  SearchResult r = search("coruption");
  EXPECT_EQ(r.corrected_query, "corruption");
  EXPECT_TRUE(r.correction_applied);
  EXPECT_GT(r.total, 0u);
  EXPECT_TRUE(search("corruption").corrected_query.empty());
}

TEST_F(FixtureIndex, MalformedSyntaxFallsBackToPlainWords) {
  SearchResult r = search("\"border corruption");
  EXPECT_TRUE(r.syntax_fallback);
  EXPECT_EQ(r.total, 1u);
  EXPECT_TRUE(search("corruption AND").syntax_fallback);
}

TEST_F(FixtureIndex, SortByNumberOrdersPractices) {
  SearchRequest req;
  req.filters = {{"kind", {"practice"}}, {"lang", {"en"}}};
  req.sort = SortOrder::kNumber;
  SearchResult r = SearchService(*index_).search(req);
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(*r.hits[0].item.number, 1);
  EXPECT_EQ(*r.hits[1].item.number, 2);
  EXPECT_EQ(*r.hits[2].item.number, 18);
}

TEST_F(FixtureIndex, DocumentHasPassagesTranslationsAndCitation) {
  auto doc = SearchService(*index_).document("fx-gp-18", "");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc.value().item.lang, "en");
  ASSERT_EQ(doc.value().translations.size(), 1u);
  EXPECT_EQ(doc.value().translations[0].lang, "fr");
  EXPECT_NE(doc.value().item.html.find("<h2 id=\"follow-the-money\">"), std::string::npos);
  EXPECT_NE(doc.value().citation.text.find("Good Practice 18"), std::string::npos);
  EXPECT_NE(doc.value().citation.text.find("not verified"), std::string::npos);
  EXPECT_EQ(SearchService(*index_).document("no-such-item", "").error().status, 404);
  EXPECT_EQ(SearchService(*index_).document("fx-gp-1", "ar").error().status, 404);
}

// fx-gp-18 and fx-gp-1 are both about practices 1 and 18. (In this five-item fixture the 25 most
// telling terms of fx-gp-1 are all its own, so fx-gp-1 finds no related item: see the report.)
TEST_F(FixtureIndex, RelatedItemsExcludeTheItemItselfAndShareTopics) {
  auto related = SearchService(*index_).related("fx-gp-18", "en", 5);
  ASSERT_TRUE(related.ok());
  ASSERT_FALSE(related.value().empty());
  bool gp1 = false;
  for (const auto& h : related.value()) {
    EXPECT_NE(h.item.id, "fx-gp-18");
    EXPECT_EQ(h.item.lang, "en");
    if (h.item.id == "fx-gp-1") {
      gp1 = true;
      EXPECT_TRUE(h.other_languages.empty());  // fx-gp-1 exists in English only
    }
  }
  EXPECT_TRUE(gp1);
  // Related items are shown in the page's language: no other item has a French version.
  auto french = SearchService(*index_).related("fx-gp-18", "fr", 5);
  ASSERT_TRUE(french.ok());
  EXPECT_TRUE(french.value().empty());
  EXPECT_EQ(SearchService(*index_).related("fx-gp-1", "fr", 5).error().status, 404);
}

TEST_F(FixtureIndex, SuggestCompletesTitlesAndWords) {
  auto s = SearchService(*index_).suggest("follow", "en", 5);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].text, "Follow the money across the crime–terror divide");
  auto words = SearchService(*index_).suggest("hawa", "", 5);
  bool completed = false;
  for (const auto& w : words) completed |= w.text == "hawala";
  EXPECT_TRUE(completed);
}

// The item is the unit: fx-gp-18 has "hawala" in its English and its French version, and is one
// hit, counted once in the total and in every facet, and available in both languages.
TEST_F(FixtureIndex, AnItemMatchingInTwoLanguagesIsOneHit) {
  SearchResult r = search("hawala");
  EXPECT_EQ(r.total, 1u);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].item.id, "fx-gp-18");
  EXPECT_EQ(r.hits[0].item.lang, "en");
  EXPECT_EQ(r.hits[0].other_languages, (std::vector<std::string>{"fr"}));
  EXPECT_EQ(count_of(r, "lang", "en"), 1u);
  EXPECT_EQ(count_of(r, "lang", "fr"), 1u);
  EXPECT_EQ(count_of(r, "lang", "ar"), 0u);
  EXPECT_EQ(count_of(r, "actor", "fiu"), 1u);
  EXPECT_EQ(count_of(r, "region", "sahel"), 1u);
  // Browsing everything lists each item once.
  SearchResult all = search("");
  ASSERT_EQ(all.hits.size(), all.total);
  std::set<std::string> ids;
  for (const SearchHit& h : all.hits) EXPECT_TRUE(ids.insert(h.item.id).second) << h.item.id;
}

// Clicking a facet value (adding it as a filter) finds exactly the number shown next to it, with
// words and without, for every facet including the multi-valued lang facet; a lang value shows
// every hit in that language.
TEST_F(FixtureIndex, ClickingAFacetValueFindsExactlyItsCount) {
  int clicked = 0;
  for (const std::string q : {"", "hawala", "armed group", "corruption",
                              "\xd9\x81\xd8\xb3\xd8\xa7\xd8\xaf"}) {  // فساد, corruption
    const SearchResult base = search(q);
    ASSERT_GT(base.total, 0u) << q;
    for (const auto& f : base.facets) {
      for (const auto& v : f.values) {
        const SearchResult narrowed = search(q, {{f.name, {v.value}}});
        EXPECT_EQ(narrowed.total, v.count) << "'" << q << "' " << f.name << "=" << v.value;
        EXPECT_LE(narrowed.total_all_words, narrowed.total);
        if (f.name == "lang") {
          for (const SearchHit& h : narrowed.hits) EXPECT_EQ(h.item.lang, v.value) << h.item.id;
        }
        ++clicked;
      }
    }
  }
  EXPECT_GT(clicked, 50);
}

// The version shown: the reader's language (a single lang filter, else the UI language) when the
// item has it; else the version whose passage matched best (English when no passage matched);
// the other versions are listed.
TEST_F(FixtureIndex, TheReadersLanguageChoosesTheVersionShown) {
  struct Case {
    std::string query, ui_lang, lang_filter, id, shown;
    std::vector<std::string> others;
  };
  const std::string fasad = "\xd9\x81\xd8\xb3\xd8\xa7\xd8\xaf";  // فساد, in fx-gp-2's Arabic text
  const std::vector<Case> cases = {
      // A lang filter: items that have that version, shown in it, wherever the words matched.
      {"", "en", "fr", "fx-gp-18", "fr", {"en"}},
      {"money", "en", "fr", "fx-gp-18", "fr", {"en"}},  // "money" is in the English text only
      {"corruption", "en", "ar", "fx-gp-2", "ar", {"en"}},
      // No filter: the UI language when the item has it...
      {"hawala", "fr", "", "fx-gp-18", "fr", {"en"}},
      {"hawala", "en", "", "fx-gp-18", "en", {"fr"}},
      {fasad, "en", "", "fx-gp-2", "en", {"ar"}},
      // ...else the version that matched.
      {"corruption", "fr", "", "fx-gp-2", "en", {"ar"}},
      {fasad, "fr", "", "fx-gp-2", "ar", {"en"}},
      {"blanchiment", "ar", "", "fx-gp-18", "fr", {"en"}},
      {"remittance", "ar", "", "fx-gp-18", "en", {"fr"}},
      // Nothing matched in a passage (no words): English.
      {"", "fr", "", "fx-gp-2", "en", {"ar"}},
      {"", "ar", "", "fx-gp-18", "en", {"fr"}},
      {"", "fr", "", "fx-gp-1", "en", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("'" + c.query + "' ui=" + c.ui_lang + " lang=" + c.lang_filter);
    SearchRequest r;
    r.query = c.query;
    r.ui_lang = c.ui_lang;
    if (!c.lang_filter.empty()) r.filters["lang"] = {c.lang_filter};
    const SearchResult result = SearchService(*index_).search(r);
    const SearchHit* hit = nullptr;
    for (const SearchHit& h : result.hits) {
      if (h.item.id == c.id) hit = &h;
    }
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->item.lang, c.shown);
    EXPECT_EQ(hit->other_languages, c.others);
    EXPECT_EQ(hit->url.find(c.shown == "en" ? "?lang=" : "?lang=" + c.shown) != std::string::npos,
              c.shown != "en")
        << hit->url;
  }
}

// The matching tiers: items with every word first (all_words), then items with some of them,
// counted apart (total_all_words), with either way of counting facets.
TEST_F(FixtureIndex, ItemsWithEveryWordComeFirstAndAreCountedApart) {
  for (const auto counting : {FacetCounting::kOwnCounter, FacetCounting::kBuiltinSpies}) {
    SCOPED_TRACE(counting == FacetCounting::kOwnCounter ? "own counter" : "built-in spies");
    SearchService service(*index_);
    service.set_facet_counting(counting);
    auto ask = [&](const std::string& q,
                   std::map<std::string, std::vector<std::string>> filters = {},
                   SortOrder sort = SortOrder::kRelevance) {
      SearchRequest r;
      r.query = q;
      r.filters = std::move(filters);
      r.sort = sort;
      return service.search(r);
    };
    // fx-gp-2 and the scenario have "armed" and "group"; fx-concept and fx-gp-18 only "group".
    const std::set<std::string> every = {"fx-gp-2", "fx-scenario-kidnap"};
    SearchResult r = ask("armed group");
    EXPECT_EQ(r.total, 4u);
    EXPECT_EQ(r.total_all_words, 2u);
    EXPECT_FALSE(r.relaxed);
    ASSERT_EQ(r.hits.size(), 4u);
    for (size_t i = 0; i < r.hits.size(); ++i) {
      const SearchHit& h = r.hits[i];
      EXPECT_EQ(h.all_words, i < 2) << i << " " << h.item.id;
      EXPECT_EQ(h.all_words, every.count(h.item.id) == 1) << h.item.id;
      EXPECT_GT(h.score, 0.0) << h.item.id;
      EXPECT_LT(h.score, kAllWordsBonus) << h.item.id;  // the bonus is not shown
    }
    // Filters apply to both tiers: sahel has fx-gp-18, fx-gp-2 and the scenario.
    r = ask("armed group", {{"region", {"sahel"}}});
    EXPECT_EQ(r.total, 3u);
    EXPECT_EQ(r.total_all_words, 2u);
    r = ask("armed group", {{"region", {"sahel"}}, {"actor", {"judiciary", "fiu"}}});
    EXPECT_EQ(r.total, 3u);
    EXPECT_EQ(r.total_all_words, 2u);
    r = ask("armed group", {{"kind", {"toolkit"}}});
    EXPECT_EQ(r.total, 1u);
    EXPECT_EQ(r.total_all_words, 0u);
    EXPECT_TRUE(r.relaxed);  // no item of the selection has every word
    // Sorted by number, the tiers no longer lead the order, but each hit still says its tier.
    r = ask("armed group", {}, SortOrder::kNumber);
    EXPECT_EQ(r.total, 4u);
    EXPECT_EQ(r.total_all_words, 2u);
    for (const SearchHit& h : r.hits) EXPECT_EQ(h.all_words, every.count(h.item.id) == 1);
    // No item has both words: every hit has some, and the answer says so.
    r = ask("hawala ransom");
    EXPECT_EQ(r.total, 2u);
    EXPECT_EQ(r.total_all_words, 0u);
    EXPECT_TRUE(r.relaxed);
    for (const SearchHit& h : r.hits) EXPECT_FALSE(h.all_words) << h.item.id;
    // One word: one tier.
    r = ask("hawala");
    EXPECT_EQ(r.total_all_words, r.total);
    EXPECT_FALSE(r.relaxed);
    for (const SearchHit& h : r.hits) EXPECT_TRUE(h.all_words) << h.item.id;
  }
}

// The real corpus, so that facets have many values and documents many combinations.
class CorpusIndex : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    index_ = new IndexHandle(build_index(source_path("content"), dir_->path()).string());
  }
  static void TearDownTestSuite() {
    delete index_;
    delete dir_;
  }
  using Filters = std::map<std::string, std::vector<std::string>>;
  static const std::vector<std::string>& queries() {
    static const std::vector<std::string> q = {"",
                                               "corruption",
                                               "money laundering",
                                               "\"special investigative techniques\"",
                                               "hawala OR ransom",
                                               "blanchiment",
                                               "GP 23",
                                               "coruption"};
    return q;
  }
  static const std::vector<Filters>& filter_sets() {
    static const std::vector<Filters> f = {
        {},
        {{"actor", {"judiciary"}}},
        {{"actor", {"judiciary", "fiu"}}, {"region", {"sahel"}}},
        {{"kind", {"practice"}}, {"lang", {"en", "fr"}}, {"region", {"sahel", "east-africa"}}},
        {{"practice", {"18", "23"}}, {"theme", {"money-laundering"}}},
        // A value of the taxonomy that no item uses: selects nothing, counts 0.
        {{"region", {"north-africa"}}},
        {{"region", {"north-africa", "sahel"}}, {"actor", {"judiciary"}}},
        {{"section", {"criminal-justice", "legal-considerations"}},
         {"actor", {"prosecutors"}},
         {"theme", {"corruption", "terrorist-financing"}},
         {"lang", {"en"}}},
    };
    return f;
  }
  static TempDir* dir_;
  static IndexHandle* index_;
};
TempDir* CorpusIndex::dir_ = nullptr;
IndexHandle* CorpusIndex::index_ = nullptr;

std::string describe(const SearchResult& r) {
  std::ostringstream out;
  out << "total=" << r.total << " exhaustive=" << r.exhaustive << " hits:";
  for (const auto& h : r.hits)
    out << " " << h.item.id << ":" << h.item.lang << "#" << h.passage_anchor;
  for (const auto& f : r.facets) {
    out << "\n" << f.name << ":";
    for (const auto& v : f.values)
      out << " " << v.value << "=" << v.count << (v.selected ? "*" : "");
  }
  return out.str();
}

TEST_F(CorpusIndex, OwnFacetCounterAgreesWithXapiansBuiltInSpies) {
  SearchService own(*index_);
  SearchService builtin(*index_);
  builtin.set_facet_counting(FacetCounting::kBuiltinSpies);
  int compared = 0, with_hits = 0, nonzero_facets = 0;
  for (const std::string& q : queries()) {
    for (const Filters& filters : filter_sets()) {
      for (int page : {1, 2}) {
        SearchRequest r;
        r.query = q;
        r.filters = filters;
        r.page = page;
        r.per_page = 5;
        const SearchResult a = own.search(r), b = builtin.search(r);
        ASSERT_EQ(describe(a), describe(b))
            << "query '" << q << "', " << filters.size() << " filtered facets, page " << page;
        ++compared;
        with_hits += !a.hits.empty();
        for (const auto& f : a.facets) nonzero_facets += !f.values.empty() && f.values[0].count;
      }
    }
  }
  // The comparison covered answers with hits and real counts, not empty lists: a change that
  // hollows out the queries or the filters fails here.
  EXPECT_GT(with_hits, compared / 2) << with_hits << " of " << compared << " had hits";
  EXPECT_GT(nonzero_facets, 200);  // the comparison covered real counts, not empty lists
}

TEST_F(CorpusIndex, DisjunctiveCountOfAValueIsTheTotalWhenItAloneIsSelectedInItsFacet) {
  SearchService service(*index_);
  SearchRequest r;
  r.query = "terrorism";
  r.filters = {{"actor", {"judiciary"}}, {"region", {"sahel"}}};
  const SearchResult base = service.search(r);
  ASSERT_GT(base.total, 0u);
  int checked = 0;
  for (const auto& f : base.facets) {
    for (const auto& v : f.values) {
      SearchRequest narrowed = r;
      narrowed.filters[f.name] = {v.value};  // replaces the facet's own selection, if any
      EXPECT_EQ(service.search(narrowed).total, v.count) << f.name << "=" << v.value;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

// Worker threads share the service and the index handle; each must get the answer it would get
// alone. (Copies of one static Xapian::Query made on several threads once corrupted its
// non-atomic reference count and crashed the server under load.)
TEST_F(CorpusIndex, ConcurrentSearchesGetTheAnswersOfSearchesAlone) {
  SearchService service(*index_);
  std::vector<SearchRequest> requests;
  for (const char* q : {"", "corruption", "", "hawala OR ransom"}) {
    for (const Filters& filters : filter_sets()) {
      SearchRequest r;
      r.query = q;
      r.filters = filters;
      requests.push_back(r);
    }
  }
  std::vector<Xapian::doccount> expected;
  for (const SearchRequest& r : requests) expected.push_back(service.search(r).total);
  std::atomic<int> wrong{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        for (size_t i = 0; i < requests.size(); ++i) {
          const size_t k = (i + t) % requests.size();
          if (service.search(requests[k]).total != expected[k]) ++wrong;
          ++done;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(done, static_cast<int>(8 * 25 * requests.size()));
}

TEST(Indexer, ParallelBuildGivesTheSameIndexAsOneThread) {
  TempDir tmp;
  auto build = [&](unsigned threads, const std::string& name) {
    std::ostringstream out, err;
    IndexerConfig config{.content_dir = source_path("content").string(),
                         .out = (tmp.path() / name).string(),
                         .threads = threads};
    EXPECT_EQ(run_indexer(config, out, err), 0) << err.str();
    return (tmp.path() / name).string();
  };
  IndexHandle one(build(1, "one")), three(build(3, "three"));
  Xapian::Database a(one.snapshot()->resolved_path), b(three.snapshot()->resolved_path);
  ASSERT_EQ(a.get_doccount(), b.get_doccount());
  ASSERT_EQ(a.get_lastdocid(), b.get_lastdocid());
  // Every document whole: data, every value, every term with its wdf and positions.
  auto describe_document = [](const Xapian::Database& db, Xapian::docid did) {
    const Xapian::Document doc = db.get_document(did);
    std::ostringstream out;
    out << doc.get_data() << "\n";
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
      out << v.get_valueno() << "=" << *v << "\n";
    for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
      out << *t << ":" << t.get_wdf();
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) out << " " << *p;
      out << "\n";
    }
    return out.str();
  };
  for (Xapian::docid did = 1; did <= a.get_lastdocid(); ++did) {
    ASSERT_EQ(describe_document(a, did), describe_document(b, did)) << "docid " << did;
  }
  for (Xapian::docid did = 1; did <= a.get_lastdocid(); ++did) {
    ASSERT_EQ(a.get_document(did).get_value(schema::kSlotItemId) +
                  a.get_document(did).get_value(schema::kSlotLang),
              b.get_document(did).get_value(schema::kSlotItemId) +
                  b.get_document(did).get_value(schema::kSlotLang))
        << "docid " << did;
  }
  // The spelling dictionary is merged across threads with the same frequencies.
  for (const std::string word : {"coruption", "laundring", "terorism", "blanchimant"}) {
    EXPECT_EQ(a.get_spelling_suggestion(word), b.get_spelling_suggestion(word)) << word;
  }
  EXPECT_EQ(a.get_spelling_suggestion("coruption"), "corruption");
  size_t words_a = 0, words_b = 0;
  for (auto it = a.spellings_begin(); it != a.spellings_end(); ++it) {
    ++words_a;
    auto other = b.spellings_begin();
    other.skip_to(*it);
    ASSERT_TRUE(other != b.spellings_end() && *other == *it) << *it;
    ASSERT_EQ(other.get_termfreq(), it.get_termfreq()) << *it;
  }
  for (auto it = b.spellings_begin(); it != b.spellings_end(); ++it) ++words_b;
  EXPECT_EQ(words_a, words_b);
  EXPECT_GT(words_a, 1000u);
  EXPECT_GT(one.snapshot()->titles.size(), a.get_doccount());  // a title per language version
  EXPECT_NE(a.synonym_keys_begin(), a.synonym_keys_end());
}

// The spelling dictionary counted by the indexer's threads equals what Xapian's own
// TermGenerator::FLAG_SPELLING would have written for the same documents.
TEST(Indexer, SpellingCountsMatchXapiansOwnFlagSpelling) {
  auto corpus = load_corpus(source_path("content").string());
  ASSERT_TRUE(corpus.ok());
  const BuildContext build(corpus.value());
  TempDir tmp;
  Xapian::WritableDatabase reference((tmp.path() / "reference").string(), Xapian::DB_CREATE);
  Xapian::TermGenerator generator;
  generator.set_database(reference);
  generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  SpellingCounts ours;
  for (size_t d = 0; d < build.documents.size(); ++d)
    make_document(build.versions(d), build.codes, generator, &ours);
  reference.commit();
  size_t words = 0;
  for (auto it = reference.spellings_begin(); it != reference.spellings_end(); ++it, ++words) {
    auto found = ours.find(*it);
    ASSERT_NE(found, ours.end()) << *it;
    EXPECT_EQ(found->second, it.get_termfreq()) << *it;
  }
  for (const auto& [word, count] : ours) {
    auto it = reference.spellings_begin();
    it.skip_to(word);
    EXPECT_TRUE(it != reference.spellings_end() && *it == word) << "only ours: " << word;
  }
  EXPECT_EQ(words, ours.size());
  EXPECT_GT(words, 1000u);
}

TEST(Indexer, ReportsEveryErrorWithFileAndLineAndKeepsThePreviousIndex) {
  TempDir tmp;
  auto good = build_index(source_path("tests/fixtures/content"), tmp.path());
  const auto before = std::filesystem::read_symlink(good);
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = source_path("tests/fixtures/broken").string(),
                       .out = good.string()};
  EXPECT_EQ(run_indexer(config, out, err), kExitContentErrors);
  const std::string errors = err.str();
  EXPECT_NE(errors.find("bad-actor.en.md:9: unknown actor 'wizards'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad-actor.en.md:12: 'verified' must be true or false"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("bad-link.en.md:16: link to unknown item 'no-such-item'"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("bad-link.en.md:18: raw HTML is not allowed"), std::string::npos) << errors;
  EXPECT_EQ(std::filesystem::read_symlink(good), before);
  IndexHandle still(good.string());
  EXPECT_EQ(still.snapshot()->doc_count, 5u);  // one document per fixture item
}

// Schema 5: one document per item, holding every language version: one unique term, an XL term
// and a packed lang slot for the languages it exists in, its versions in kLanguages order, and
// each version's text at its own term positions.
TEST(Indexer, OneDocumentPerItemHoldsEveryLanguageVersion) {
  TempDir tmp;
  IndexHandle index(build_index(source_path("tests/fixtures/content"), tmp.path()).string());
  Xapian::Database& db = index.database();
  EXPECT_EQ(db.get_doccount(), 5u);
  EXPECT_EQ(index.snapshot()->titles.size(), 7u);  // a title per version, for suggestions
  struct Case {
    std::string id, packed_langs;
    std::vector<std::string> langs;
  };
  for (const Case& c : std::vector<Case>{{"fx-gp-18", "en|fr", {"en", "fr"}},
                                         {"fx-gp-2", "ar|en", {"en", "ar"}},
                                         {"fx-gp-1", "en", {"en"}}}) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(db.get_termfreq("Q" + c.id), 1u);
    EXPECT_EQ(db.get_termfreq("Q" + c.id + ":en"), 0u);
    const Xapian::Document doc = db.get_document(*db.postlist_begin("Q" + c.id));
    EXPECT_EQ(doc.get_value(schema::kSlotLang), c.packed_langs);
    for (const char* lang : {"en", "fr", "ar"}) {
      auto t = db.termlist_begin(doc.get_docid());
      t.skip_to(std::string("XL") + lang);
      const bool has = t != db.termlist_end(doc.get_docid()) && *t == std::string("XL") + lang;
      EXPECT_EQ(has, std::find(c.langs.begin(), c.langs.end(), lang) != c.langs.end()) << lang;
    }
    const StoredDocument stored = StoredDocument::from_data(doc.get_data());
    EXPECT_EQ(stored.languages(), c.langs);
    unsigned last = 0;  // each version's title and passages follow the previous version's
    for (const StoredItem& v : stored.versions) {
      EXPECT_EQ(v.id, c.id);
      EXPECT_GT(v.title_pos, last) << v.lang;
      last = v.title_pos;
      for (const StoredPassage& p : v.passages) {
        EXPECT_GT(p.first_pos, last) << v.lang << "#" << p.anchor;
        last = p.first_pos;
      }
    }
  }
  // fx-gp-18's packed passage texts list its English passages, then its French one.
  const Xapian::Document gp18 = db.get_document(*db.postlist_begin("Qfx-gp-18"));
  const StoredDocument stored = StoredDocument::from_data(gp18.get_data());
  ASSERT_EQ(stored.versions.size(), 2u);
  const size_t french = stored.first_passage(1);
  EXPECT_EQ(french, stored.versions[0].passages.size());
  EXPECT_EQ(packed_text(gp18.get_value(schema::kSlotPassageTexts), french).rfind("Retracer", 0),
            0u);
  EXPECT_NE(packed_text(gp18.get_value(schema::kSlotHtml), 1).find("Suivre l"), std::string::npos);
}

TEST(Indexer, CheckModeWritesNothing) {
  TempDir tmp;
  std::ostringstream out, err;
  IndexerConfig config{.content_dir = source_path("tests/fixtures/content").string(),
                       .out = (tmp.path() / "index").string(),
                       .check_only = true};
  EXPECT_EQ(run_indexer(config, out, err), kExitBuilt);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "index"));
}

TEST(Indexer, RebuildSwitchesTheLinkAtomically) {
  TempDir tmp;
  auto index = build_index(source_path("tests/fixtures/content"), tmp.path());
  const auto first = std::filesystem::read_symlink(index);
  build_index(source_path("tests/fixtures/content"), tmp.path());
  EXPECT_NE(std::filesystem::read_symlink(index), first);
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / first));  // kept for readers still on it
}

TEST(IndexHandle, RefusesAMissingIndexWithAClearMessage) {
  TempDir tmp;
  try {
    IndexHandle h((tmp.path() / "nothing").string());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nexuskb-index"), std::string::npos);
  }
}

TEST(IndexHandle, RefusesAnotherSchemaVersion) {
  TempDir tmp;
  auto index = build_index(source_path("tests/fixtures/content"), tmp.path());
  {
    Xapian::WritableDatabase db(index.string(), Xapian::DB_OPEN);
    db.set_metadata("nexuskb.schema_version", "0");
    db.commit();
  }
  EXPECT_THROW(IndexHandle h(index.string()), std::runtime_error);
}

}  // namespace
}  // namespace nexuskb
