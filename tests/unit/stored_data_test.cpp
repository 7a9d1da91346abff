// The compact stored forms: facet codes and their slot encoding, passage texts packed in a slot.
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

}  // namespace
}  // namespace nexuskb
