// Wildcard words carried as the "wild_" field, and expanded against the whole database.
#include "server/wildcard_field.h"

#include <gtest/gtest.h>

namespace nexuskb {
namespace {

TEST(MarkWildcards, MarksWildcardWordsOutsideQuotesFieldsAndPositionalOperators) {
  const std::pair<const char*, const char*> cases[] = {
      {"corr*", "wild_:corr"},
      {"money corr* +laund* -hawa*", "money wild_:corr +wild_:laund -wild_:hawa"},
      {"(corr* OR fraud)", "(wild_:corr OR fraud)"},
      {"\"corr* rules\" corr*", "\"corr* rules\" wild_:corr"},
      {"title:corr*", "title:corr*"},
      {"a NEAR corr*", "a NEAR corr*"},
      {"*", "*"},
      {"plain words", "plain words"},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(mark_wildcards(text), want) << text;
}

TEST(MarkWildcards, UnmarkRestoresTheWordsAsTyped) {
  EXPECT_EQ(unmark_wildcards("corruption wild_:corr"), "corruption corr*");
  EXPECT_EQ(unmark_wildcards("(wild_:corr OR fraud)"), "(corr* OR fraud)");
  EXPECT_EQ(unmark_wildcards(""), "");
}

TEST(WildcardField, KeepsTheMostFrequentWordsOfTheWholeDatabase) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (int i = 0; i < 50; ++i) {
    Xapian::Document doc;
    doc.add_term("corr" + std::to_string(100 + i));  // each once
    if (i < 3) doc.add_term("corrupt");              // three times
    db.add_document(doc);
  }
  WildcardField::Expansions expansions;
  WildcardField field(db, expansions);
  const std::string description = field("Corr").get_description();
  EXPECT_NE(description.find("(corrupt SYNONYM corr100 SYNONYM corr101"), std::string::npos)
      << description;
  ASSERT_EQ(expansions.at("corr").size(), kMaxWildcardExpansion);
  EXPECT_EQ(expansions.at("corr").back(), "corr138");
  EXPECT_EQ(field("zz").get_description(),
            Xapian::Query(Xapian::Query::MatchNothing).get_description());
}

}  // namespace
}  // namespace nexuskb
