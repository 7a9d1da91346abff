// Wildcard words expanded against the whole searched database.
#include "server/wildcard_field.h"

#include <algorithm>
#include <sstream>

#include "server/query_text.h"

namespace nexuskb {
namespace {

constexpr std::string_view kField = "wild_:";

}  // namespace

std::string mark_wildcards(const std::string& text) {
  std::vector<std::string> tokens;
  std::istringstream in(text);
  for (std::string t; in >> t;) tokens.push_back(t);
  std::string out;
  bool in_quote = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string token = tokens[i];
    const bool quoted = in_quote || token.find('"') != std::string::npos;
    if (std::count(token.begin(), token.end(), '"') % 2) in_quote = !in_quote;
    const size_t start = token.find_first_not_of("+-(");
    const size_t star = token.find_last_not_of(")");
    const bool positional = (i > 0 && is_positional_operator(tokens[i - 1])) ||
                            (i + 1 < tokens.size() && is_positional_operator(tokens[i + 1]));
    if (!quoted && !positional && start != std::string::npos && star != std::string::npos &&
        star > start && token[star] == '*' && token.find(':') == std::string::npos) {
      token = token.substr(0, start) + std::string(kField) + token.substr(start, star - start) +
              token.substr(star + 1);
    }
    out += (out.empty() ? "" : " ") + token;
  }
  return out;
}

std::string unmark_wildcards(const std::string& text) {
  std::string out = text;
  for (size_t at = out.find(kField); at != std::string::npos; at = out.find(kField, at)) {
    out.erase(at, kField.size());
    const size_t end = out.find_first_of(" )", at);
    out.insert(end == std::string::npos ? out.size() : end, "*");
  }
  return out;
}

Xapian::Query WildcardField::operator()(const std::string& typed) {
  const std::string beginning = Xapian::Unicode::tolower(typed);
  auto found = expansions_.find(beginning);
  if (found == expansions_.end()) {
    std::vector<std::pair<Xapian::doccount, std::string>> words;
    for (auto t = db_.allterms_begin(beginning); t != db_.allterms_end(beginning); ++t) {
      words.emplace_back(t.get_termfreq(), *t);
    }
    const size_t keep = std::min<size_t>(words.size(), kMaxWildcardExpansion);
    std::partial_sort(words.begin(), words.begin() + keep, words.end(),
                      [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    std::vector<std::string> kept;
    for (size_t i = 0; i < keep; ++i) kept.push_back(words[i].second);
    found = expansions_.emplace(beginning, std::move(kept)).first;
  }
  if (found->second.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_SYNONYM, found->second.begin(), found->second.end());
}

}  // namespace nexuskb
