// Reading packs: request parsing, assembly, JSON and Markdown, and the links that rewrite a pack.
#include "server/pack.h"

#include "server/citation.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/content_item.h"
#include "core/text.h"
#include "server/json_render.h"

namespace nexuskb {
namespace {

bool is_ui_lang(const std::string& l) {
  return l == "en" || l == "fr" || l == "ar";
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Splits "a,b,c" into ids, lower-cased; false at the first invalid one (`bad` names it).
bool split_ids(const std::string& raw, std::vector<std::string>& ids, std::string& bad) {
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find(',', start);
    if (end == std::string::npos) end = raw.size();
    std::string id = ascii_lower(trim(raw.substr(start, end - start)));
    start = end + 1;
    if (id.empty()) continue;
    if (!is_valid_id(id)) {
      bad = id;
      return false;
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return true;
}

// Titles are one line: control characters (newlines, tabs) become spaces.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return trim(s);
}

std::string join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::string msg(const Messages& t, const std::string& key) {
  auto it = t.find(key);
  return it == t.end() ? key : it->second;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

std::string item_heading(const StoredItem& it, const Messages& t) {
  if (!it.number) return it.title;
  return msg(t, "practice_prefix") + " " + std::to_string(*it.number) + " — " + it.title;
}

}  // namespace

Expected<PackRequest> parse_pack_request(const QueryParams& params, bool allow_format,
                                         const std::vector<std::string>& extra_allowed) {
  PackRequest req;
  for (const auto& [key, raw] : params) {
    if (!is_valid_utf8(key) || !is_valid_utf8(raw)) {
      return bad_parameter("invalid_utf8", is_valid_utf8(key) ? key : "",
                           "parameters must be valid UTF-8 without NUL bytes");
    }
    if (key == "items") {
      req.items_given = true;
      std::string bad;
      if (!split_ids(raw, req.ids, bad)) {
        return bad_parameter("invalid_items", "items",
                             "'" + bad + "' is not an item id (letters, digits and '-')");
      }
      if (req.ids.size() > kMaxPackItems) {
        return bad_parameter("too_many_items", "items",
                             "a pack holds at most " + std::to_string(kMaxPackItems) + " items");
      }
    } else if (key == "title") {
      if (raw.size() > kMaxPackTitleBytes) {
        return bad_parameter(
            "invalid_title", "title",
            "the title is longer than " + std::to_string(kMaxPackTitleBytes) + " bytes");
      }
      req.title = one_line(raw);
    } else if (key == "lang") {
      if (raw.empty()) continue;
      if (!is_ui_lang(raw))
        return bad_parameter("unknown_value", "lang", "lang must be en, fr or ar");
      req.lang = raw;
    } else if (key == "format" && allow_format) {
      if (raw == "md") {
        req.markdown = true;
      } else if (!raw.empty() && raw != "html") {
        return bad_parameter("unknown_value", "format", "format must be 'html' or 'md'");
      }
    } else if (std::find(extra_allowed.begin(), extra_allowed.end(), key) == extra_allowed.end()) {
      return bad_parameter("unknown_parameter", key, "unknown parameter '" + key + "'");
    }
  }
  return req;
}

std::vector<std::string> ReadingPack::ids() const {
  std::vector<std::string> out;
  for (const PackItem& item : items) out.push_back(item.doc.item.id);
  return out;
}

Expected<ReadingPack> build_pack(const SearchService& service, const PackRequest& request,
                                 const std::string& default_title, bool skip_unknown) {
  ReadingPack pack;
  pack.title = request.title.empty() ? default_title : request.title;
  pack.lang = request.lang.empty() ? "en" : request.lang;
  pack.date = today_utc();
  for (const std::string& id : request.ids) {
    PackItem item;
    auto doc = service.document(id, pack.lang);
    if (!doc.ok() && doc.error().parameter == "lang") {
      item.requested_lang = false;
      doc = service.document(id, "");
    }
    if (!doc.ok() && skip_unknown && doc.error().status == 404) {
      pack.missing.push_back(id);
      continue;
    }
    if (!doc.ok()) {
      if (doc.error().status != 404) return doc.error();
      return ApiError{404, "not_found", "the pack names an unknown item '" + id + "'", "items"};
    }
    item.doc = std::move(doc.value());
    pack.items.push_back(std::move(item));
  }
  return pack;
}

std::string today_utc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

nlohmann::json to_json(const ReadingPack& pack) {
  nlohmann::json items = nlohmann::json::array();
  for (const PackItem& item : pack.items) {
    nlohmann::json j = to_json(item.doc);
    j["requested_lang"] = item.requested_lang;
    items.push_back(std::move(j));
  }
  return {{"title", pack.title},
          {"lang", pack.lang},
          {"date", pack.date},
          {"count", pack.items.size()},
          {"items", std::move(items)}};
}

std::string citation_text(const StoredItem& item, const Citation& c, const Messages& t) {
  return citation_line(item, c, citation_words(t));
}

std::string to_markdown(const ReadingPack& pack, const Messages& t) {
  std::string md = "# " + pack.title + "\n\n";
  md += msg(t, "pack_prepared") + " " + pack.date + " · " + std::to_string(pack.items.size()) +
        " " + msg(t, "pack_items_count") + " · " + msg(t, "site_name") + "\n\n";
  md += "> " + msg(t, "unverified_long") + "\n\n";
  md += "## " + msg(t, "contents") + "\n\n";
  int n = 0;
  for (const PackItem& item : pack.items) {
    md += std::to_string(++n) + ". " + item_heading(item.doc.item, t) + "\n";
  }
  for (const PackItem& item : pack.items) {
    const StoredItem& it = item.doc.item;
    md += "\n---\n\n## " + item_heading(it, t) + "\n\n";
    if (!it.verified) md += "**" + msg(t, "unverified") + "**\n\n";
    md += "*" + it.summary + "*\n\n";
    for (const StoredPassage& p : it.passages) {
      if (!p.heading.empty()) md += "### " + p.heading + "\n\n";
      md += p.text + "\n\n";
    }
    md += "### " + msg(t, "citation") + "\n\n";
    md += "> " + citation_text(it, item.doc.citation, t) + "\n\n";
    if (!item.doc.citation.source_url.empty()) {
      md += msg(t, "source") + msg(t, "colon") + " [" + item.doc.citation.document_title + "](" +
            item.doc.citation.source_url + ")\n\n";
    }
    md += msg(t, "stable_link") + msg(t, "colon") + " " + item.doc.citation.stable_url + "\n";
  }
  return md;
}

std::string nest_body_html(const std::string& html, const std::string& prefix) {
  std::string out = html;
  for (int level = 5; level >= 2; --level) {
    const std::string from = std::to_string(level), to = std::to_string(level + 1);
    replace_all(out, "<h" + from, "<h" + to);
    replace_all(out, "</h" + from + ">", "</h" + to + ">");
  }
  // cmark escapes quotes in text, so these sequences only occur inside tags.
  replace_all(out, " id=\"", " id=\"" + prefix);
  replace_all(out, " href=\"#", " href=\"#" + prefix);
  return out;
}

PackCarry pack_carry_from(const QueryParams& params) {
  PackCarry carry;
  if (auto it = params.find("pack"); it != params.end() && is_valid_utf8(it->second)) {
    std::string raw = it->second;
    size_t start = 0;
    while (start <= raw.size() && carry.ids.size() < kMaxPackItems) {
      size_t end = raw.find(',', start);
      if (end == std::string::npos) end = raw.size();
      std::string id = ascii_lower(trim(raw.substr(start, end - start)));
      start = end + 1;
      if (is_valid_id(id) && std::find(carry.ids.begin(), carry.ids.end(), id) == carry.ids.end())
        carry.ids.push_back(id);
    }
  }
  if (auto it = params.find("pack_title");
      it != params.end() && is_valid_utf8(it->second) && it->second.size() <= kMaxPackTitleBytes) {
    carry.title = one_line(it->second);
  }
  return carry;
}

ParamList carry_params(const PackCarry& carry) {
  ParamList out;
  if (!carry.ids.empty()) out.emplace_back("pack", join(carry.ids));
  if (!carry.title.empty()) out.emplace_back("pack_title", carry.title);
  return out;
}

std::string with_carry(const std::string& url, const PackCarry& carry) {
  if (carry.empty()) return url;
  const size_t hash = url.find('#');
  const std::string base = url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") +
         query_string(carry_params(carry)) + fragment;
}

std::string pack_url(const std::vector<std::string>& ids, const std::string& title,
                     const std::string& lang) {
  // Ids are [a-z0-9-], so the list needs no encoding and stays readable in the address bar.
  std::string url = "/pack?items=" + join(ids);
  if (!title.empty()) url += "&title=" + url_encode(title);
  if (!lang.empty()) url += "&lang=" + lang;
  return url;
}

std::vector<std::string> pack_with(std::vector<std::string> ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end() && ids.size() < kMaxPackItems)
    ids.push_back(id);
  return ids;
}

std::vector<std::string> pack_without(std::vector<std::string> ids, size_t index) {
  if (index < ids.size()) ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(index));
  return ids;
}

std::vector<std::string> pack_swapped(std::vector<std::string> ids, size_t a, size_t b) {
  if (a < ids.size() && b < ids.size()) std::swap(ids[a], ids[b]);
  return ids;
}

}  // namespace nexuskb
