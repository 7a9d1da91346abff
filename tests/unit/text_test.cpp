// Text utilities: slugs, UTF-8 validation, packed value lists, ASCII lower-casing, HTML escaping.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/synonyms.h"
#include "core/text.h"

namespace nexuskb {
namespace {

TEST(TextTest, Slugify) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"Follow the money", "follow-the-money"},
      {"What it recommends", "what-it-recommends"},
      {"  Leading and trailing  ", "leading-and-trailing"},
      {"A. Legal considerations", "a-legal-considerations"},
      {"GP 23: Freezing -- assets!", "gp-23-freezing-assets"},
      {"Suivre l'argent", "suivre-l-argent"},
      {"Suivre l\u2019argent", "suivre-l-argent"},
      {"Crime\u2013terror divide", "crime-terror-divide"},
      {"Crime \u2014 terror", "crime-terror"},
      {"no\u00a0break", "no-break"},
      {"Considérations juridiques", "considerations-juridiques"},
      {"Définition du concept", "definition-du-concept"},
      {"Boîte à outils", "boite-a-outils"},
      {"Français et façade", "francais-et-facade"},
      {"Où agir ? Là où ça compte", "ou-agir-la-ou-ca-compte"},
      {"Noël naïf", "noel-naif"},
      {"ÉTAT À ÊTRE", "etat-a-etre"},
      {"مكافحة الفساد", "مكافحة-الفساد"},  // other letters kept as UTF-8
      {"!!!", "section"},
      {"", "section"},
  };
  for (const Case& c : cases) EXPECT_EQ(slugify(c.in), c.out) << "'" << c.in << "'";
}

// Every French accented letter, upper or lower case, folds to its ASCII base letter.
TEST(TextTest, SlugifyFoldsUpperCaseFrenchAccents) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"NOËL", "noel"},
      {"MAÏS", "mais"},
      {"OÙ", "ou"},
      {"FLÛTE", "flute"},
      {"CAPHARNAÜM", "capharnaum"},
      {"L'HAŸ", "l-hay"},
      {"ÈÉÊ", "eee"},
      {"ÂÀÇÎÔ", "aacio"},
  };
  for (const Case& c : cases) EXPECT_EQ(slugify(c.in), c.out) << "'" << c.in << "'";
}

TEST(TextTest, IsValidUtf8) {
  using namespace std::string_literals;
  struct Case {
    const char* name;
    std::string s;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"empty", "", true},
      {"ascii", "follow the money", true},
      {"two-byte", "\xC3\xA9t\xC3\xA9", true},
      {"three-byte arabic", "\xD8\xA7\xD9\x84", true},
      {"euro sign", "\xE2\x82\xAC", true},
      {"four-byte emoji", "\xF0\x9F\x98\x80", true},
      {"highest code point U+10FFFF", "\xF4\x8F\xBF\xBF", true},
      {"last before surrogates U+D7FF", "\xED\x9F\xBF", true},
      {"first after surrogates U+E000", "\xEE\x80\x80", true},
      {"NUL byte", "a\0b"s, false},
      {"lone NUL", "\0"s, false},
      {"overlong slash C0 AF", "\xC0\xAF", false},
      {"overlong C1 BF", "\xC1\xBF", false},
      {"overlong three-byte E0 80 AF", "\xE0\x80\xAF", false},
      {"overlong four-byte F0 80 80 AF", "\xF0\x80\x80\xAF", false},
      {"overlong NUL C0 80", "\xC0\x80", false},
      {"surrogate high U+D800", "\xED\xA0\x80", false},
      {"surrogate low U+DFFF", "\xED\xBF\xBF", false},
      {"above U+10FFFF", "\xF4\x90\x80\x80", false},
      {"F5 lead", "\xF5\x80\x80\x80", false},
      {"FF byte", "\xFF", false},
      {"lone continuation", "\x80", false},
      {"truncated two-byte", "\xC3", false},
      {"truncated three-byte", "ab\xE2\x82", false},
      {"truncated four-byte", "\xF0\x9F\x98", false},
      {"bad continuation", "\xC3\x28", false},
      {"latin-1 e-acute", "caf\xE9", false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_valid_utf8(c.s), c.valid) << c.name;
}

TEST(TextTest, PackSortsAndDeduplicates) {
  EXPECT_EQ(pack_values({"sahel", "global", "sahel", "balkans"}), "balkans|global|sahel");
  EXPECT_EQ(pack_values({"fiu"}), "fiu");
  EXPECT_EQ(pack_values({}), "");
}

TEST(TextTest, UnpackSplitsPackedValues) {
  EXPECT_EQ(unpack_values("balkans|global|sahel"),
            (std::vector<std::string>{"balkans", "global", "sahel"}));
  EXPECT_EQ(unpack_values("fiu"), (std::vector<std::string>{"fiu"}));
  EXPECT_TRUE(unpack_values("").empty());
}

TEST(TextTest, PackUnpackRoundTrip) {
  const std::vector<std::vector<std::string>> cases = {
      {"1", "18", "2"}, {"judiciary"}, {"corruption", "kidnapping-for-ransom", "money-laundering"}};
  for (const auto& values : cases) EXPECT_EQ(unpack_values(pack_values(values)), values);
}

TEST(TextTest, AsciiLowerLeavesNonAsciiAlone) {
  EXPECT_EQ(ascii_lower("Region:SAHEL"), "region:sahel");
  EXPECT_EQ(ascii_lower("ÉTAT"), "État");  // only ASCII letters change
  EXPECT_EQ(ascii_lower("gp-23_x"), "gp-23_x");
}

TEST(TextTest, HtmlEscape) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"a & b", "a &amp; b"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"quoted\"", "&quot;quoted&quot;"},
      {"it's", "it&#39;s"},
      {"&amp;", "&amp;amp;"},
      {"été", "été"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(html_escape(c.in), c.out) << c.in;
}

TEST(TextTest, NormalizePhraseAndSynonymKey) {
  EXPECT_EQ(normalize_phrase("  Financial   Intelligence\tUnit "), "financial intelligence unit");
  EXPECT_EQ(normalize_phrase("CELLULE de Renseignement"), "cellule de renseignement");
  EXPECT_EQ(normalize_phrase("ÉTAT"), "état");  // Unicode lower case, not just ASCII
  EXPECT_EQ(synonym_key("en", "FIU"), "en:fiu");
  EXPECT_EQ(synonym_key("fr", " Cellule  de renseignement "), "fr:cellule de renseignement");
}

}  // namespace
}  // namespace nexuskb
