// Judged queries for the relevance benchmark (tests/relevance/queries.yaml).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace nexuskb::relevance {

struct JudgedQuery {
  std::string id;
  std::string who;                                          // policymaker | judiciary | trainer
  std::string query;                                        // as typed
  std::string query_lang;                                   // en | fr | ar
  std::map<std::string, std::vector<std::string>> filters;  // facet -> values (OR)
  std::vector<std::string> relevant;                        // grade 2; must all be in the top 3
  std::vector<std::string> also_relevant;                   // grade 1
  std::string note;

  // 2 for relevant, 1 for also_relevant, 0 otherwise.
  int grade(const std::string& item_id) const;
};

// Loads and validates the judgements. `known_items` are the item ids of the corpus: an id not in it
// is an error, as are duplicate query ids, an unknown `who` and an empty `relevant`. Every problem
// is appended to `errors` (one line each); the queries that parsed are returned.
std::vector<JudgedQuery> load_judgements(const std::string& path,
                                         const std::set<std::string>& known_items,
                                         std::vector<std::string>& errors);

inline const std::vector<std::string> kUserGroups{"judiciary", "policymaker", "trainer"};
inline const std::vector<std::string> kQueryLanguages{"en", "fr", "ar"};

}  // namespace nexuskb::relevance
