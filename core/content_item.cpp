// Front-matter parsing and validation.
#include "core/content_item.h"

#include <algorithm>
#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "core/text.h"

namespace nexuskb {
namespace {

const std::set<std::string> kKnownKeys{"id",      "lang",      "kind",   "title",   "number",
                                       "section", "practices", "actors", "regions", "themes",
                                       "source",  "verified",  "summary"};
const std::set<std::string> kLangs{"en", "fr", "ar"};

// Splits "---\n<yaml>\n---\n<body>"; returns false when there is no front matter.
bool split_front_matter(const std::string& text, std::string& yaml, std::string& body,
                        int& body_line) {
  auto line_end = [&](size_t pos) {
    size_t e = text.find('\n', pos);
    return e == std::string::npos ? text.size() : e;
  };
  auto line_at = [&](size_t pos) {
    std::string l = text.substr(pos, line_end(pos) - pos);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    return l;
  };
  size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // tolerate a UTF-8 BOM
  if (line_at(start) != "---") return false;
  size_t pos = line_end(start) + 1;
  int line = 2;
  while (pos <= text.size()) {
    if (line_at(pos) == "---") {
      yaml = text.substr(line_end(start) + 1, pos - line_end(start) - 1);
      size_t after = std::min(line_end(pos) + 1, text.size());
      body = text.substr(after);
      body_line = line + 1;
      return true;
    }
    if (line_end(pos) >= text.size()) break;
    pos = line_end(pos) + 1;
    ++line;
  }
  return false;
}

class Validator {
 public:
  Validator(const std::string& path, const Taxonomy& taxonomy) : path_(path), taxonomy_(taxonomy) {}

  void error(const YAML::Node& node, const std::string& message) {
    int line = node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 2 : 1;
    errors_.push_back({path_, line, message});
  }
  void error_at(int line, const std::string& message) { errors_.push_back({path_, line, message}); }

  std::string required_string(const YAML::Node& fm, const char* key) {
    const YAML::Node n = fm[key];
    if (!n || n.IsNull()) {
      error_at(1, std::string("missing required key '") + key + "'");
      return {};
    }
    if (!n.IsScalar()) {
      error(n, std::string("'") + key + "' must be a single value");
      return {};
    }
    std::string s = n.as<std::string>();
    if (s.empty()) error(n, std::string("'") + key + "' is empty");
    return s;
  }

  // A list of taxonomy keys of `facet`; `required` means the key must be present and non-empty.
  std::vector<std::string> keys(const YAML::Node& fm, const char* key, const std::string& facet,
                                bool required) {
    std::vector<std::string> out;
    const YAML::Node n = fm[key];
    if (!n || n.IsNull()) {
      if (required) error_at(1, std::string("missing required key '") + key + "'");
      return out;
    }
    if (!n.IsSequence()) {
      error(n, std::string("'") + key + "' must be a list, e.g. [a, b]");
      return out;
    }
    const FacetDefinition* def = taxonomy_.facet(facet);
    for (const auto& v : n) {
      std::string value = v.as<std::string>("");
      if (def == nullptr || def->find(value) == nullptr) {
        error(v, "unknown " + facet + " '" + value + "' (not in taxonomy.yaml)");
        continue;
      }
      if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
    }
    if (required && n.size() == 0) error(n, std::string("'") + key + "' must not be empty");
    return out;
  }

  void taxonomy_key(const YAML::Node& n, const std::string& facet, const std::string& value) {
    if (value.empty()) return;
    const FacetDefinition* def = taxonomy_.facet(facet);
    if (def == nullptr || def->find(value) == nullptr) {
      error(n, "unknown " + facet + " '" + value + "' (not in taxonomy.yaml)");
    }
  }

  ContentErrors take() { return std::move(errors_); }
  bool has_errors() const { return !errors_.empty(); }

 private:
  std::string path_;
  const Taxonomy& taxonomy_;
  ContentErrors errors_;
};

std::optional<int> as_practice_number(const YAML::Node& n) {
  try {
    int v = n.as<int>();
    if (v >= 1 && v <= 999) return v;
  } catch (const YAML::Exception&) {
  }
  return std::nullopt;
}

}  // namespace

bool is_valid_id(const std::string& id) {
  static const std::regex pattern("[a-z0-9]+(-[a-z0-9]+)*");
  return id.size() <= 100 && std::regex_match(id, pattern);
}

Result<ContentItem> parse_content_item(const std::string& path, const std::string& text,
                                       const Taxonomy& taxonomy) {
  std::string yaml;
  ContentItem item;
  item.path = path;
  if (!split_front_matter(text, yaml, item.body, item.body_line)) {
    return ContentErrors{{path, 1, "missing YAML front matter (the file must start with '---')"}};
  }
  YAML::Node fm;
  try {
    fm = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return ContentErrors{{path, e.mark.line + 2, "invalid YAML front matter: " + e.msg}};
  }
  if (!fm.IsMap()) return ContentErrors{{path, 2, "front matter must be a YAML map"}};

  Validator v(path, taxonomy);
  try {
    std::set<std::string> seen;
    for (const auto& kv : fm) {
      std::string key = kv.first.as<std::string>("");
      if (kKnownKeys.count(key) == 0) v.error(kv.first, "unknown front-matter key '" + key + "'");
      // yaml-cpp keeps the first of two equal keys; the second would be silently lost.
      if (!seen.insert(key).second) v.error(kv.first, "duplicate front-matter key '" + key + "'");
    }
    item.id = v.required_string(fm, "id");
    if (!item.id.empty() && !is_valid_id(item.id)) {
      v.error(fm["id"], "bad id '" + item.id + "': use lower-case letters, digits and '-'");
    }
    item.lang = v.required_string(fm, "lang");
    if (!item.lang.empty() && kLangs.count(item.lang) == 0) {
      v.error(fm["lang"], "unknown lang '" + item.lang + "' (en, fr or ar)");
    }
    item.kind = v.required_string(fm, "kind");
    // Kinds are the taxonomy's `kind` values; only `practice` and `addendum` carry a number.
    v.taxonomy_key(fm["kind"], "kind", item.kind);
    item.title = v.required_string(fm, "title");
    item.section = v.required_string(fm, "section");
    v.taxonomy_key(fm["section"], "section", item.section);
    item.summary = v.required_string(fm, "summary");

    if (const YAML::Node n = fm["number"]; n && !n.IsNull()) {
      item.number = as_practice_number(n);
      if (!item.number) v.error(n, "'number' must be a whole number from 1 to 999");
      if (item.kind != "practice" && item.kind != "addendum") {
        v.error(n, "'number' is only for practices and addendum items");
      }
    } else if (item.kind == "practice") {
      v.error_at(1, "missing required key 'number' (practices carry their good-practice number)");
    }

    if (const YAML::Node n = fm["practices"]; !n || n.IsNull()) {
      v.error_at(1, "missing required key 'practices'");
    } else if (!n.IsSequence()) {
      v.error(n, "'practices' must be a list of numbers, e.g. [1, 23]");
    } else {
      for (const auto& p : n) {
        auto num = as_practice_number(p);
        if (!num) {
          v.error(p, "practice '" + p.as<std::string>("") + "' is not a number from 1 to 999");
        } else if (std::find(item.practices.begin(), item.practices.end(), *num) ==
                   item.practices.end()) {
          item.practices.push_back(*num);
        }
      }
      if (item.number && std::find(item.practices.begin(), item.practices.end(), *item.number) ==
                             item.practices.end()) {
        v.error(n, "a practice must list its own number in 'practices'");
      }
    }
    item.actors = v.keys(fm, "actors", "actor", true);
    item.regions = v.keys(fm, "regions", "region", true);
    item.themes = v.keys(fm, "themes", "theme", false);

    if (const YAML::Node s = fm["source"]; !s || !s.IsMap()) {
      v.error_at(1, "missing required key 'source' ({document: ..., url: ..., page: ...})");
    } else {
      item.source.document = s["document"].as<std::string>("");
      item.source.url = s["url"] && !s["url"].IsNull() ? s["url"].as<std::string>("") : "";
      item.source.page = s["page"] && !s["page"].IsNull() ? s["page"].as<std::string>("") : "";
      if (item.source.document.empty()) {
        v.error(s, "'source' needs a 'document'");
      } else if (taxonomy.document(item.source.document) == nullptr) {
        v.error(s["document"], "unknown source document '" + item.source.document + "'");
      }
    }
    if (const YAML::Node n = fm["verified"]; !n || n.IsNull()) {
      v.error_at(
          1, "missing required key 'verified' (true only when checked against the official text)");
    } else {
      // Not n.as<bool>(): yaml-cpp 0.7 decodes booleans through a shared static buffer, a data
      // race when files are parsed on several threads (found by ThreadSanitizer).
      const std::string word = n.IsScalar() ? ascii_lower(n.Scalar()) : std::string();
      if (word == "true" || word == "yes" || word == "on") {
        item.verified = true;
      } else if (word == "false" || word == "no" || word == "off") {
        item.verified = false;
      } else {
        v.error(n, "'verified' must be true or false");
      }
    }
  } catch (const YAML::Exception& e) {
    v.error_at(e.mark.line + 2, "malformed front matter: " + e.msg);
  }
  if (v.has_errors()) return v.take();
  return item;
}

}  // namespace nexuskb
