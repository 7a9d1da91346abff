// Query construction.
#include "server/query_builder.h"

#include <charconv>
#include <regex>
#include <sstream>

#include "core/glossary.h"
#include "core/schema.h"
#include "core/stopwords.h"
#include "core/synonyms.h"
#include "core/text.h"

namespace nexuskb {
namespace {

namespace s = schema;

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;
constexpr double kPracticeBoost = 40.0;
// Wildcards are the one query shape whose cost grows with the index: each expands to at most
// kMaxWildcardExpansion terms (the most frequent), at most kMaxWildcards of them keep their `*`,
// and a wildcard needs kMinWildcardPrefix letters before it; the rest are searched as words.
constexpr unsigned kMaxWildcardExpansion = 40;
constexpr size_t kMaxWildcards = 4;
constexpr size_t kMinWildcardPrefix = 2;
constexpr size_t kMaxSynonymWords = 6;
// A query word's glossary equivalents in other languages weigh this much of the word itself, so
// that items in the query's language rank first and items written only in another follow.
constexpr double kCrossLanguageWeight = 0.5;
constexpr double kOtherLanguageWeight = 0.8;
// The words read again against the titles alone (the `S` prefix) add this much: a title is a
// short field, so its own BM25 weight says "this item is about that" more than a body mention
// (a simple take on BM25F; wdf boosts alone saturate).
constexpr double kTitleFieldWeight = 1.0;
// Stands in the query text for a synonym span until the parser asks SynonymField for its query.
constexpr std::string_view kSynonymField = "syn_";

double language_preference(const std::string& lang, const std::string& preferred) {
  return lang == preferred ? 1.0 : kOtherLanguageWeight;
}

bool is_operator(const std::string& w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

// A word the synonym rewriter may touch: no syntax characters, not an operator.
bool is_plain_word(const std::string& w) {
  if (w.empty() || is_operator(w)) return false;
  for (char c : w) {
    if (c == ':' || c == '"' || c == '(' || c == ')' || c == '*' || c == '+' || c == '-')
      return false;
  }
  return true;
}

// Xapian's parser silently accepts unbalanced quotes and brackets and dangling operators; we
// report them so the response can say that the plain words were searched instead.
bool is_well_formed(const std::string& text) {
  int quotes = 0, depth = 0;
  for (char c : text) {
    if (c == '"') ++quotes;
    if (quotes % 2) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return false;
  }
  if (quotes % 2 || depth != 0) return false;
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  for (size_t i = 0; i < words.size(); ++i) {
    const bool binary = words[i] == "AND" || words[i] == "OR" || words[i] == "XOR" ||
                        words[i] == "NEAR" || words[i] == "ADJ";
    if (binary && (i == 0 || i + 1 == words.size() || is_operator(words[i + 1]))) return false;
    if (words[i] == "NOT" && i + 1 == words.size()) return false;
  }
  return true;
}

// Only plain letters and digits: what a malformed query is searched as.
std::string plain_words(const std::string& text) {
  std::string words;
  for (char c : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
    words += keep ? c : ' ';
  }
  std::istringstream in(words);
  std::string out;
  for (std::string w; in >> w;) {
    if (is_operator(w)) continue;
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

// Drops binary operators left without an operand on one side.
std::string strip_dangling_operators(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) {
    const bool binary = is_operator(w) && w != "NOT";
    if (binary && (words.empty() || is_operator(words.back()))) continue;
    words.push_back(w);
  }
  while (!words.empty() && is_operator(words.back())) words.pop_back();
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

std::string guess_language(const std::string& text, const std::string& fallback) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0xD8 && b <= 0xDB) return "ar";  // U+0600..U+06FF
  }
  int french = 0, english = 0;
  bool accents = false;
  std::istringstream in(Xapian::Unicode::tolower(text));
  for (std::string w; in >> w;) {
    if (const size_t apostrophe = w.find('\''); apostrophe != std::string::npos && apostrophe < 3)
      ++french;  // l'argent, d'un
    french += stopper_for("fr")(w);
    english += stopper_for("en")(w);
    for (const char* accent : {"é", "è", "ê", "à", "ç", "ù", "ô", "î"})
      accents = accents || w.find(accent) != std::string::npos;
  }
  if (french > english || (accents && english == 0)) return "fr";
  if (english > french) return "en";
  return fallback;
}

namespace {

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string bound_wildcards(const std::string& text) {
  std::string out;
  size_t kept = 0, start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(" \t\n", start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    if (word.size() > 1 && word.back() == '*') {
      std::string_view stem(word.data(), word.size() - 1);
      if (const size_t colon = stem.rfind(':'); colon != std::string_view::npos)
        stem.remove_prefix(colon + 1);
      while (!stem.empty() && (stem.front() == '+' || stem.front() == '-' || stem.front() == '('))
        stem.remove_prefix(1);
      if (utf8_length(stem) < kMinWildcardPrefix || kept == kMaxWildcards) {
        word.pop_back();
      } else {
        ++kept;
      }
    }
    out += word;
    if (end < text.size()) out += text[end];
    start = end + 1;
  }
  return out;
}

namespace {

// NEAR and ADJ (also as NEAR/5) take single terms: their operands are never expanded.
bool is_positional_operator(const std::string& w) {
  return w == "NEAR" || w == "ADJ" || w.starts_with("NEAR/") || w.starts_with("ADJ/");
}

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

std::string normalize_field_values(const std::string& text) {
  static const std::regex field(
      R"re(\b(practice|actor|region|kind|section|theme|lang|title):([^\s()"]+))re");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), field);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(text, last, it->position() - last);
    out +=
        (*it)[1].str() + ":" + ((*it)[1] == "title" ? (*it)[2].str() : ascii_lower((*it)[2].str()));
    last = it->position() + it->length();
  }
  out.append(text, last, std::string::npos);
  return out;
}

std::vector<int> extract_practice_mentions(std::string& text) {
  static const std::regex mention(
      R"((?:\b(?:good|bonnes?)\s+(?:practices?|pratiques?)|\bgps?|\bbps?)\s*(?:no\.?|n°|#)?\s*(\d{1,3})\b)");
  static const std::regex arabic(
      "\xD8\xA7\xD9\x84\xD9\x85\xD9\x85\xD8\xA7\xD8\xB1\xD8\xB3\xD8\xA9(?:\\s+"
      "\xD8\xA7\xD9\x84\xD8\xAC\xD9\x8A\xD8\xAF\xD8\xA9)?\\s*(\\d{1,3})");
  static const std::regex field(R"(\bpractice:(\d{1,3})\b)");
  std::vector<int> numbers;
  std::string lowered = ascii_lower(text);
  std::string kept;
  size_t last = 0;
  std::vector<std::pair<size_t, size_t>> cuts;
  for (const std::regex* re : {&mention, &arabic}) {
    for (auto it = std::sregex_iterator(lowered.begin(), lowered.end(), *re);
         it != std::sregex_iterator(); ++it) {
      numbers.push_back(std::stoi((*it)[1].str()));
      cuts.emplace_back(it->position(), it->length());
    }
  }
  for (auto it = std::sregex_iterator(lowered.begin(), lowered.end(), field);
       it != std::sregex_iterator(); ++it) {
    numbers.push_back(std::stoi((*it)[1].str()));
  }
  std::sort(cuts.begin(), cuts.end());
  for (const auto& [pos, len] : cuts) {
    if (pos < last) continue;
    kept.append(text, last, pos - last);
    kept += ' ';
    last = pos + len;
  }
  kept.append(text, last, std::string::npos);
  text = kept;
  return numbers;
}

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
  return qp.parse_query(spans.text, kParseFlags);
}

Xapian::QueryParser QueryBuilder::parser(const std::string& lang,
                                         Xapian::Query::op default_op) const {
  Xapian::QueryParser qp;
  qp.set_database(db_);
  qp.set_stemmer(Xapian::Stem(std::string(s::stemmer_name(lang))));
  qp.set_stopper(&stopper_for(lang));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  qp.set_default_op(default_op);
  qp.add_prefix("title", std::string(s::kPrefixTitle));
  for (const s::Facet& f : s::kFacets)
    qp.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
  return qp;
}

Xapian::Query QueryBuilder::parse_language(const std::string& text, const std::string& lang,
                                           unsigned flags, std::string* corrected,
                                           Xapian::Query::op default_op) const {
  Xapian::QueryParser qp = parser(lang, default_op);
  const bool separate_spelling = corrected && &terms_db_ != &db_;
  Xapian::Query q = qp.parse_query(
      text, separate_spelling ? flags & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION : flags);
  if (corrected && !separate_spelling) *corrected = qp.get_corrected_query_string();
  if (separate_spelling) {
    // Spelling data lives in the local terms database, not in (possibly remote) shards.
    Xapian::QueryParser speller;
    speller.set_database(terms_db_);
    speller.parse_query(
        text, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    *corrected = speller.get_corrected_query_string();
  }
  return q;
}

Xapian::Query QueryBuilder::reading(const std::string& text, const std::string& lang,
                                    Xapian::Query::op default_op, bool& syntax_fallback,
                                    std::string* corrected) const {
  Xapian::Query plain, wide;
  const unsigned flags =
      kParseFlags | (corrected ? Xapian::QueryParser::FLAG_SPELLING_CORRECTION : 0);
  try {
    plain = parse_language(text, lang, flags, corrected, default_op);
    try {
      wide = expand_synonyms(text, lang, default_op);
    } catch (const Xapian::QueryParserError&) {
      // The query is fine without synonyms: search it so rather than fail.
    } catch (const Xapian::UnimplementedError&) {
    }
  } catch (const Xapian::QueryParserError&) {
    // Malformed syntax is not the user's fault: read the words as plain words.
    syntax_fallback = true;
    plain = parse_language(plain_words(text), lang, 0, nullptr, default_op);
  }
  if (plain.empty()) return plain;
  if (wide.empty() || wide.get_description() == plain.get_description()) return plain;
  // Synonym matches find documents; exact matches add weight on top, so they rank first.
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, wide, plain);
}

TextQueries QueryBuilder::text_query(const std::string& text, bool& syntax_fallback,
                                     std::string* corrected,
                                     const std::string& preferred_lang) const {
  if (!is_well_formed(text)) {
    syntax_fallback = true;
    return text_query(plain_words(text), syntax_fallback, corrected, preferred_lang);
  }
  // Each language reads the text with its own stemmer; readings that come out the same (a name,
  // an acronym, a number) are searched once.
  std::vector<Xapian::Query> all, any;
  std::vector<std::string> seen;
  bool tiered = false;
  for (std::string_view lang_view : s::kLanguages) {
    const std::string lang(lang_view);
    std::string* want_correction = (corrected && lang == preferred_lang) ? corrected : nullptr;
    Xapian::Query every =
        reading(text, lang, Xapian::Query::OP_AND, syntax_fallback, want_correction);
    if (every.empty()) continue;
    const std::string description = every.get_description();
    if (std::find(seen.begin(), seen.end(), description) != seen.end()) continue;
    seen.push_back(description);
    Xapian::Query some = reading(text, lang, Xapian::Query::OP_OR, syntax_fallback, nullptr);
    tiered = tiered || some.get_description() != description;
    try {
      const Xapian::Query title = parser(lang, Xapian::Query::OP_OR)
                                      .parse_query(plain_words(text), 0, std::string(s::kPrefixTitle));
      if (!title.empty()) {
        // AND_MAYBE: the titles add weight to what the query finds, never find anything
        // themselves (a title word after "-" must still exclude).
        some = Xapian::Query(Xapian::Query::OP_AND_MAYBE, some,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, kTitleFieldWeight));
      }
    } catch (const Xapian::QueryParserError&) {
    }
    // The reader's language first when an item matches in several languages.
    const double preference = language_preference(lang, preferred_lang);
    all.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, every, preference);
    any.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, some, preference);
  }
  if (all.empty()) return {};
  return {Xapian::Query(Xapian::Query::OP_OR, all.begin(), all.end()),
          Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()), tiered};
}

bool QueryBuilder::has_unknown_word(const std::string& text) const {
  // Xapian offers a "correction" for any word with a more frequent neighbour; we only want one
  // when a word of the query is not in the index at all.
  std::istringstream in(Xapian::Unicode::tolower(plain_words(text)));
  for (std::string w; in >> w;) {
    if (db_.get_termfreq(w) > 0) continue;
    // A known acronym such as "fiu", or a glossary term, is not a misspelling.
    bool synonym = terms_db_.synonyms_begin(glossary_key(w)) != terms_db_.synonyms_end(glossary_key(w));
    for (std::string_view lang : s::kLanguages) {
      const std::string key = synonym_key(std::string(lang), w);
      synonym = synonym || terms_db_.synonyms_begin(key) != terms_db_.synonyms_end(key);
    }
    if (!synonym) return true;
  }
  return false;
}

QueryPlan QueryBuilder::build(const SearchRequest& request) const {
  QueryPlan plan;
  std::string text = normalize_field_values(request.query);
  // Syntax is judged on the query as typed; removing "GP 18" from "money OR GP 18" must not
  // leave a dangling operator behind.
  plan.syntax_fallback = !is_well_formed(text);
  text = bound_wildcards(text);
  plan.practice_mentions = extract_practice_mentions(text);
  if (!plan.practice_mentions.empty()) text = strip_dangling_operators(text);
  // Spelling suggestions cost about a third of a search: only ask when a word is unknown.
  const bool may_be_misspelled = has_unknown_word(text);
  const TextQueries words =
      text_query(text, plan.syntax_fallback, may_be_misspelled ? &plan.corrected_query : nullptr,
                 guess_language(text, request.ui_lang));
  std::vector<Xapian::Query> parts;
  if (!words.any.empty()) parts.push_back(words.any);
  plan.tiered = !words.all.empty() && words.tiered;
  if (plan.tiered) {
    plan.all_words = words.all;
    auto* bonus = new Xapian::FixedWeightPostingSource(kAllWordsBonus);
    parts.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query(bonus->release()), words.all);
  }
  for (int n : plan.practice_mentions) {
    const std::string num = std::to_string(n);
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(std::string(s::kPrefixNumber) + num), kPracticeBoost);
    if (words.any.empty()) parts.emplace_back(std::string(s::kPrefixPractice) + num);
  }
  plan.has_text = !parts.empty();
  // Not a copy of the static Xapian::Query::MatchAll: Query reference counts are not atomic, so
  // copies of one static made by several worker threads race and corrupt it (a crash under load).
  // The empty term is what MatchAll holds, built afresh for this request.
  plan.text = parts.empty() ? Xapian::Query(std::string())
                            : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());

  for (const auto& [facet_name, values] : request.filters) {
    const s::Facet* facet = s::find_facet(facet_name);
    std::vector<Xapian::Query> terms;
    for (const std::string& v : values) terms.emplace_back(std::string(facet->prefix) + v);
    plan.filters[facet_name] = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }
  return plan;
}

Xapian::Query filtered(const QueryPlan& plan, const std::string& except_facet) {
  std::vector<Xapian::Query> filters;
  for (const auto& [name, q] : plan.filters) {
    if (name != except_facet) filters.push_back(q);
  }
  if (filters.empty()) return plan.text;
  return Xapian::Query(Xapian::Query::OP_FILTER, plan.text,
                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

}  // namespace nexuskb
