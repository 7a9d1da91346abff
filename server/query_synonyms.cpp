// Synonym and glossary expansion of a query: runs of words that are synonym keys become one
// OP_SYNONYM, glossary terms also reach their equivalents in the other languages.
#include <charconv>
#include <map>

#include "core/glossary.h"
#include "core/synonyms.h"
#include "server/query_builder.h"
#include "server/query_text.h"
#include "server/wildcard_field.h"

namespace nexuskb {
namespace {

constexpr size_t kMaxSynonymWords = 6;
// A query word's glossary equivalents in other languages weigh this much of the word itself, so
// that items in the query's language rank first and items written only in another follow.
constexpr double kCrossLanguageWeight = 0.5;
// Stands in the query text for a synonym span until the parser asks SynonymField for its query.
constexpr std::string_view kSynonymField = "syn_";
constexpr unsigned kSynonymParseFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;

// The query text with each synonym-key span replaced by the field "syn_:<n>", and the members of
// span n: the words as typed, then their alternatives; and its glossary equivalents in other
// languages as "<lang>:<term>".
struct SynonymSpans {
  std::string text;
  std::vector<std::vector<std::string>> members;
  std::vector<std::vector<std::string>> cross;
};

SynonymSpans find_synonym_spans(const Xapian::Database& terms_db, const std::string& text,
                                const std::string& lang) {
  // A user's own "syn_:" would be read as one of ours.
  if (text.find(std::string(kSynonymField) + ":") != std::string::npos) return {text, {}};
  // Split into tokens, keeping quoted phrases whole so they are never rewritten.
  std::vector<std::string> tokens;
  std::string current;
  bool in_quote = false;
  for (char c : text) {
    if (c == '"') {
      current += c;
      if (in_quote) {
        tokens.push_back(current);
        current.clear();
      }
      in_quote = !in_quote;
    } else if (!in_quote && (c == ' ' || c == '\t' || c == '\n')) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  std::vector<bool> expandable(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    expandable[i] = is_plain_word(tokens[i]) && !(i > 0 && is_positional_operator(tokens[i - 1])) &&
                    !(i + 1 < tokens.size() && is_positional_operator(tokens[i + 1]));
  }

  SynonymSpans spans;
  for (size_t i = 0; i < tokens.size();) {
    size_t matched = 0;
    std::vector<std::string> alternatives, cross;
    for (size_t n = std::min(kMaxSynonymWords, tokens.size() - i); n >= 1 && matched == 0; --n) {
      std::string words;
      bool plain = true;
      for (size_t k = 0; k < n; ++k) {
        plain = plain && expandable[i + k];
        words += (k ? " " : "") + tokens[i + k];
      }
      if (!plain) continue;
      const std::string key = synonym_key(lang, words);
      for (auto it = terms_db.synonyms_begin(key); it != terms_db.synonyms_end(key); ++it)
        alternatives.push_back(*it);
      const std::string glossary = glossary_key(words);
      for (auto it = terms_db.synonyms_begin(glossary); it != terms_db.synonyms_end(glossary);
           ++it) {
        if ((*it).rfind(lang + ":", 0) != 0) cross.push_back(*it);
      }
      if (!alternatives.empty() || !cross.empty()) matched = n;
    }
    if (!spans.text.empty()) spans.text += ' ';
    if (matched == 0) {
      spans.text += tokens[i++];
      continue;
    }
    std::string original;
    for (size_t k = 0; k < matched; ++k) original += (k ? " " : "") + tokens[i + k];
    spans.text += std::string(kSynonymField) + ":" + std::to_string(spans.members.size());
    alternatives.insert(alternatives.begin(), original);
    spans.members.push_back(std::move(alternatives));
    spans.cross.push_back(std::move(cross));
    i += matched;
  }
  return spans;
}

// Answers the "syn_:<n>" fields of a SynonymSpans text with their prepared OP_SYNONYM queries.
class SynonymField : public Xapian::FieldProcessor {
 public:
  explicit SynonymField(std::vector<Xapian::Query> synonyms) : synonyms_(std::move(synonyms)) {}

  Xapian::Query operator()(const std::string& value) override {
    size_t n = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (error != std::errc() || end != value.data() + value.size() || n >= synonyms_.size())
      throw Xapian::QueryParserError("unexpected synonym field: " + value);
    return synonyms_[n];
  }

 private:
  std::vector<Xapian::Query> synonyms_;
};

}  // namespace

Xapian::Query QueryBuilder::expand_synonyms(const std::string& text, const std::string& lang,
                                            Xapian::Query::op default_op) const {
  const SynonymSpans spans = find_synonym_spans(terms_db_, text, lang);
  if (spans.members.empty()) return Xapian::Query();
  Xapian::QueryParser qp = parser(lang, default_op);
  std::map<std::string, Xapian::QueryParser> other_parsers;
  std::vector<Xapian::Query> synonyms;
  for (size_t span = 0; span < spans.members.size(); ++span) {
    const std::vector<std::string>& members = spans.members[span];
    std::vector<Xapian::Query> parsed;
    for (size_t m = 0; m < members.size(); ++m) {
      const std::string& member = members[m];
      // The words as typed keep their usual meaning (all of them, anywhere, stemmed). An
      // alternative of several words is a phrase, which the parser builds from unstemmed terms
      // (STEM_SOME indexes stemmed terms without positions).
      const bool phrase = m > 0 && member.find(' ') != std::string::npos;
      Xapian::Query q =
          qp.parse_query(phrase ? '"' + member + '"' : member, Xapian::QueryParser::FLAG_PHRASE);
      if (!q.empty()) parsed.push_back(q);
    }
    Xapian::Query same(Xapian::Query::OP_SYNONYM, parsed.begin(), parsed.end());
    // The glossary's equivalents, each read by its own language's parser: one word stemmed as
    // that language stems it, several words as a phrase.
    std::vector<Xapian::Query> others;
    for (const std::string& entry : spans.cross[span]) {
      const size_t colon = entry.find(':');
      const std::string other_lang = entry.substr(0, colon), term = entry.substr(colon + 1);
      auto found = other_parsers.find(other_lang);
      if (found == other_parsers.end())
        found = other_parsers.emplace(other_lang, parser(other_lang, Xapian::Query::OP_AND)).first;
      const bool phrase = term.find(' ') != std::string::npos;
      Xapian::Query q = found->second.parse_query(phrase ? '"' + term + '"' : term,
                                                  Xapian::QueryParser::FLAG_PHRASE);
      if (!q.empty()) others.push_back(q);
    }
    if (others.empty()) {
      synonyms.push_back(same);
    } else {
      Xapian::Query cross(Xapian::Query::OP_OR, others.begin(), others.end());
      synonyms.emplace_back(
          Xapian::Query::OP_OR, same,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, cross, kCrossLanguageWeight));
    }
  }
  SynonymField field(std::move(synonyms));
  qp.add_prefix(std::string(kSynonymField), &field);
  return qp.parse_query(mark_wildcards(spans.text), kSynonymParseFlags);
}

}  // namespace nexuskb
