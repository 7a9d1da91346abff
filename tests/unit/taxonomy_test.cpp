// Taxonomy and synonyms loading: facets, labels with fallback, JSON round trip, located errors.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/synonyms.h"
#include "core/taxonomy.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::source_path;
using testing::TempDir;

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string describe(const ContentErrors& errors) {
  std::string out;
  for (const ContentError& e : errors) out += "\n  " + e.to_string();
  return out;
}

Taxonomy load_fixture() {
  auto t = Taxonomy::load_file(source_path("tests/fixtures/content/taxonomy.yaml").string());
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : describe(t.errors()));
  return t.ok() ? t.value() : Taxonomy{};
}

TEST(TaxonomyTest, LoadsFacetsInFileOrder) {
  Taxonomy t = load_fixture();
  std::vector<std::string> names;
  for (const FacetDefinition& f : t.facets()) names.push_back(f.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"kind", "section", "actor", "region", "theme", "lang"}));
  const FacetDefinition* region = t.facet("region");
  ASSERT_NE(region, nullptr);
  ASSERT_EQ(region->values.size(), 4u);
  EXPECT_EQ(region->values[0].key, "global");
  EXPECT_EQ(region->values[3].key, "east-africa");
  EXPECT_NE(region->find("sahel"), nullptr);
  EXPECT_EQ(region->find("Sahel"), nullptr);  // keys are exact
  EXPECT_EQ(t.facet("practice"), nullptr);    // numbers, not taxonomy values
  EXPECT_EQ(t.facet("nope"), nullptr);
}

TEST(TaxonomyTest, Documents) {
  Taxonomy t = load_fixture();
  const SourceDocument* d = t.document("hague-good-practices");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->title, "The Hague Good Practices (test copy)");
  EXPECT_EQ(d->publisher, "GCTF");
  EXPECT_EQ(d->year, 2018);
  EXPECT_EQ(d->url, "https://example.org/gp.pdf");
  EXPECT_EQ(t.document("unknown"), nullptr);
  EXPECT_EQ(t.documents().size(), 3u);
}

TEST(TaxonomyTest, ValueLabels) {
  Taxonomy t = load_fixture();
  struct Case {
    std::string facet, key, lang, label;
  };
  const std::vector<Case> cases = {
      {"region", "sahel", "en", "West Africa and the Sahel"},
      {"region", "sahel", "fr", "Afrique de l'Ouest et Sahel"},
      {"region", "sahel", "ar", "West Africa and the Sahel"},  // falls back to English
      {"kind", "practice", "ar", "ممارسة جيدة"},
      {"region", "atlantis", "fr", "atlantis"},  // unknown key: the key itself
      {"colour", "blue", "en", "blue"},
      {"practice", "23", "en", "GP 23"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.facet + "/" + c.key + "/" + c.lang);
    EXPECT_EQ(t.value_label(c.facet, c.key, c.lang), c.label);
  }
}

TEST(TaxonomyTest, LabelsFallBackToEnglishThenToTheFallback) {
  Labels both{{{"en", "Region"}, {"fr", "Région"}}};
  EXPECT_EQ(both.get("fr", "x"), "Région");
  EXPECT_EQ(both.get("ar", "x"), "Region");
  Labels french_only{{{"fr", "Région"}}};
  EXPECT_EQ(french_only.get("ar", "region"), "region");
  EXPECT_EQ(Labels{}.get("en", "key"), "key");
}

TEST(TaxonomyTest, JsonRoundTrip) {
  Taxonomy t = load_fixture();
  Taxonomy back = Taxonomy::from_json(t.to_json());
  EXPECT_EQ(back.to_json(), t.to_json());
  ASSERT_EQ(back.facets().size(), t.facets().size());
  EXPECT_EQ(back.value_label("actor", "fiu", "fr"), "Cellules de renseignement financier");
  ASSERT_NE(back.document("policy-toolkit"), nullptr);
  EXPECT_EQ(back.document("policy-toolkit")->year, 2019);
}

TEST(TaxonomyTest, ErrorsCarryFileAndLine) {
  TempDir dir;
  const std::string path = write_file(dir, "taxonomy.yaml",
                                      "facets:\n"                       // 1
                                      "  region:\n"                     // 2
                                      "    label: {en: Region}\n"       // 3
                                      "    values:\n"                   // 4
                                      "      global: {en: Global}\n"    // 5
                                      "      Bad_Key: {en: Bad}\n"      // 6
                                      "      sahel: {fr: Sahel}\n"      // 7
                                      "documents:\n"                    // 8
                                      "  untitled: {publisher: X}\n");  // 9
  auto r = Taxonomy::load_file(path);
  ASSERT_FALSE(r.ok());
  const ContentErrors& errors = r.errors();
  ASSERT_EQ(errors.size(), 3u) << describe(errors);
  EXPECT_EQ(errors[0].line, 6);
  EXPECT_NE(errors[0].message.find("bad value key 'Bad_Key'"), std::string::npos);
  EXPECT_EQ(errors[1].line, 7);
  EXPECT_NE(errors[1].message.find("has no en label"), std::string::npos);
  EXPECT_EQ(errors[2].line, 9);
  EXPECT_NE(errors[2].message.find("has no title"), std::string::npos);
  for (const ContentError& e : errors) EXPECT_EQ(e.file, path);
}

TEST(TaxonomyTest, InvalidYamlAndMissingFile) {
  TempDir dir;
  const std::string path = write_file(dir, "taxonomy.yaml", "facets:\n  region: [a, b\n");
  auto bad = Taxonomy::load_file(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.errors()[0].message.find("invalid YAML"), std::string::npos);
  EXPECT_GE(bad.errors()[0].line, 2);

  auto missing = Taxonomy::load_file((dir.path() / "none.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].line, 0);

  auto no_facets = Taxonomy::load_file(write_file(dir, "empty.yaml", "documents: {}\n"));
  ASSERT_FALSE(no_facets.ok());
  EXPECT_NE(no_facets.errors()[0].message.find("missing 'facets'"), std::string::npos);
}

TEST(SynonymsTest, LoadsFixtureGroupsNormalised) {
  auto r = load_synonyms(source_path("tests/fixtures/content/synonyms.yaml").string());
  ASSERT_TRUE(r.ok()) << describe(r.errors());
  const SynonymGroups& g = r.value();
  ASSERT_EQ(g.count("en"), 1u);
  ASSERT_EQ(g.at("en").size(), 2u);
  EXPECT_EQ(g.at("en")[0], (std::vector<std::string>{"fiu", "financial intelligence unit"}));
  ASSERT_EQ(g.count("fr"), 1u);
  EXPECT_EQ(g.at("fr")[0][1], "cellule de renseignement financier");
}

TEST(SynonymsTest, MissingFileHasNoGroups) {
  TempDir dir;
  auto r = load_synonyms((dir.path() / "synonyms.yaml").string());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
}

TEST(SynonymsTest, ErrorsCarryLines) {
  TempDir dir;
  const std::string path = write_file(dir, "synonyms.yaml",
                                      "en:\n"                         // 1
                                      "  - [FIU, Financial  Unit]\n"  // 2
                                      "  - [alone]\n"                 // 3
                                      "de:\n"                         // 4
                                      "  - [a, b]\n");                // 5
  auto r = load_synonyms(path);
  ASSERT_FALSE(r.ok());
  const ContentErrors& errors = r.errors();
  ASSERT_EQ(errors.size(), 2u) << describe(errors);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_NE(errors[0].message.find("two or more"), std::string::npos);
  EXPECT_EQ(errors[1].line, 4);
  EXPECT_NE(errors[1].message.find("unknown language 'de'"), std::string::npos);
}

}  // namespace
}  // namespace nexuskb
