// Query text preprocessing, before any Xapian parsing: syntax checks, plain words, wildcard
// bounds, good-practice mentions, field values, the query's language.
#include "server/query_text.h"

#include <regex>
#include <sstream>
#include <vector>

#include <xapian.h>

#include "core/stopwords.h"
#include "core/text.h"

namespace nexuskb {
namespace {

// Wildcards are the one query shape whose cost grows with the index: at most kMaxWildcards of
// them keep their `*`, and a wildcard needs kMinWildcardPrefix letters before it; the rest are
// searched as words (QueryBuilder also caps each one's expansion).
constexpr size_t kMaxWildcards = 4;
constexpr size_t kMinWildcardPrefix = 2;

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

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

// NEAR and ADJ (also as NEAR/5) take single terms: their operands are never expanded.
bool is_positional_operator(const std::string& w) {
  return w == "NEAR" || w == "ADJ" || w.starts_with("NEAR/") || w.starts_with("ADJ/");
}

std::string excluded_words(const std::string& text) {
  // Tokens, quoted phrases kept whole (with a leading '-' if they had one).
  std::vector<std::string> tokens;
  std::string current;
  bool in_quote = false;
  for (char c : text) {
    if (c == '"') in_quote = !in_quote;
    if (!in_quote && (c == ' ' || c == '\t' || c == '\n')) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  if (!current.empty()) tokens.push_back(current);
  std::string out;
  auto add = [&](std::string t) {
    while (!t.empty() && (t.front() == '(' || t.front() == '-')) t.erase(0, 1);
    while (!t.empty() && t.back() == ')') t.pop_back();
    if (t.empty() || t.find(':') != std::string::npos) return;  // fields are filters
    out += (out.empty() ? "" : " ") + t;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].size() > 1 && tokens[i][0] == '-') add(tokens[i]);
    if (tokens[i] == "NOT" && i + 1 < tokens.size()) add(tokens[i + 1]);
  }
  return out;
}

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

std::string bound_words(const std::string& text, size_t max_words, bool& dropped) {
  size_t words = 0, at = 0;
  while (at < text.size()) {
    const size_t start = text.find_first_not_of(" \t\n", at);
    if (start == std::string::npos) break;
    size_t end = text.find_first_of(" \t\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view word(text.data() + start, end - start);
    const bool op = word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
                    word == "NEAR" || word.find_first_not_of("()\"+-") == std::string_view::npos;
    if (!op && ++words > max_words) {
      dropped = true;
      const std::string kept = strip_dangling_operators(text.substr(0, start));
      return is_well_formed(kept) ? kept : plain_words(kept);
    }
    at = end;
  }
  return text;
}

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

}  // namespace nexuskb
