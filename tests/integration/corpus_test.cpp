// Corpus tests: the real content/ directory, loaded and indexed, checked against the invariants of
// the corpus issue (numbering, translations, references, counts, labels and honesty markers).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "core/stored_item.h"
#include "indexer/corpus.h"
#include "server/index_snapshot.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::build_index;
using testing::source_path;
using testing::TempDir;

const std::vector<std::string> kLanguages = {"en", "fr", "ar"};
constexpr int kPracticeCount = 25;  // Good Practices 1..25 are in the corpus in every language

// The heading of the closing passage that names where an item's facts come from.
std::string source_heading(const std::string& lang) {
  return lang == "ar" ? "المصدر" : "Source";
}

// Words that say a statement is provisional, per language (matched in ASCII lower case).
const std::map<std::string, std::vector<std::string>> kProvisionalMarkers = {
    {"en", {"provisional", "unverified", "not been checked", "not verified"}},
    {"fr", {"provisoire", "non vérifié", "non vérifiée"}},
    {"ar", {"مؤقت", "غير موثق", "لم تُطابَق", "لم يتم التحقق"}},
};

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains_any(const std::string& text, const std::vector<std::string>& needles) {
  const std::string lower = ascii_lower(text);
  return std::any_of(needles.begin(), needles.end(),
                     [&](const std::string& n) { return lower.find(n) != std::string::npos; });
}

// Whitespace-separated tokens holding at least one letter or digit (any script).
size_t count_words(const std::string& text) {
  std::istringstream in(text);
  std::string token;
  size_t words = 0;
  while (in >> token) {
    if (std::any_of(token.begin(), token.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
        })) {
      ++words;
    }
  }
  return words;
}

// An internal link "/doc/<id>[?lang=xx][#anchor]" taken apart; ok=false when it is not one.
struct DocLink {
  bool ok = false;
  std::string id, lang, anchor;
};

DocLink parse_doc_link(const std::string& url) {
  DocLink link;
  const std::string prefix = "/doc/";
  if (url.rfind(prefix, 0) != 0) return link;
  std::string rest = url.substr(prefix.size());
  if (auto hash = rest.find('#'); hash != std::string::npos) {
    link.anchor = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (auto q = rest.find('?'); q != std::string::npos) {
    const std::string query = rest.substr(q + 1);
    rest.resize(q);
    if (query.rfind("lang=", 0) != 0) return link;  // no other parameter is meaningful here
    link.lang = query.substr(5);
  }
  link.id = rest;
  link.ok = !link.id.empty() && link.id.find('/') == std::string::npos;
  return link;
}

class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = load_corpus(source_path("content").string());
    if (loaded.ok()) {
      corpus_ = new Corpus(std::move(loaded).value());
    } else {
      load_errors_ = new std::string;
      for (const ContentError& e : loaded.errors()) *load_errors_ += e.to_string() + "\n";
    }
  }
  static void TearDownTestSuite() {
    delete index_;
    delete dir_;
    delete corpus_;
    delete load_errors_;
    index_ = nullptr;
    dir_ = nullptr;
    corpus_ = nullptr;
    load_errors_ = nullptr;
  }
  // Every test needs the loaded corpus; a load failure is reported once, in full, by each test.
  void SetUp() override {
    ASSERT_NE(corpus_, nullptr) << "load_corpus(content) failed:\n"
                                << (load_errors_ ? *load_errors_ : "");
  }

  static const std::vector<CorpusItem>& items() { return corpus_->items; }

  static const CorpusItem* find(const std::string& id, const std::string& lang) {
    for (const CorpusItem& c : items()) {
      if (c.item.id == id && c.item.lang == lang) return &c;
    }
    return nullptr;
  }

  // Distinct ids of English items of `kind`.
  static std::set<std::string> english_ids(const std::string& kind) {
    std::set<std::string> ids;
    for (const CorpusItem& c : items()) {
      if (c.item.lang == "en" && c.item.kind == kind) ids.insert(c.item.id);
    }
    return ids;
  }

  static std::string name(const CorpusItem& c) { return c.relative_path; }

  // The index of content/, built by the first test that needs it (so that a failing build is
  // reported by that test, with the indexer's file:line messages).
  static IndexHandle* index() {
    if (index_ == nullptr && dir_ == nullptr) {
      dir_ = new TempDir;
      try {
        index_ = new IndexHandle(build_index(source_path("content"), dir_->path()).string());
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot open the index of content/: " << e.what();
      }
    }
    return index_;
  }

  // Every stored item of the index built from content/.
  // Every language version of every indexed item.
  static std::vector<StoredItem> stored_items() {
    std::vector<StoredItem> out;
    Xapian::Database& db = index()->database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      for (StoredItem& v : StoredDocument::from_data(db.get_document(*it).get_data()).versions)
        out.push_back(std::move(v));
    }
    return out;
  }

  static Corpus* corpus_;
  static std::string* load_errors_;
  static TempDir* dir_;
  static IndexHandle* index_;
};
Corpus* CorpusTest::corpus_ = nullptr;
std::string* CorpusTest::load_errors_ = nullptr;
TempDir* CorpusTest::dir_ = nullptr;
IndexHandle* CorpusTest::index_ = nullptr;

TEST_F(CorpusTest, ContentLoadsWithoutAnyError) {
  // SetUp() has asserted that load_corpus succeeded: every front-matter key, taxonomy value,
  // duplicate, translation pair, internal link and raw-HTML check passed. The corpus is not empty.
  EXPECT_GE(items().size(), 100u);
  EXPECT_FALSE(corpus_->taxonomy.facets().empty());
}

TEST_F(CorpusTest, EveryTaxonomyValueUsedByAnItemExists) {
  const Taxonomy& t = corpus_->taxonomy;
  auto known = [&](const std::string& facet, const std::string& value) {
    const FacetDefinition* def = t.facet(facet);
    return def != nullptr && def->find(value) != nullptr;
  };
  for (const CorpusItem& c : items()) {
    const ContentItem& it = c.item;
    EXPECT_TRUE(known("kind", it.kind)) << name(c) << ": kind " << it.kind;
    EXPECT_TRUE(known("section", it.section)) << name(c) << ": section " << it.section;
    EXPECT_TRUE(known("lang", it.lang)) << name(c) << ": lang " << it.lang;
    for (const auto& a : it.actors) EXPECT_TRUE(known("actor", a)) << name(c) << ": actor " << a;
    for (const auto& r : it.regions) EXPECT_TRUE(known("region", r)) << name(c) << ": region " << r;
    for (const auto& th : it.themes) EXPECT_TRUE(known("theme", th)) << name(c) << ": theme " << th;
    EXPECT_NE(t.document(it.source.document), nullptr)
        << name(c) << ": source document " << it.source.document;
    EXPECT_FALSE(it.actors.empty()) << name(c);
    EXPECT_FALSE(it.regions.empty()) << name(c);
  }
}

// Reads taxonomy.yaml itself: an unquoted comma inside a flow map ("{en: Border, customs ...}")
// silently splits a label into a short label and a stray key, which the loader ignores.
TEST_F(CorpusTest, TaxonomyLabelsExistInEnglishFrenchAndArabicWithNoStrayKeys) {
  const YAML::Node root = YAML::LoadFile(source_path("content/taxonomy.yaml").string());
  const YAML::Node facets = root["facets"];
  ASSERT_TRUE(facets && facets.IsMap());
  const std::set<std::string> value_keys{"en", "fr", "ar", "synonyms"};
  int values_seen = 0;
  for (const auto& facet : facets) {
    const std::string fname = facet.first.as<std::string>();
    for (const std::string& lang : kLanguages) {
      EXPECT_FALSE(facet.second["label"][lang].as<std::string>("").empty())
          << "facet " << fname << " has no " << lang << " label";
    }
    const YAML::Node values = facet.second["values"];
    if (!values) continue;  // e.g. practice: values are numbers, labelled in code
    ASSERT_TRUE(values.IsMap()) << fname;
    for (const auto& v : values) {
      const std::string key = fname + "." + v.first.as<std::string>();
      ++values_seen;
      ASSERT_TRUE(v.second.IsMap()) << key;
      for (const auto& field : v.second) {
        const std::string k = field.first.as<std::string>();
        EXPECT_TRUE(value_keys.count(k))
            << key << ": stray key '" << k << "' (an unquoted comma in a label?)";
        if (k != "synonyms") {
          EXPECT_TRUE(field.second.IsScalar() && !field.second.as<std::string>("").empty())
              << key << ": empty " << k << " label";
        }
      }
      for (const std::string& lang : kLanguages) {
        EXPECT_TRUE(v.second[lang]) << key << " has no " << lang << " label";
      }
    }
  }
  EXPECT_GE(values_seen, 40);
}

TEST_F(CorpusTest, TheIndexHoldsOneDocumentPerItemWithEveryLanguageVersion) {
  ASSERT_NE(index(), nullptr);
  std::set<std::string> ids;
  for (const CorpusItem& c : items()) ids.insert(c.item.id);
  EXPECT_EQ(index()->database().get_doccount(), ids.size());
  std::set<std::pair<std::string, std::string>> stored;
  for (const StoredItem& s : stored_items()) {
    EXPECT_TRUE(stored.insert({s.id, s.lang}).second) << s.id << " [" << s.lang << "] twice";
    EXPECT_NE(find(s.id, s.lang), nullptr) << s.id << " [" << s.lang << "] not in content/";
  }
  EXPECT_EQ(stored.size(), items().size());
}

TEST_F(CorpusTest, EveryGoodPracticeNumberIsPresentExactlyOncePerLanguageInTheIndex) {
  ASSERT_NE(index(), nullptr);
  std::map<std::string, std::map<int, int>> count;  // lang -> number -> practice items
  for (const StoredItem& s : stored_items()) {
    if (s.kind != "practice") continue;
    ASSERT_TRUE(s.number.has_value()) << s.id << " [" << s.lang << "]";
    ++count[s.lang][*s.number];
  }
  for (const std::string& lang : kLanguages) {
    for (int n = 1; n <= kPracticeCount; ++n) {
      EXPECT_EQ(count[lang][n], 1) << "Good Practice " << n << " in " << lang;
    }
    for (const auto& [n, times] : count[lang]) {
      EXPECT_EQ(times, 1) << "Good Practice " << n << " appears " << times << " times in " << lang;
    }
  }
}

// Trainings run in English, French and Arabic: every item exists in all three.
TEST_F(CorpusTest, EveryItemExistsInEnglishFrenchAndArabic) {
  int english = 0;
  for (const CorpusItem& c : items()) {
    EXPECT_NE(find(c.item.id, "en"), nullptr) << name(c) << " has no English version";
    if (c.item.lang != "en") continue;
    ++english;
    EXPECT_NE(find(c.item.id, "fr"), nullptr) << name(c) << " has no French version";
    EXPECT_NE(find(c.item.id, "ar"), nullptr) << name(c) << " has no Arabic version";
  }
  EXPECT_GT(english, 0);
}

// An Arabic practice is the English one in full, not a digest: at least 70% of its word count
// (Arabic attaches articles and prepositions to words, so a full rendering runs at 80-100%).
TEST_F(CorpusTest, ArabicPracticesHaveTheDepthOfTheEnglish) {
  auto words = [](const std::string& text) {
    std::istringstream in(text);
    size_t n = 0;
    for (std::string w; in >> w;) ++n;
    return n;
  };
  for (const CorpusItem& c : items()) {
    if (c.item.kind != "practice" || c.item.lang != "ar") continue;
    const CorpusItem* en = find(c.item.id, "en");
    ASSERT_NE(en, nullptr) << name(c);
    EXPECT_GE(words(c.item.body) * 10, words(en->item.body) * 7)
        << name(c) << ": " << words(c.item.body) << " words against " << words(en->item.body);
  }
}

// Every region of the taxonomy has items (an empty facet value is a dead end for a user), and
// every source document is cited by some item.
TEST_F(CorpusTest, EveryRegionAndEverySourceDocumentIsUsed) {
  std::set<std::string> regions, documents;
  for (const CorpusItem& c : items()) {
    regions.insert(c.item.regions.begin(), c.item.regions.end());
    documents.insert(c.item.source.document);
  }
  const FacetDefinition* region = corpus_->taxonomy.facet("region");
  ASSERT_NE(region, nullptr);
  for (const FacetValue& v : region->values) EXPECT_TRUE(regions.count(v.key)) << v.key;
  for (const auto& [key, doc] : corpus_->taxonomy.documents())
    EXPECT_TRUE(documents.count(key)) << "source document '" << key << "' is cited by no item";
}

// Filters must behave the same in every language: a translation carries its original's facets.
TEST_F(CorpusTest, TranslationsShareTheFacetsOfTheirEnglishOriginal) {
  auto sorted = [](auto v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const CorpusItem& c : items()) {
    if (c.item.lang == "en") continue;
    const CorpusItem* en = find(c.item.id, "en");
    if (en == nullptr) continue;  // reported by the test above
    EXPECT_EQ(c.item.section, en->item.section) << name(c);
    EXPECT_EQ(sorted(c.item.practices), sorted(en->item.practices)) << name(c) << ": practices";
    EXPECT_EQ(sorted(c.item.actors), sorted(en->item.actors)) << name(c) << ": actors";
    EXPECT_EQ(sorted(c.item.regions), sorted(en->item.regions)) << name(c) << ": regions";
    EXPECT_EQ(sorted(c.item.themes), sorted(en->item.themes)) << name(c) << ": themes";
    EXPECT_EQ(c.item.source.document, en->item.source.document) << name(c) << ": source";
  }
}

TEST_F(CorpusTest, EveryPracticesReferencePointsToAPracticeInTheSameLanguage) {
  std::map<std::string, std::set<int>> numbers;  // lang -> practice numbers present
  for (const CorpusItem& c : items()) {
    if (c.item.kind == "practice" && c.item.number) numbers[c.item.lang].insert(*c.item.number);
  }
  int references = 0;
  for (const CorpusItem& c : items()) {
    EXPECT_FALSE(c.item.practices.empty()) << name(c);
    for (int p : c.item.practices) {
      ++references;
      EXPECT_TRUE(numbers[c.item.lang].count(p))
          << name(c) << ": practices lists " << p << ", which has no " << c.item.lang << " item";
    }
  }
  EXPECT_GT(references, 0);
}

TEST_F(CorpusTest, EveryInternalLinkPointsToAnExistingItemAndPassage) {
  int internal = 0;
  for (const CorpusItem& c : items()) {
    for (const MarkdownLink& link : c.body.links) {
      const std::string where = name(c) + ":" + std::to_string(c.item.body_line + link.line - 1);
      if (link.url.rfind("http://", 0) == 0 || link.url.rfind("https://", 0) == 0 ||
          link.url.rfind("mailto:", 0) == 0) {
        continue;
      }
      // Relative links ("gp-2", "../x.md") break once rendered; site links must be /doc/ links.
      DocLink target = parse_doc_link(link.url);
      ASSERT_TRUE(target.ok) << where << ": '" << link.url
                             << "' is neither an external URL nor /doc/<id>[?lang=xx][#anchor]";
      ++internal;
      // Without ?lang= the page opens the reader's language where the item has it, else English.
      std::string lang = target.lang;
      if (lang.empty()) lang = find(target.id, c.item.lang) != nullptr ? c.item.lang : "en";
      const CorpusItem* to = find(target.id, lang);
      ASSERT_NE(to, nullptr) << where << ": link to missing item " << target.id << " [" << lang
                             << "]";
      if (target.anchor.empty()) continue;
      const auto& passages = to->body.passages;
      EXPECT_TRUE(std::any_of(passages.begin(), passages.end(),
                              [&](const Passage& p) { return p.anchor == target.anchor; }))
          << where << ": " << target.id << " [" << lang << "] has no passage #" << target.anchor;
    }
  }
  EXPECT_GT(internal, 0);  // the corpus cross-links; zero would mean links were not collected
}

TEST_F(CorpusTest, CountsMeetTheCorpusIssue) {
  EXPECT_GE(english_ids("practice").size(), 25u);
  EXPECT_GE(english_ids("toolkit").size(), 8u);
  EXPECT_GE(english_ids("instrument").size(), 10u);
  EXPECT_GE(english_ids("scenario").size(), 10u);
  const std::set<std::string> addendum = english_ids("addendum");
  EXPECT_GE(addendum.size(), 1u);
  int from_addendum = 0;
  for (const std::string& id : addendum) {
    from_addendum += find(id, "en")->item.source.document == "criminal-justice-addendum";
  }
  EXPECT_GE(from_addendum, 1) << "no addendum item cites the 2020 Criminal-Justice Addendum";
}

TEST_F(CorpusTest, SynonymsHoldAtLeastFortyGroupsWithTheNamedAcronyms) {
  const SynonymGroups& groups = corpus_->synonyms;
  ASSERT_TRUE(groups.count("en"));
  ASSERT_TRUE(groups.count("fr"));
  EXPECT_GE(groups.at("en").size(), 40u);
  EXPECT_GE(groups.at("fr").size(), 40u);
  auto has_term = [&](const std::string& lang, const std::string& term) {
    for (const auto& group : groups.at(lang)) {
      if (std::find(group.begin(), group.end(), term) != group.end()) return group.size() > 1;
    }
    return false;
  };
  for (const char* term : {"toc", "ftf", "aml", "mla", "fiu", "salw", "kfr", "ivts", "hawala"}) {
    EXPECT_TRUE(has_term("en", term)) << "en synonyms lack a group for " << term;
  }
  for (const char* term : {"cto", "lbc", "crf", "alpc", "hawala"}) {
    EXPECT_TRUE(has_term("fr", term)) << "fr synonyms lack a group for " << term;
  }
}

TEST_F(CorpusTest, EnglishPracticesHaveAtLeast250WordsBeforeTheirSource) {
  for (const CorpusItem& c : items()) {
    if (c.item.kind != "practice" || c.item.lang != "en") continue;
    size_t words = 0;
    for (const Passage& p : c.body.passages) {
      if (p.heading != source_heading("en")) words += count_words(p.text);
    }
    EXPECT_GE(words, 250u) << name(c);
  }
}

// Only items checked line by line against the official text may say `verified: true`, and each
// must be listed here as {id, lang} (docs/CONTENT.md, section 9). Nothing has been checked yet.
const std::set<std::pair<std::string, std::string>> kVerifiedItems = {};

TEST_F(CorpusTest, OnlyTheListedItemsAreMarkedVerified) {
  for (const CorpusItem& c : items()) {
    const bool listed = kVerifiedItems.count({c.item.id, c.item.lang}) > 0;
    EXPECT_EQ(c.item.verified, listed)
        << name(c)
        << (listed ? ": listed as verified but says verified: false"
                   : ": says verified: true but is not in kVerifiedItems");
  }
  for (const auto& [id, lang] : kVerifiedItems) {
    EXPECT_NE(find(id, lang), nullptr) << id << " [" << lang << "] is listed but does not exist";
  }
}

TEST_F(CorpusTest, EveryItemEndsWithANonEmptySourcePassage) {
  for (const CorpusItem& c : items()) {
    const auto& passages = c.body.passages;
    ASSERT_FALSE(passages.empty()) << name(c);
    EXPECT_EQ(passages.back().heading, source_heading(c.item.lang)) << name(c);
    EXPECT_GE(count_words(passages.back().text), 10u) << name(c) << ": Source passage too short";
  }
}

// DOMAIN.md: only the numbers of Good Practices 1, 2 and 23 are confirmed by a public source; every
// other practice must say in its Source passage that its numbering is provisional.
TEST_F(CorpusTest, PracticesWithUnconfirmedNumbersSaySoInTheirSource) {
  const std::set<int> confirmed{1, 2, 23};
  int checked = 0;
  for (const CorpusItem& c : items()) {
    if (c.item.kind != "practice" || !c.item.number || confirmed.count(*c.item.number)) continue;
    ASSERT_FALSE(c.body.passages.empty()) << name(c);
    ++checked;
    EXPECT_TRUE(contains_any(c.body.passages.back().text, kProvisionalMarkers.at(c.item.lang)))
        << name(c) << ": the Source passage does not say the numbering is provisional";
  }
  EXPECT_GE(checked, 3 * (kPracticeCount - 3));
}

TEST_F(CorpusTest, ScenariosSayTheyAreFiction) {
  const std::map<std::string, std::vector<std::string>> markers = {
      {"en", {"fiction"}}, {"fr", {"fiction", "fictif", "fictive"}}, {"ar", {"خيالي"}}};
  for (const CorpusItem& c : items()) {
    if (c.item.kind != "scenario") continue;
    EXPECT_TRUE(contains_any(c.item.summary + "\n" + c.item.body, markers.at(c.item.lang)))
        << name(c);
  }
}

// The four regions of the 2017-2018 consultations each have a Toolkit profile and a scenario.
TEST_F(CorpusTest, EachConsultationRegionHasAToolkitProfileAndAScenario) {
  for (const char* region : {"sahel", "balkans", "south-east-asia", "east-africa"}) {
    int profiles = 0, scenarios = 0;
    for (const CorpusItem& c : items()) {
      if (c.item.lang != "en") continue;
      const auto& r = c.item.regions;
      if (std::find(r.begin(), r.end(), region) == r.end()) continue;
      profiles += c.item.kind == "toolkit" && c.item.section == "regional-profiles";
      scenarios += c.item.kind == "scenario";
    }
    EXPECT_GE(profiles, 1) << region;
    EXPECT_GE(scenarios, 1) << region;
  }
}

}  // namespace
}  // namespace nexuskb
