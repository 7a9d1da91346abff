// The compact stored forms: facet codes and their slot encoding, passage texts packed in a slot,
// an item's language versions in one document's data.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/facet_codes.h"
#include "core/schema.h"
#include "core/stored_item.h"

namespace nexuskb {
namespace {

size_t facet_index(std::string_view name) {
  return schema::find_facet(name) - schema::kFacets.data();
}

TEST(FacetCodesTest, CodesFollowFacetThenValueOrderAndSurviveJson) {
  FacetCodes codes;
  codes.add(facet_index("region"), "sahel");
  codes.add(facet_index("actor"), "judiciary");
  codes.add(facet_index("region"), "balkans");
  codes.add(facet_index("actor"), "judiciary");  // duplicates collapse
  codes.finish();
  ASSERT_EQ(codes.size(), 3u);
  // kFacets lists actor before region.
  EXPECT_EQ(codes.code(facet_index("actor"), "judiciary"), 0);
  EXPECT_EQ(codes.code(facet_index("region"), "balkans"), 1);
  EXPECT_EQ(codes.code(facet_index("region"), "sahel"), 2);
  EXPECT_EQ(codes.code(facet_index("region"), "judiciary"), -1);
  EXPECT_EQ(codes.code(facet_index("theme"), "corruption"), -1);

  const FacetCodes back = FacetCodes::from_json(codes.to_json());
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back.entry(2).value, "sahel");
  EXPECT_EQ(back.entry(2).facet, facet_index("region"));
}

TEST(FacetCodesTest, RejectsTablesThatWouldMisnumberValues) {
  EXPECT_THROW(
      FacetCodes::from_json(nlohmann::json::parse(R"([["region","sahel"],["actor","fiu"]])")),
      std::invalid_argument);
  EXPECT_THROW(FacetCodes::from_json(nlohmann::json::parse(R"([["wizard","merlin"]])")),
               std::invalid_argument);
  EXPECT_THROW(FacetCodes::from_json(nlohmann::json::parse(R"([["actor"]])")),
               nlohmann::json::exception);
}

TEST(FacetCodesTest, SlotEncodingIsSortedUniqueAndTwoBytesPerCode) {
  const std::string encoded = encode_facet_codes({300, 2, 65535, 2, 0});
  ASSERT_EQ(facet_code_count(encoded), 4u);
  EXPECT_EQ(facet_code_at(encoded, 0), 0);
  EXPECT_EQ(facet_code_at(encoded, 1), 2);
  EXPECT_EQ(facet_code_at(encoded, 2), 300);
  EXPECT_EQ(facet_code_at(encoded, 3), 65535);
  EXPECT_EQ(facet_code_count(encode_facet_codes({})), 0u);
}

TEST(PassageTextsTest, EachTextIsReadAloneAndAllRoundTrip) {
  std::vector<StoredPassage> passages(4);
  passages[0].text = "short";
  passages[1].text = std::string(300, 'x') + "é";  // a length needing two varint bytes
  passages[2].text = "";
  passages[3].text = std::string(70000, 'y');  // three varint bytes
  const std::string packed = pack_passage_texts(passages);
  for (size_t i = 0; i < passages.size(); ++i) EXPECT_EQ(passage_text(packed, i), passages[i].text);
  EXPECT_EQ(passage_text(packed, 4), "");

  std::vector<StoredPassage> back(4);
  fill_passage_texts(back, packed);
  for (size_t i = 0; i < passages.size(); ++i) EXPECT_EQ(back[i].text, passages[i].text);
}

TEST(PassageTextsTest, MalformedPackedTextsGiveEmptyTextsNotCrashes) {
  EXPECT_EQ(passage_text("\x85", 0), "");  // a length that never ends
  EXPECT_EQ(passage_text("\x05"
                         "abc",
                         0),
            "");  // a length past the end
  EXPECT_EQ(passage_text("\x03"
                         "abc\x09",
                         1),
            "");
  EXPECT_EQ(passage_text("\x03"
                         "abc\x09",
                         0),
            "abc");
  std::vector<StoredPassage> back(2);
  fill_passage_texts(back,
                     "\x02"
                     "ok\xff");
  EXPECT_EQ(back[0].text, "ok");
  EXPECT_EQ(back[1].text, "");
}

TEST(StoredItemTest, DataLeavesPassageTextsOut) {
  StoredItem item;
  item.id = "gp-1";
  item.passages.push_back({"a", "Heading", "the long passage text", 7});
  const std::string data = item.to_data();
  EXPECT_EQ(data.find("the long passage text"), std::string::npos);
  const StoredItem back = StoredItem::from_data(data);
  ASSERT_EQ(back.passages.size(), 1u);
  EXPECT_EQ(back.passages[0].heading, "Heading");
  EXPECT_EQ(back.passages[0].first_pos, 7u);
  EXPECT_EQ(back.passages[0].text, "");
}

// One document holds an item's versions: the data is their array, passages are numbered across
// versions in order, and the packed slot texts follow the same order.
TEST(StoredDocumentTest, VersionsRoundTripInOrderWithPassagesNumberedAcrossThem) {
  StoredDocument doc;
  for (const char* lang : {"en", "fr", "ar"}) {
    StoredItem v;
    v.id = "gp-18";
    v.lang = lang;
    v.title = std::string("title ") + lang;
    v.number = 18;
    doc.versions.push_back(v);
  }
  doc.versions[0].title_pos = 1;
  doc.versions[0].passages = {{"a", "A", "en a", 101}, {"b", "B", "en b", 301}};
  doc.versions[1].title_pos = 501;
  doc.versions[1].passages = {{"c", "C", "fr c", 601}};
  doc.versions[2].title_pos = 801;  // no passages

  EXPECT_EQ(doc.first_passage(0), 0u);
  EXPECT_EQ(doc.first_passage(1), 2u);
  EXPECT_EQ(doc.first_passage(2), 3u);
  EXPECT_EQ(doc.languages(), (std::vector<std::string>{"en", "fr", "ar"}));
  ASSERT_NE(doc.version("fr"), nullptr);
  EXPECT_EQ(doc.version("fr")->title, "title fr");
  EXPECT_EQ(doc.version("de"), nullptr);

  const std::string data = doc.to_data();
  EXPECT_EQ(data.find("en a"), std::string::npos);  // passage texts live in their slot
  const StoredDocument back = StoredDocument::from_data(data);
  ASSERT_EQ(back.versions.size(), 3u);
  EXPECT_EQ(back.languages(), doc.languages());
  EXPECT_EQ(back.versions[1].title_pos, 501u);
  EXPECT_EQ(back.versions[2].title_pos, 801u);
  ASSERT_EQ(back.versions[0].passages.size(), 2u);
  EXPECT_EQ(back.versions[0].passages[1].first_pos, 301u);
  EXPECT_EQ(back.versions[1].passages[0].anchor, "c");
  EXPECT_EQ(back.versions[2].number, 18);
  EXPECT_EQ(back.first_passage(2), 3u);
  EXPECT_THROW(StoredDocument::from_data("[{\"id\": 1}]"), nlohmann::json::exception);

  const std::string packed = pack_texts({"en a", "en b", "fr c"});
  EXPECT_EQ(packed_text(packed, back.first_passage(1)), "fr c");
  EXPECT_EQ(packed_text(packed, back.first_passage(0) + 1), "en b");
  EXPECT_EQ(packed_text(packed, back.first_passage(2)), "");  // past the end
}

}  // namespace
}  // namespace nexuskb
