// Front-matter parsing: a valid item's fields, and every validation error with its file line.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/content_item.h"
#include "core/taxonomy.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using testing::source_path;

using testing::fixture_taxonomy;

std::string read_file(const std::string& relative) {
  std::ifstream in(source_path(relative));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A valid practice; line numbers in the comments are file lines.
const std::vector<std::string> kValidLines = {
    "---",                                                                         // 1
    "id: test-item",                                                               // 2
    "lang: en",                                                                    // 3
    "kind: practice",                                                              // 4
    "title: Freeze assets quickly",                                                // 5
    "number: 3",                                                                   // 6
    "section: legal-considerations",                                               // 7
    "practices: [3, 1, 3]",                                                        // 8
    "actors: [legislators, prosecutors]",                                          // 9
    "regions: [global]",                                                           // 10
    "themes: [corruption, money-laundering]",                                      // 11
    "source: {document: hague-good-practices, url: \"https://x.org\", page: 11}",  // 12
    "verified: true",                                                              // 13
    "summary: Courts should freeze assets quickly.",                               // 14
    "---",                                                                         // 15
    "## What it recommends",                                                       // 16
    "",                                                                            // 17
    "Freeze first.",                                                               // 18
};

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// The valid item with file line `line` (1-based) replaced by `replacement` (which may hold
// several lines, or be empty to delete the line).
std::string with_line(int line, const std::string& replacement) {
  std::vector<std::string> lines = kValidLines;
  if (replacement.empty()) {
    lines.erase(lines.begin() + (line - 1));
  } else {
    lines[line - 1] = replacement;
  }
  return join(lines);
}

bool has_error(const ContentErrors& errors, int line, const std::string& fragment) {
  for (const ContentError& e : errors) {
    if (e.line == line && e.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string describe(const ContentErrors& errors) {
  std::string out;
  for (const ContentError& e : errors) out += "\n  " + e.to_string();
  return out;
}

TEST(ContentItemTest, ValidItemParsesWithAllFields) {
  auto r = parse_content_item("practices/test-item.en.md", join(kValidLines), fixture_taxonomy());
  ASSERT_TRUE(r.ok()) << describe(r.errors());
  const ContentItem& item = r.value();
  EXPECT_EQ(item.path, "practices/test-item.en.md");
  EXPECT_EQ(item.id, "test-item");
  EXPECT_EQ(item.lang, "en");
  EXPECT_EQ(item.kind, "practice");
  EXPECT_EQ(item.title, "Freeze assets quickly");
  ASSERT_TRUE(item.number.has_value());
  EXPECT_EQ(*item.number, 3);
  EXPECT_EQ(item.section, "legal-considerations");
  EXPECT_EQ(item.practices, (std::vector<PracticeNumber>{3, 1}));  // duplicates dropped
  EXPECT_EQ(item.actors, (std::vector<std::string>{"legislators", "prosecutors"}));
  EXPECT_EQ(item.regions, (std::vector<std::string>{"global"}));
  EXPECT_EQ(item.themes, (std::vector<std::string>{"corruption", "money-laundering"}));
  EXPECT_EQ(item.source.document, "hague-good-practices");
  EXPECT_EQ(item.source.url, "https://x.org");
  EXPECT_EQ(item.source.page, "11");
  EXPECT_TRUE(item.verified);
  EXPECT_EQ(item.summary, "Courts should freeze assets quickly.");
  EXPECT_EQ(item.body_line, 16);
  EXPECT_EQ(item.body.rfind("## What it recommends\n", 0), 0u) << item.body;
}

TEST(ContentItemTest, FixtureItemsParse) {
  for (const char* file :
       {"practices/fx-gp-1.en.md", "practices/fx-gp-18.fr.md", "practices/fx-gp-2.ar.md",
        "scenarios/fx-scenario-kidnap.en.md", "toolkit/fx-concept.en.md"}) {
    const std::string rel = std::string("tests/fixtures/content/") + file;
    auto r = parse_content_item(rel, read_file(rel), fixture_taxonomy());
    EXPECT_TRUE(r.ok()) << file << (r.ok() ? "" : describe(r.errors()));
  }
}

TEST(ContentItemTest, ScenarioWithoutNumberHasNone) {
  const std::string rel = "tests/fixtures/content/scenarios/fx-scenario-kidnap.en.md";
  auto r = parse_content_item(rel, read_file(rel), fixture_taxonomy());
  ASSERT_TRUE(r.ok()) << describe(r.errors());
  EXPECT_FALSE(r.value().number.has_value());
  EXPECT_EQ(r.value().kind, "scenario");
  EXPECT_FALSE(r.value().verified);
  EXPECT_TRUE(r.value().themes.size() == 1 && r.value().themes[0] == "kidnapping-for-ransom");
}

struct ErrorCase {
  const char* name;
  std::string text;
  int line;              // expected file line of the error
  const char* fragment;  // expected in the message
};

TEST(ContentItemTest, EachProblemIsReportedWithFileAndLine) {
  const std::vector<ErrorCase> cases = {
      {"missing front matter", "## Just a body\n\nText.\n", 1, "missing YAML front matter"},
      {"unterminated front matter", "---\nid: x\nlang: en\n", 1, "missing YAML front matter"},
      {"invalid YAML", with_line(5, "title: a: b"), 5, "invalid YAML"},
      {"invalid token", with_line(14, "summary: @at"), 14, "invalid YAML"},
      {"unknown key", with_line(13, "verified: true\ncolour: blue"), 14,
       "unknown front-matter key 'colour'"},
      {"unknown actor in flow list", with_line(9, "actors: [legislators, wizards]"), 9,
       "unknown actor 'wizards'"},
      {"unknown actor in block list", with_line(9, "actors:\n  - legislators\n  - wizards"), 11,
       "unknown actor 'wizards'"},
      {"unknown region", with_line(10, "regions:\n  - mars"), 11, "unknown region 'mars'"},
      {"unknown theme", with_line(11, "themes: [astrology]"), 11, "unknown theme 'astrology'"},
      {"unknown section", with_line(7, "section: nowhere"), 7, "unknown section 'nowhere'"},
      {"bad id: capitals", with_line(2, "id: Test_Item"), 2, "bad id 'Test_Item'"},
      {"bad id: double dash", with_line(2, "id: test--item"), 2, "bad id"},
      {"bad id: trailing dash", with_line(2, "id: test-"), 2, "bad id"},
      {"unknown lang", with_line(3, "lang: de"), 3, "unknown lang 'de'"},
      {"unknown kind", with_line(4, "kind: essay"), 4, "unknown kind 'essay'"},
      {"missing summary", with_line(14, ""), 1, "missing required key 'summary'"},
      {"missing title", with_line(5, ""), 1, "missing required key 'title'"},
      {"missing actors", with_line(9, ""), 1, "missing required key 'actors'"},
      {"missing source", with_line(12, ""), 1, "missing required key 'source'"},
      {"missing verified", with_line(13, ""), 1, "missing required key 'verified'"},
      {"empty actors", with_line(9, "actors: []"), 9, "'actors' must not be empty"},
      {"practice without number", with_line(6, ""), 1, "missing required key 'number'"},
      {"number out of range", with_line(6, "number: 1000"), 6, "'number' must be a whole number"},
      {"number not a number", with_line(6, "number: three"), 6, "'number' must be a whole number"},
      {"practice not listing itself", with_line(8, "practices: [1, 2]"), 8,
       "a practice must list its own number"},
      {"practice list entry not a number", with_line(8, "practices:\n  - 3\n  - x"), 10,
       "practice 'x' is not a number"},
      {"practices not a list", with_line(8, "practices: 3"), 8, "'practices' must be a list"},
      {"verified not a bool", with_line(13, "verified: maybe"), 13,
       "'verified' must be true or false"},
      {"unknown source document in flow map", with_line(12, "source: {document: nope, url: \"\"}"),
       12, "unknown source document 'nope'"},
      {"unknown source document in block map",
       with_line(12, "source:\n  url: \"\"\n  document: nope"), 14,
       "unknown source document 'nope'"},
      {"source without document", with_line(12, "source: {url: \"\"}"), 12,
       "'source' needs a 'document'"},
      {"title is a list", with_line(5, "title: [a, b]"), 5, "'title' must be a single value"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_content_item("practices/case.en.md", c.text, fixture_taxonomy());
    ASSERT_FALSE(r.ok()) << c.text;
    for (const ContentError& e : r.errors()) EXPECT_EQ(e.file, "practices/case.en.md");
    EXPECT_TRUE(has_error(r.errors(), c.line, c.fragment))
        << "want line " << c.line << " '" << c.fragment << "', got" << describe(r.errors());
  }
}

TEST(ContentItemTest, NumberOnNonPracticeIsRejected) {
  std::string text = with_line(4, "kind: toolkit");
  auto r = parse_content_item("t.md", text, fixture_taxonomy());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.errors(), 6, "'number' is only for practices")) << describe(r.errors());
}

TEST(ContentItemTest, SeveralProblemsGiveSeveralErrorsAtOnce) {
  std::vector<std::string> lines = kValidLines;
  lines[1] = "id: Bad_Id";                      // line 2
  lines[8] = "actors: [legislators, wizards]";  // line 9
  lines[12] = "verified: maybe";                // line 13
  lines[13] = "colour: blue";                   // line 14 (summary removed)
  auto r = parse_content_item("multi.md", join(lines), fixture_taxonomy());
  ASSERT_FALSE(r.ok());
  const ContentErrors& errors = r.errors();
  EXPECT_GE(errors.size(), 5u) << describe(errors);
  EXPECT_TRUE(has_error(errors, 2, "bad id")) << describe(errors);
  EXPECT_TRUE(has_error(errors, 9, "unknown actor 'wizards'")) << describe(errors);
  EXPECT_TRUE(has_error(errors, 13, "'verified'")) << describe(errors);
  EXPECT_TRUE(has_error(errors, 14, "unknown front-matter key 'colour'")) << describe(errors);
  EXPECT_TRUE(has_error(errors, 1, "missing required key 'summary'")) << describe(errors);
}

// YAML requires unique keys; a repeated key would otherwise silently lose one of its values.
TEST(ContentItemTest, DuplicateKeyIsReported) {
  auto r = parse_content_item("dup.md", with_line(10, "regions: [global]\nregions: [sahel]"),
                              fixture_taxonomy());
  ASSERT_FALSE(r.ok()) << "regions parsed as " << r.value().regions.front();
  EXPECT_TRUE(has_error(r.errors(), 11, "regions")) << describe(r.errors());
}

TEST(ContentItemTest, ErrorStringIsFileColonLineColonMessage) {
  auto r = parse_content_item("practices/x.en.md", with_line(3, "lang: de"), fixture_taxonomy());
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors().size(), 1u) << describe(r.errors());
  EXPECT_EQ(r.errors()[0].to_string(), "practices/x.en.md:3: unknown lang 'de' (en, fr or ar)");
}

TEST(ContentItemTest, BrokenFixtureReportsTheFileLineOfTheBadActor) {
  const std::string file = "tests/fixtures/broken/practices/bad-actor.en.md";
  const std::string text = read_file(file);
  // The line holding the bad value, counted in the file (front matter starts on line 2).
  int wizards_line = 0;
  std::istringstream lines(text);
  int n = 0;
  for (std::string l; std::getline(lines, l);) {
    ++n;
    if (l.find("wizards") != std::string::npos) wizards_line = n;
  }
  ASSERT_GT(wizards_line, 2) << "fixture no longer names the actor 'wizards'";
  auto r = parse_content_item(file, text, fixture_taxonomy());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.errors(), wizards_line, "unknown actor 'wizards'"))
      << describe(r.errors());
  for (const ContentError& e : r.errors()) EXPECT_EQ(e.file, file);
}

TEST(ContentItemTest, WindowsLineEndingsAndBomKeepLineNumbers) {
  std::string text;
  for (const std::string& l : kValidLines) text += l + "\r\n";
  auto ok = parse_content_item("crlf.md", "\xEF\xBB\xBF" + text, fixture_taxonomy());
  ASSERT_TRUE(ok.ok()) << describe(ok.errors());
  EXPECT_EQ(ok.value().title, "Freeze assets quickly");
  EXPECT_EQ(ok.value().body_line, 16);

  std::string bad = with_line(9, "actors: [wizards]");
  std::string crlf;
  for (char c : bad) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto r = parse_content_item("crlf.md", crlf, fixture_taxonomy());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.errors(), 9, "unknown actor 'wizards'")) << describe(r.errors());
}

TEST(ContentItemTest, IsValidId) {
  struct Case {
    std::string id;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"gp-23", true},
      {"a", true},
      {"fx-scenario-kidnap", true},
      {"2024", true},
      {"", false},
      {"GP-23", false},
      {"-gp", false},
      {"gp-", false},
      {"gp--23", false},
      {"gp_23", false},
      {"gp 23", false},
      {"été", false},
      {std::string(100, 'a'), true},
      {std::string(101, 'a'), false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_valid_id(c.id), c.valid) << "'" << c.id << "'";
}

}  // namespace
}  // namespace nexuskb
