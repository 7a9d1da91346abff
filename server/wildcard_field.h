// Wildcards expanded once, against the whole searched database, so that shards answer exactly
// as one index does.
//
// Xapian 1.4 expands a `corr*` (OP_WILDCARD) on each shard separately, with that shard's terms
// and statistics: sharded, the expanded words weigh differently than in one index (checked: the
// same query ranks items in another order), and past the expansion limit each shard keeps its
// own most frequent words. So the query text carries each wildcard as the field "wild_:corr",
// and WildcardField turns it into one OP_SYNONYM of the words the whole database (all shards'
// term lists merged) holds with that beginning, the kMaxWildcardExpansion most frequent (ties
// alphabetically): terms every shard weighs with the same, global statistics.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace nexuskb {

// Each wildcard expands to at most this many words, the most frequent in the whole index.
inline constexpr unsigned kMaxWildcardExpansion = 40;

// `text` with each wildcard word outside quotes and fields ("corr*", "+corr*", "(corr*)")
// written as the field "wild_:corr"; words next to NEAR or ADJ keep Xapian's own wildcard.
std::string mark_wildcards(const std::string& text);
// The reverse, for a corrected query string shown to the reader: "wild_:corr" -> "corr*".
std::string unmark_wildcards(const std::string& text);

// The parser's processor for the "wild_" field (register it with add_prefix). `expansions`
// remembers each beginning's words for the life of one query's parsing; not thread-safe.
class WildcardField : public Xapian::FieldProcessor {
 public:
  using Expansions = std::map<std::string, std::vector<std::string>>;
  WildcardField(const Xapian::Database& db, Expansions& expansions)
      : db_(db), expansions_(expansions) {}
  Xapian::Query operator()(const std::string& beginning) override;

 private:
  const Xapian::Database& db_;
  Expansions& expansions_;
};

}  // namespace nexuskb
