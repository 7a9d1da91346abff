// Query text preprocessing, before any Xapian parsing. Pure functions of strings; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace nexuskb {

// AND, OR, NOT, XOR, NEAR, ADJ (upper case, as Xapian's parser reads them).
bool is_operator(const std::string& word);
// NEAR and ADJ, also as NEAR/5: they take single terms, whose words are never expanded.
bool is_positional_operator(const std::string& word);
// A word the synonym rewriter may touch: no syntax characters, not an operator.
bool is_plain_word(const std::string& word);

// False for unbalanced quotes or brackets and dangling operators, which Xapian's parser silently
// accepts; the response then says that the plain words were searched instead.
bool is_well_formed(const std::string& text);
// Only letters and digits: what a malformed query is searched as.
std::string plain_words(const std::string& text);
// Drops binary operators left without an operand on one side.
std::string strip_dangling_operators(const std::string& text);

// The words and quoted phrases `text` excludes ("-word", "-\"a phrase\"", "NOT word"), as one
// text of words and phrases; empty when it excludes nothing. Each language's reading excludes
// only its own stems of them, while an item holds every language's text: the query builder
// excludes them once more, in every language, from the whole query.
std::string excluded_words(const std::string& text);

// The language `text` is most likely written in: Arabic script is Arabic; Latin text is French
// when it has more French than English stop words (or French accents and no English stop word),
// English when it has more English ones; otherwise `fallback`. Weighs the readings of a query,
// and chooses the versions shown when the reader said nothing (no lang, no Accept-Language).
std::string guess_language(const std::string& text, const std::string& fallback);

// Bounds what wildcards may cost: a trailing `*` stays only on words of at least two letters,
// and only on the first four such words; other words lose their `*` ("a* corr*" -> "a corr*").
std::string bound_wildcards(const std::string& text);

// The text up to its `max_words`-th word (AND, OR, NOT, XOR and NEAR do not count); `dropped` is
// set when words were left out. A cut that leaves a quote or bracket open yields the plain words.
std::string bound_words(const std::string& text, size_t max_words, bool& dropped);

// Removes good-practice mentions ("GP 23", "gp23", "good practice 23", "bonne pratique 23",
// "practice:23" is kept as a filter) from `text` and returns their numbers.
std::vector<int> extract_practice_mentions(std::string& text);

// Lower-cases facet values after field prefixes ("region:Sahel" -> "region:sahel").
std::string normalize_field_values(const std::string& text);

}  // namespace nexuskb
