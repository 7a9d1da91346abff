// URL query strings: percent-encoding and building links that keep, add or drop parameters.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexuskb {

using ParamList = std::vector<std::pair<std::string, std::string>>;

std::string url_encode(std::string_view s);
std::string query_string(const ParamList& params);  // "a=1&b=2" (no leading '?')

// `params` with (key, value) removed if present, added if absent; "page" is always dropped.
ParamList toggle_param(const ParamList& params, const std::string& key, const std::string& value);
// `params` with every `key` replaced by one (key, value) (value empty: removed).
ParamList set_param(const ParamList& params, const std::string& key, const std::string& value);

}  // namespace nexuskb
