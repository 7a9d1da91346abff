// Query building against the fixture index: filters, practice mentions, synonyms, syntax fallback.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/schema.h"
#include "core/synonyms.h"
#include "server/query_builder.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::source_path;
using testing::TempDir;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The factor of "<factor> * <term>" in a query description, or -1 when `term` is not scaled.
double scale_of(const std::string& description, const std::string& term) {
  const std::regex scaled("([0-9.]+) \\* \\(?" + term + "[ )]");
  std::smatch m;
  return std::regex_search(description, m, scaled) ? std::stod(m[1]) : -1.0;
}

class QueryBuilderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    db_ = new Xapian::Database(
        build_index(source_path("tests/fixtures/content"), dir_->path()).string());
  }
  static void TearDownTestSuite() {
    delete db_;
    delete dir_;
  }

  static QueryPlan plan_for(const std::string& q,
                            std::map<std::string, std::vector<std::string>> filters = {}) {
    SearchRequest r;
    r.query = q;
    r.filters = std::move(filters);
    return QueryBuilder(*db_).build(r);
  }

  // Ids of the items a query finds, in rank order, e.g. "fx-gp-18".
  static std::vector<std::string> matches(const Xapian::Query& q) {
    Xapian::Enquire enquire(*db_);
    enquire.set_query(q);
    std::vector<std::string> out;
    Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document doc = it.get_document();
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t)[0] == 'Q') out.push_back((*t).substr(1));
      }
    }
    return out;
  }

  static TempDir* dir_;
  static Xapian::Database* db_;
};
TempDir* QueryBuilderTest::dir_ = nullptr;
Xapian::Database* QueryBuilderTest::db_ = nullptr;

TEST_F(QueryBuilderTest, NoTextIsMatchAll) {
  QueryPlan plan = plan_for("");
  EXPECT_FALSE(plan.has_text);
  EXPECT_TRUE(plan.filters.empty());
  EXPECT_EQ(plan.text.get_description(), Xapian::Query(Xapian::Query::MatchAll).get_description());
  EXPECT_EQ(filtered(plan).get_description(), plan.text.get_description());
  EXPECT_EQ(matches(filtered(plan)).size(), db_->get_doccount());
  // One document per item: five items, one of them (fx-gp-18) in English and French.
  EXPECT_EQ(db_->get_doccount(), 5u);
}

TEST_F(QueryBuilderTest, FacetFiltersAreBooleanTermsOrWithinAndAcross) {
  QueryPlan plan = plan_for("", {{"actor", {"fiu", "judiciary"}}, {"region", {"sahel"}}});
  ASSERT_EQ(plan.filters.size(), 2u);
  EXPECT_EQ(plan.filters.at("actor").get_description(), "Query((XAfiu OR XAjudiciary))");
  EXPECT_EQ(plan.filters.at("region").get_description(), "Query(XRsahel)");
  EXPECT_EQ(filtered(plan).get_description(),
            "Query((<alldocuments> FILTER ((XAfiu OR XAjudiciary) AND XRsahel)))");
  // actor fiu or judiciary, and region sahel: fx-gp-18 (once, though in two languages),
  // fx-gp-2, the scenario.
  EXPECT_EQ(matches(filtered(plan)),
            (std::vector<std::string>{"fx-gp-18", "fx-gp-2", "fx-scenario-kidnap"}));
}

TEST_F(QueryBuilderTest, FilteredLeavesOutOneFacetForDisjunctiveCounts) {
  QueryPlan plan = plan_for("", {{"actor", {"fiu"}}, {"region", {"sahel"}}, {"lang", {"en"}}});
  const std::string without_actor = filtered(plan, "actor").get_description();
  EXPECT_FALSE(contains(without_actor, "XAfiu")) << without_actor;
  EXPECT_TRUE(contains(without_actor, "XRsahel")) << without_actor;
  EXPECT_TRUE(contains(without_actor, "XLen")) << without_actor;
  EXPECT_EQ(filtered(plan, "actor").get_description(),
            "Query((<alldocuments> FILTER (XLen AND XRsahel)))");
  EXPECT_EQ(filtered(plan, "nothing").get_description(), filtered(plan).get_description());
}

TEST_F(QueryBuilderTest, FiltersNeverChangeTheTextQuery) {
  QueryPlan plain = plan_for("money");
  QueryPlan with_filter = plan_for("money", {{"theme", {"money-laundering"}}});
  EXPECT_EQ(plain.text.get_description(), with_filter.text.get_description());
  const std::string d = filtered(with_filter).get_description();
  EXPECT_TRUE(contains(d, " FILTER XTmoney-laundering)")) << d;
  EXPECT_TRUE(with_filter.has_text);
}

TEST_F(QueryBuilderTest, EachFacetUsesItsSchemaPrefix) {
  QueryPlan plan = plan_for("", {{"practice", {"18"}},
                                 {"kind", {"practice"}},
                                 {"section", {"legal-considerations"}},
                                 {"theme", {"corruption"}},
                                 {"lang", {"fr"}}});
  EXPECT_EQ(plan.filters.at("practice").get_description(), "Query(XP18)");
  EXPECT_EQ(plan.filters.at("kind").get_description(), "Query(XKpractice)");
  EXPECT_EQ(plan.filters.at("section").get_description(), "Query(XElegal-considerations)");
  EXPECT_EQ(plan.filters.at("theme").get_description(), "Query(XTcorruption)");
  EXPECT_EQ(plan.filters.at("lang").get_description(), "Query(XLfr)");
}

// The text is read with each language's stemmer. The readings are not filtered by language: an
// item's document holds all its versions, and a reading finds the item through any of them.
TEST_F(QueryBuilderTest, TextQueryIsPerLanguageAndFindsWords) {
  QueryPlan plan = plan_for("hawala");
  EXPECT_TRUE(plan.has_text);
  EXPECT_FALSE(plan.syntax_fallback);
  const std::string d = plan.text.get_description();
  EXPECT_TRUE(contains(d, "Zhawala@1")) << d;  // the English stem
  EXPECT_TRUE(contains(d, "Zhawal@1")) << d;   // the French stem
  EXPECT_FALSE(contains(d, "XL")) << d;
  // fx-gp-18 has the word in both its versions, and is found once.
  EXPECT_EQ(matches(plan.text), (std::vector<std::string>{"fx-gp-18"}));
}

// The reading in the reader's language weighs a little more than the others.
TEST_F(QueryBuilderTest, TheReadersLanguageReadingWeighsMore) {
  SearchRequest r;
  r.query = "hawala";
  const std::string en = QueryBuilder(*db_).build(r).text.get_description();
  r.ui_lang = "fr";
  const std::string fr = QueryBuilder(*db_).build(r).text.get_description();
  // English stems "hawala" to "hawala", French to "hawal".
  EXPECT_GT(scale_of(en, "Zhawala@1"), scale_of(en, "Zhawal@1")) << en;
  EXPECT_GT(scale_of(fr, "Zhawal@1"), scale_of(fr, "Zhawala@1")) << fr;
  EXPECT_GT(scale_of(fr, "Zhawala@1"), 0.0) << fr;  // the other readings still count
}

TEST_F(QueryBuilderTest, FieldValuesAreNormalisedBeforeParsing) {
  QueryPlan plan = plan_for("region:Sahel");
  const std::string d = plan.text.get_description();
  EXPECT_TRUE(contains(d, "XRsahel")) << d;
  EXPECT_FALSE(contains(d, "XR:")) << d;
  EXPECT_FALSE(contains(d, "XRSahel")) << d;
  EXPECT_EQ(matches(plan.text).size(), db_->get_termfreq("XRsahel"));
  EXPECT_GT(db_->get_termfreq("XRsahel"), 0u);
}

TEST_F(QueryBuilderTest, PracticeMentionsAreBoostedAndRemovedFromText) {
  QueryPlan plan = plan_for("GP 18 money");
  EXPECT_EQ(plan.practice_mentions, (std::vector<int>{18}));
  const std::string d = plan.text.get_description();
  // The item's own number term, boosted once (no longer per language branch).
  EXPECT_TRUE(contains(d, "40 * XN18")) << d;
  EXPECT_EQ(d.find("XN18"), d.rfind("XN18")) << d;
  EXPECT_FALSE(contains(d, "XL")) << d;
  EXPECT_FALSE(contains(d, "gp")) << d;
  std::vector<std::string> ids = matches(plan.text);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "fx-gp-18");
}

TEST_F(QueryBuilderTest, PracticeMentionAloneAlsoMatchesItemsAboutThePractice) {
  QueryPlan plan = plan_for("gp2");
  EXPECT_EQ(plan.practice_mentions, (std::vector<int>{2}));
  EXPECT_TRUE(plan.has_text);
  const std::string d = plan.text.get_description();
  EXPECT_TRUE(contains(d, "XN2")) << d;
  EXPECT_TRUE(contains(d, "XP2")) << d;
  std::vector<std::string> ids = matches(plan.text);
  // The practice itself, then the scenario about it.
  EXPECT_EQ(ids, (std::vector<std::string>{"fx-gp-2", "fx-scenario-kidnap"}));
}

TEST(PracticeMentionsTest, ExtractPracticeMentions) {
  struct Case {
    std::string text;
    std::vector<int> numbers;
    std::vector<std::string> kept;     // words that must remain in the text
    std::vector<std::string> removed;  // fragments that must be gone
  };
  const std::vector<Case> cases = {
      {"GP 23", {23}, {}, {"GP", "23"}},
      {"gp23", {23}, {}, {"gp23"}},
      {"GP23 hawala", {23}, {"hawala"}, {"GP23"}},
      {"good practice 23", {23}, {}, {"good", "practice", "23"}},
      {"Good Practices 4 on money", {4}, {"on money"}, {"Good", "4"}},
      {"bonne pratique 7", {7}, {}, {"bonne", "pratique", "7"}},
      {"bonnes pratiques 12", {12}, {}, {"pratiques", "12"}},
      {"BP 7", {7}, {}, {"BP"}},
      {"GP no. 5", {5}, {}, {"no.", "5"}},
      {"gp #9", {9}, {}, {"#9"}},
      {"money GP 1 and gp 18 hawala", {1, 18}, {"money", "and", "hawala"}, {"GP", "gp"}},
      {"practice:5", {5}, {"practice:5"}, {}},
      {"corruption practice:5", {5}, {"corruption practice:5"}, {}},
      {"\xD8\xA7\xD9\x84\xD9\x85\xD9\x85\xD8\xA7\xD8\xB1\xD8\xB3\xD8\xA9 5", {5}, {}, {"5"}},
      // Not mentions.
      {"gpu 5", {}, {"gpu 5"}, {}},
      {"group 23", {}, {"group 23"}, {}},
      {"practice 23", {}, {"practice 23"}, {}},
      {"gp 1234", {}, {"gp 1234"}, {}},
      {"gp2000", {}, {"gp2000"}, {}},
      {"top 10 practices", {}, {"top 10 practices"}, {}},
      {"follow the money", {}, {"follow the money"}, {}},
      {"", {}, {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::string text = c.text;
    EXPECT_EQ(extract_practice_mentions(text), c.numbers);
    for (const std::string& k : c.kept) EXPECT_TRUE(contains(text, k)) << "'" << text << "'";
    for (const std::string& r : c.removed) EXPECT_FALSE(contains(text, r)) << "'" << text << "'";
    if (c.numbers.empty()) {
      EXPECT_EQ(text, c.text);
    }
  }
}

TEST(NormalizeFieldValuesTest, LowerCasesFacetValuesOnly) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"region:Sahel", "region:sahel"},
      {"actor:FIU money", "actor:fiu money"},
      {"Money actor:FIU OR region:East-Africa", "Money actor:fiu OR region:east-africa"},
      {"(kind:Practice)", "(kind:practice)"},
      {"lang:FR section:Legal-Considerations theme:Corruption practice:5",
       "lang:fr section:legal-considerations theme:corruption practice:5"},
      {"title:Money", "title:Money"},  // free-text field keeps its case
      {"Follow The Money", "Follow The Money"},
      {"subregion:Sahel", "subregion:Sahel"},
      {"colour:Blue", "colour:Blue"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(normalize_field_values(c.in), c.out) << c.in;
}

// Each synonym-key span is one OP_SYNONYM of the words as typed and their alternatives; an
// alternative of several words is a phrase of unstemmed terms (STEM_SOME indexes stemmed terms
// without positions).
TEST_F(QueryBuilderTest, ExpandSynonyms) {
  QueryBuilder qb(*db_);
  const std::string fiu_en = "(financial@1 PHRASE 3 intelligence@2 PHRASE 3 unit@3)";
  struct Case {
    std::string text, lang, description;
  };
  const std::vector<Case> cases = {
      {"fiu", "en", "Query((Zfiu@1 SYNONYM " + fiu_en + "))"},
      {"FIU corruption", "en", "Query(((fiu@1 SYNONYM " + fiu_en + ") AND Zcorrupt@2))"},
      // The words as typed match as they would without synonyms: all of them, stemmed (the
      // parser leaves capitalised words unstemmed).
      {"financial intelligence unit", "en",
       "Query(((Zfinanci@1 AND Zintellig@2 AND Zunit@3) SYNONYM Zfiu@1))"},
      {"Financial Intelligence Unit", "en",
       "Query(((financial@1 AND intelligence@2 AND unit@3) SYNONYM Zfiu@1))"},
      {"ivts", "en",
       "Query((Zivt@1 SYNONYM (informal@1 PHRASE 4 value@2 PHRASE 4 transfer@3 PHRASE 4 "
       "system@4)))"},
      {"fiu AND corruption", "en", "Query(((Zfiu@1 SYNONYM " + fiu_en + ") AND Zcorrupt@2))"},
      {"money NOT fiu", "en", "Query((Zmoney@1 AND_NOT (Zfiu@1 SYNONYM " + fiu_en + ")))"},
      {"hawala fiu ivts", "en",
       "Query((Zhawala@1 AND (Zfiu@1 SYNONYM " + fiu_en +
           ") AND (Zivt@1 SYNONYM (informal@1 PHRASE 4 value@2 PHRASE 4 transfer@3 PHRASE 4 "
           "system@4))))"},
      {"crf", "fr",
       "Query((Zcrf@1 SYNONYM (cellule@1 PHRASE 4 de@2 PHRASE 4 renseignement@3 PHRASE 4 "
       "financier@4)))"},
      // No synonym key: nothing to expand.
      {"\"fiu report\"", "en", "Query()"},
      {"\"financial intelligence unit\" money", "en", "Query()"},
      {"actor:fiu", "en", "Query()"},
      {"fiu*", "en", "Query()"},
      {"-fiu", "en", "Query()"},
      {"fiu NEAR corruption", "en", "Query()"},  // NEAR takes single terms
      {"money ADJ/2 fiu", "en", "Query()"},
      {"syn_:0 fiu", "en", "Query()"},  // the placeholder field cannot be typed
      {"money AND corruption", "en", "Query()"},
      {"fiu", "fr", "Query()"},  // synonyms are per language
      {"crf", "en", "Query()"},
      {"", "en", "Query()"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text + " [" + c.lang + "]");
    EXPECT_EQ(qb.expand_synonyms(c.text, c.lang).get_description(), c.description);
  }
}

// The synonym query finds documents; the query as typed adds weight on top.
TEST_F(QueryBuilderTest, SynonymQueryKeepsTheLiteralQueryForWeight) {
  QueryBuilder qb(*db_);
  bool fallback = false;
  const std::string d = qb.text_query("fiu corruption", fallback, nullptr).all.get_description();
  EXPECT_FALSE(fallback);
  EXPECT_TRUE(contains(d,
                       "(((Zfiu@1 SYNONYM (financial@1 PHRASE 3 intelligence@2 PHRASE 3 "
                       "unit@3)) AND Zcorrupt@2) AND_MAYBE (Zfiu@1 AND Zcorrupt@2))"))
      << d;
  EXPECT_FALSE(contains(d, " OR Zfinanci")) << d;  // no longer bracketed alternatives
}

// The case that OP_SYNONYM fixes: an item dense in the words its alternatives share must not
// outrank the item that says what was asked, as it did when each alternative was an AND group.
TEST(SynonymRankingTest, AlternativesCountOnceForTheirConcept) {
  TempDir dir;  // the in-memory backend has no synonyms
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
  for (const char* alternative : {"crime terror nexus", "crime terrorism nexus"})
    db.add_synonym(synonym_key("en", "nexus"), alternative);
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem(std::string(schema::stemmer_name("en"))));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  const std::vector<std::pair<std::string, std::string>> items = {
      {"transactional",
       "The transactional nexus: a criminal group sells a service to a terrorist group for a "
       "transactional gain."},
      {"convergence",
       "The crime terror nexus takes several forms. Where the crime terrorism nexus is "
       "transactional, groups trade; a crime terror nexus may also become a merger of crime and "
       "terror, the crime terrorism nexus at its deepest."},
      {"borders", "Filler text about borders."},
      {"courts", "Nexus cases and their prosecution in court."},
  };
  for (const auto& [id, text] : items) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(text);
    doc.add_boolean_term(std::string(schema::kPrefixLang) + "en");
    doc.set_data(id);
    db.add_document(doc);
  }
  db.commit();
  bool fallback = false;
  Xapian::Enquire enquire(db);
  enquire.set_query(QueryBuilder(db).text_query("transactional nexus", fallback, nullptr).all);
  Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_EQ(mset.size(), 2u);
  EXPECT_EQ(mset.begin().get_document().get_data(), "transactional");
}

TEST_F(QueryBuilderTest, SynonymsWidenTheTextQuery) {
  QueryPlan plan = plan_for("fiu");
  const std::string d = plan.text.get_description();
  EXPECT_TRUE(contains(d, "financi")) << d;  // stemmed or not, the expansion is there
  EXPECT_FALSE(plan.syntax_fallback);
  std::vector<std::string> ids = matches(plan.text);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "fx-gp-18"), ids.end());
}

TEST_F(QueryBuilderTest, MalformedQueriesFallBackToPlainWords) {
  const std::vector<std::string> cases = {
      "\"follow the money",  // unbalanced quote
      "money AND",           // dangling AND
      "AND money",          "money OR OR hawala", "(money hawala", "money) hawala", "money NOT",
  };
  for (const std::string& q : cases) {
    SCOPED_TRACE(q);
    QueryPlan plan = plan_for(q);
    EXPECT_TRUE(plan.syntax_fallback);
    EXPECT_TRUE(plan.has_text);
    EXPECT_FALSE(plan.text.empty());
    const std::string d = plan.text.get_description();
    EXPECT_TRUE(contains(d, "money")) << d;
    EXPECT_FALSE(contains(d, "<alldocuments>")) << d;
  }
}

TEST_F(QueryBuilderTest, WellFormedQueriesDoNotFallBack) {
  const std::vector<std::string> cases = {
      "\"follow the money\"",         "money AND hawala", "money OR hawala",    "money NOT hawala",
      "(money OR hawala) corruption", "title:money",      "region:sahel money",
  };
  for (const std::string& q : cases) {
    SCOPED_TRACE(q);
    QueryPlan plan = plan_for(q);
    EXPECT_FALSE(plan.syntax_fallback);
    EXPECT_TRUE(plan.has_text);
  }
}

// Removing a practice mention must not leave the rest of a well-formed query looking malformed.
TEST_F(QueryBuilderTest, PracticeMentionNextToOperatorIsNotASyntaxError) {
  for (const std::string q : {"money OR GP 18", "GP 18 AND money", "hawala OR good practice 2"}) {
    SCOPED_TRACE(q);
    QueryPlan plan = plan_for(q);
    EXPECT_FALSE(plan.practice_mentions.empty());
    EXPECT_FALSE(plan.syntax_fallback);
    EXPECT_TRUE(plan.has_text);
  }
}

TEST_F(QueryBuilderTest, QuotedPhraseBecomesPhraseQuery) {
  QueryPlan plan = plan_for("\"follow the money\"");
  const std::string d = plan.text.get_description();
  EXPECT_TRUE(contains(d, "PHRASE")) << d;
  std::vector<std::string> ids = matches(plan.text);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "fx-gp-18");
}

TEST_F(QueryBuilderTest, MisspellingYieldsCorrectedQuery) {
  struct Case {
    std::string q, corrected;
  };
  const std::vector<Case> cases = {
      {"hawalla", "hawala"},
      {"hawalla money", "hawala money"},
      {"remitance", "remittance"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.q);
    EXPECT_EQ(plan_for(c.q).corrected_query, c.corrected);
  }
}

TEST_F(QueryBuilderTest, CorrectWordsYieldNoCorrection) {
  for (const std::string q :
       {"hawala", "money", "follow the money", "corruption", "GP 18 money", "region:sahel money"}) {
    SCOPED_TRACE(q);
    EXPECT_EQ(plan_for(q).corrected_query, "");
  }
}

// "fiu" is not a word of any text, but it is a synonym of "financial intelligence unit" and the
// query finds documents through it: it is not a misspelling.
TEST_F(QueryBuilderTest, SynonymKeyIsNotAMisspelling) {
  QueryPlan plan = plan_for("fiu");
  EXPECT_FALSE(matches(plan.text).empty());
  EXPECT_EQ(plan.corrected_query, "");
}

TEST_F(QueryBuilderTest, HasUnknownWord) {
  QueryBuilder qb(*db_);
  EXPECT_FALSE(qb.has_unknown_word("hawala money"));
  EXPECT_TRUE(qb.has_unknown_word("hawalla money"));
  EXPECT_FALSE(qb.has_unknown_word("Hawala"));
  EXPECT_FALSE(qb.has_unknown_word(""));
}

// Documents with every word come first, then documents with some of them (issue 11): the text
// query holds both tiers, and the all-words tier is what a strict AND finds.
TEST_F(QueryBuilderTest, AllWordsTierRanksAboveDocumentsWithSomeWords) {
  SearchRequest r;
  r.query = "hawala ransom";
  QueryPlan plan = QueryBuilder(*db_).build(r);
  EXPECT_TRUE(plan.tiered);
  EXPECT_TRUE(matches(plan.all_words).empty());  // no fixture item has both words
  // fx-gp-18 (hawala, in both its versions) and the scenario (ransom), each once.
  std::vector<std::string> some = matches(plan.text);
  std::sort(some.begin(), some.end());
  EXPECT_EQ(some, (std::vector<std::string>{"fx-gp-18", "fx-scenario-kidnap"}));

  // "armed group": fx-gp-2 ("armed groups") and the scenario ("armed group") have both words;
  // fx-concept ("groups") and fx-gp-18 ("both kinds of group") have one.
  r.query = "armed group";
  plan = QueryBuilder(*db_).build(r);
  ASSERT_TRUE(plan.tiered);
  std::vector<std::string> every = matches(plan.all_words);
  std::sort(every.begin(), every.end());
  EXPECT_EQ(every, (std::vector<std::string>{"fx-gp-2", "fx-scenario-kidnap"}));
  Xapian::Enquire enquire(*db_);
  enquire.set_query(plan.text);
  const Xapian::MSet mset = enquire.get_mset(0, 100);
  ASSERT_EQ(mset.size(), 4u);  // the partial matches follow
  size_t rank = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
    std::string id;
    for (auto t = it.get_document().termlist_begin(); t != it.get_document().termlist_end(); ++t)
      if ((*t)[0] == 'Q') id = (*t).substr(1);
    const bool top = std::find(every.begin(), every.end(), id) != every.end();
    EXPECT_EQ(top, rank < every.size()) << "rank " << rank << " " << id;
    EXPECT_EQ(top, it.get_weight() >= kAllWordsBonus) << id;
    EXPECT_LT(it.get_weight(), top ? 2 * kAllWordsBonus : kAllWordsBonus) << id;
  }
}

// text_query reads plain words twice: all of them required, or any one enough.
TEST_F(QueryBuilderTest, TextQueryReadsPlainWordsAsAllAndAsAny) {
  QueryBuilder qb(*db_);
  bool fallback = false;
  const TextQueries two = qb.text_query("armed group", fallback, nullptr);
  EXPECT_FALSE(fallback);
  const std::string all = two.all.get_description(), any = two.any.get_description();
  EXPECT_TRUE(contains(all, "Zarm@1 AND Zgroup@2")) << all;
  EXPECT_TRUE(contains(any, "Zarm@1 OR Zgroup@2")) << any;
  EXPECT_FALSE(contains(any, " AND ")) << any;
  // Explicit operators keep their meaning in both readings.
  const TextQueries either = qb.text_query("armed OR group", fallback, nullptr);
  for (const Xapian::Query& q : {either.all, either.any}) {
    const std::string d = q.get_description();
    EXPECT_TRUE(contains(d, "Zarm@1 OR Zgroup@2")) << d;
    EXPECT_FALSE(contains(d, " AND ")) << d;
  }
  EXPECT_TRUE(qb.text_query("", fallback, nullptr).all.empty());
  EXPECT_TRUE(qb.text_query("", fallback, nullptr).any.empty());
}

// One word, or a phrase alone: one tier, no bonus query.
TEST_F(QueryBuilderTest, SingleWordQueryIsNotTiered) {
  SearchRequest r;
  r.query = "hawala";
  EXPECT_FALSE(QueryBuilder(*db_).build(r).tiered);
  r.query = "\"special investigative techniques\"";
  EXPECT_FALSE(QueryBuilder(*db_).build(r).tiered);
}

// Wildcards cost what their expansion costs: a trailing * needs two letters before it and at
// most four words keep theirs.
TEST(BoundWildcardsTest, KeepsOnlyAffordableWildcards) {
  EXPECT_EQ(bound_wildcards("corr*"), "corr*");
  EXPECT_EQ(bound_wildcards("a* corr*"), "a corr*");
  EXPECT_EQ(bound_wildcards("title:co* -x*"), "title:co* -x");
  EXPECT_EQ(bound_wildcards("aa* bb* cc* dd* ee* ff*"), "aa* bb* cc* dd* ee ff");
  EXPECT_EQ(bound_wildcards("\xd8\xba* \xd8\xba\xd8\xb3*"), "\xd8\xba \xd8\xba\xd8\xb3*");
  EXPECT_EQ(bound_wildcards("*"), "*");
}

std::string words(size_t n, const std::string& prefix = "w") {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? " " : "") + prefix + std::to_string(i);
  return out;
}

TEST(QueryTextTest, LongQueriesAreSearchedOnTheirFirstWords) {
  bool dropped = false;
  EXPECT_EQ(bound_words(words(32), 32, dropped), words(32));
  EXPECT_FALSE(dropped);
  EXPECT_EQ(bound_words(words(200), 32, dropped), words(32));
  EXPECT_TRUE(dropped);
  // Operators are not words; a dangling one at the cut goes.
  dropped = false;
  EXPECT_EQ(bound_words("a AND b OR c NOT d", 4, dropped), "a AND b OR c NOT d");
  EXPECT_FALSE(dropped);
  EXPECT_EQ(bound_words("a AND b OR c", 2, dropped), "a AND b");
  EXPECT_TRUE(dropped);
  // A cut inside a phrase or brackets keeps the plain words, never a malformed query.
  dropped = false;
  const std::string cut = bound_words("\"a b c\" (d e)", 2, dropped);
  EXPECT_TRUE(dropped);
  EXPECT_TRUE(is_well_formed(cut)) << cut;
  EXPECT_NE(cut.find('a'), std::string::npos);
  EXPECT_NE(cut.find('b'), std::string::npos);
  EXPECT_EQ(cut.find('c'), std::string::npos);
}

}  // namespace
}  // namespace nexuskb
