// Query-string helpers.
#include "server/url.h"

#include <algorithm>

namespace nexuskb {

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string query_string(const ParamList& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

ParamList toggle_param(const ParamList& params, const std::string& key, const std::string& value) {
  ParamList out;
  bool removed = false;
  for (const auto& p : params) {
    if (p.first == "page") continue;
    if (p.first == key && p.second == value) {
      removed = true;
      continue;
    }
    out.push_back(p);
  }
  if (!removed) out.emplace_back(key, value);
  return out;
}

ParamList set_param(const ParamList& params, const std::string& key, const std::string& value) {
  ParamList out;
  std::copy_if(params.begin(), params.end(), std::back_inserter(out),
               [&](const auto& p) { return p.first != key; });
  if (!value.empty()) out.emplace_back(key, value);
  return out;
}

}  // namespace nexuskb
