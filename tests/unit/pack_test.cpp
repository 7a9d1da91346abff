// Reading packs: request parsing, the links that rewrite a pack, nested body HTML, citations and
// the Markdown export.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/pack.h"

namespace nexuskb {
namespace {

using Ids = std::vector<std::string>;

TEST(PackRequestTest, ParsesItemsTitleLangAndFormat) {
  struct Case {
    const char* name;
    QueryParams params;
    Ids ids;
    std::string title, lang;
    bool markdown, items_given;
  };
  const std::vector<Case> cases = {
      {"nothing", {}, {}, "", "", false, false},
      {"empty items", {{"items", ""}}, {}, "", "", false, true},
      {"comma list",
       {{"items", "gp-18,gp-1,untoc"}},
       {"gp-18", "gp-1", "untoc"},
       "",
       "",
       false,
       true},
      {"repeated parameter",
       {{"items", "gp-18"}, {"items", "gp-1"}},
       {"gp-18", "gp-1"},
       "",
       "",
       false,
       true},
      {"duplicates keep the first place",
       {{"items", "a,b,a,c,b"}},
       {"a", "b", "c"},
       "",
       "",
       false,
       true},
      {"spaces and empty parts", {{"items", " a, ,b,,"}}, {"a", "b"}, "", "", false, true},
      {"upper case ids", {{"items", "GP-18"}}, {"gp-18"}, "", "", false, true},
      {"title on one line", {{"title", "Atelier\nMali\t"}}, {}, "Atelier Mali", "", false, false},
      {"lang and markdown", {{"lang", "fr"}, {"format", "md"}}, {}, "", "fr", true, false},
      {"format html", {{"format", "html"}}, {}, "", "", false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_pack_request(c.params, true);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().ids, c.ids);
    EXPECT_EQ(r.value().title, c.title);
    EXPECT_EQ(r.value().lang, c.lang);
    EXPECT_EQ(r.value().markdown, c.markdown);
    EXPECT_EQ(r.value().items_given, c.items_given);
  }
}

TEST(PackRequestTest, RejectsBadInputWithTheOffendingParameter) {
  struct Case {
    const char* name;
    QueryParams params;
    bool allow_format;
    std::string code, parameter;
  };
  std::string many;
  for (int i = 0; i <= static_cast<int>(kMaxPackItems); ++i) many += "i" + std::to_string(i) + ",";
  const std::vector<Case> cases = {
      {"path in an id", {{"items", "../etc"}}, true, "invalid_items", "items"},
      {"markup in an id", {{"items", "a,<b>"}}, true, "invalid_items", "items"},
      {"too many", {{"items", many}}, true, "too_many_items", "items"},
      {"long title",
       {{"title", std::string(kMaxPackTitleBytes + 1, 'x')}},
       true,
       "invalid_title",
       "title"},
      {"unknown lang", {{"lang", "de"}}, true, "unknown_value", "lang"},
      {"unknown format", {{"format", "pdf"}}, true, "unknown_value", "format"},
      {"format on the JSON route", {{"format", "md"}}, false, "unknown_parameter", "format"},
      {"unknown parameter", {{"colour", "red"}}, true, "unknown_parameter", "colour"},
      {"invalid UTF-8", {{"title", "\xFF"}}, true, "invalid_utf8", "title"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_pack_request(c.params, c.allow_format);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().parameter, c.parameter);
  }
}

TEST(PackLinksTest, AddMoveRemove) {
  const Ids ids = {"a", "b", "c"};
  EXPECT_EQ(pack_with(ids, "d"), (Ids{"a", "b", "c", "d"}));
  EXPECT_EQ(pack_with(ids, "b"), ids);  // already there: unchanged
  EXPECT_EQ(pack_without(ids, 0), (Ids{"b", "c"}));
  EXPECT_EQ(pack_without(ids, 2), (Ids{"a", "b"}));
  EXPECT_EQ(pack_without(ids, 7), ids);
  EXPECT_EQ(pack_swapped(ids, 0, 1), (Ids{"b", "a", "c"}));
  EXPECT_EQ(pack_swapped(ids, 2, 1), (Ids{"a", "c", "b"}));
  EXPECT_EQ(pack_swapped(ids, 2, 3), ids);
  Ids full;
  for (size_t i = 0; i < kMaxPackItems; ++i) full.push_back("i" + std::to_string(i));
  EXPECT_EQ(pack_with(full, "more").size(), kMaxPackItems);
}

TEST(PackLinksTest, PackUrlKeepsIdsReadableAndEncodesTheTitle) {
  EXPECT_EQ(pack_url({"gp-18", "gp-1"}, "", "fr"), "/pack?items=gp-18,gp-1&lang=fr");
  EXPECT_EQ(pack_url({}, "", "en"), "/pack?items=&lang=en");
  EXPECT_EQ(pack_url({"a"}, "Atelier & co", ""), "/pack?items=a&title=Atelier%20%26%20co");
}

TEST(PackCarryTest, CarriesThePackThroughOtherPages) {
  const PackCarry carry = pack_carry_from({{"pack", "gp-18,../x,gp-18,gp-1"}, {"pack_title", "T"}});
  EXPECT_EQ(carry.ids, (Ids{"gp-18", "gp-1"}));  // invalid and repeated ids dropped
  EXPECT_EQ(carry.title, "T");
  EXPECT_TRUE(pack_carry_from({}).empty());
  struct Case {
    std::string url, out;
  };
  const std::vector<Case> cases = {
      {"/doc/gp-18", "/doc/gp-18?pack=gp-18%2Cgp-1&pack_title=T"},
      {"/doc/gp-18?lang=fr", "/doc/gp-18?lang=fr&pack=gp-18%2Cgp-1&pack_title=T"},
      {"/doc/gp-18?lang=fr#follow", "/doc/gp-18?lang=fr&pack=gp-18%2Cgp-1&pack_title=T#follow"},
      {"/doc/gp-18#follow", "/doc/gp-18?pack=gp-18%2Cgp-1&pack_title=T#follow"},
  };
  for (const Case& c : cases) EXPECT_EQ(with_carry(c.url, carry), c.out) << c.url;
  EXPECT_EQ(with_carry("/doc/x#a", PackCarry{}), "/doc/x#a");
}

TEST(PackBodyHtmlTest, LowersHeadingsAndPrefixesIds) {
  const std::string html =
      "<h2 id=\"follow\">Follow</h2>\n<p>See <a href=\"#follow\">above</a> and "
      "<a href=\"/doc/gp-1\">GP 1</a>; 3 &lt; 4 &quot;id=&quot;</p>\n<h3>Detail</h3>\n";
  EXPECT_EQ(nest_body_html(html, "gp-18--"),
            "<h3 id=\"gp-18--follow\">Follow</h3>\n<p>See <a href=\"#gp-18--follow\">above</a> "
            "and <a href=\"/doc/gp-1\">GP 1</a>; 3 &lt; 4 &quot;id=&quot;</p>\n<h4>Detail</h4>\n");
}

StoredItem sample_item(bool verified) {
  StoredItem it;
  it.id = "gp-18";
  it.lang = "fr";
  it.kind = "practice";
  it.number = 18;
  it.title = "Suivre l'argent";
  it.summary = "Résumé.";
  it.verified = verified;
  it.passages = {{"overview", "", "Intro.", 0}, {"follow", "Suivre l'argent", "Texte.", 10}};
  return it;
}

const Messages kFrench = {
    {"cite_good_practice", "Bonne pratique"},
    {"cite_paraphrased", "Paraphrase de :"},
    {"cite_item", "élément nexuskb"},
    {"cite_unverified", "résumé non vérifié"},
    {"colon", "\u00a0:"},
    {"page_abbrev", "p."},
    {"practice_prefix", "BP"},
    {"pack_prepared", "Préparé le"},
    {"pack_items_count", "éléments"},
    {"site_name", "nexuskb"},
    {"unverified_long", "Paraphrase."},
    {"unverified", "Résumé non vérifié"},
    {"contents", "Sommaire"},
    {"citation", "Citation"},
    {"source", "Source"},
    {"stable_link", "Lien permanent"},
};

TEST(PackCitationTest, IsLocalisedAndSaysWhetherVerified) {
  Citation c;
  c.document_title = "The Hague Good Practices";
  c.publisher = "GCTF";
  c.year = 2018;
  c.page = "7";
  EXPECT_EQ(citation_text(sample_item(false), c, kFrench),
            "Bonne pratique 18\u00a0: Suivre l'argent. Paraphrase de : The Hague Good Practices "
            "(GCTF, 2018), p. 7. élément nexuskb gp-18 [fr]; résumé non vérifié.");
  c.year = 0;
  c.page.clear();
  EXPECT_EQ(citation_text(sample_item(true), c, kFrench),
            "Bonne pratique 18\u00a0: Suivre l'argent. Paraphrase de : The Hague Good Practices "
            "(GCTF). élément nexuskb gp-18 [fr].");
}

TEST(PackMarkdownTest, ExportsTitleContentsItemsInOrderAndCitations) {
  ReadingPack pack;
  pack.title = "Atelier";
  pack.date = "2026-01-31";
  PackItem first;
  first.doc.item = sample_item(false);
  first.doc.citation.document_title = "The Hague Good Practices";
  first.doc.citation.source_url = "https://example.org/gp.pdf";
  first.doc.citation.stable_url = "/doc/gp-18?lang=fr";
  PackItem second;
  second.doc.item = sample_item(true);
  second.doc.item.id = "untoc";
  second.doc.item.kind = "instrument";
  second.doc.item.number.reset();
  second.doc.item.title = "UNTOC";
  pack.items = {first, second};
  const std::string md = to_markdown(pack, kFrench);
  EXPECT_EQ(md.rfind("# Atelier\n\nPréparé le 2026-01-31 · 2 éléments · nexuskb\n", 0), 0u) << md;
  EXPECT_NE(md.find("## Sommaire\n\n1. BP 18 — Suivre l'argent\n2. UNTOC\n"), std::string::npos);
  const size_t a = md.find("## BP 18 — Suivre l'argent\n\n**Résumé non vérifié**");
  const size_t b = md.find("## UNTOC\n\n*Résumé.*");  // verified: no badge
  ASSERT_NE(a, std::string::npos) << md;
  ASSERT_NE(b, std::string::npos) << md;
  EXPECT_LT(a, b);
  EXPECT_NE(md.find("Intro.\n\n### Suivre l'argent\n\nTexte.\n"), std::string::npos);
  EXPECT_NE(md.find("Source\u00a0: [The Hague Good Practices](https://example.org/gp.pdf)"),
            std::string::npos);
  EXPECT_NE(md.find("Lien permanent\u00a0: /doc/gp-18?lang=fr"), std::string::npos);
}

}  // namespace
}  // namespace nexuskb
