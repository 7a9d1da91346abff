// Small text utilities shared by indexer and server: slugs, UTF-8 checks, packed value lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nexuskb {

// A URL-fragment slug: ASCII lower-case, French accents folded, other letters kept as UTF-8,
// everything else collapsed into single '-'. "Follow the money" -> "follow-the-money".
std::string slugify(std::string_view heading);

// True when `s` is well-formed UTF-8 without NUL bytes.
bool is_valid_utf8(std::string_view s);

// Joins values with the schema's pack separator after sorting them; splits such a string.
std::string pack_values(std::vector<std::string> values);
std::vector<std::string> unpack_values(std::string_view packed);

// Lower-cases ASCII letters only (facet keys are ASCII).
std::string ascii_lower(std::string_view s);

// The current time in UTC as ISO 8601 ("2026-11-26T02:52:42Z").
std::string utc_now();

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace nexuskb
