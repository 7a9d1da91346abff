// Loading, validating and searching the glossary.
#include "core/glossary.h"

#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "core/content_item.h"
#include "core/schema.h"
#include "core/synonyms.h"

namespace nexuskb {
namespace {

int line_of(const YAML::Node& node) {
  return node.Mark().line + 1;
}

bool contains_folded(const std::string& haystack, const std::string& needle) {
  return normalize_phrase(haystack).find(needle) != std::string::npos;
}

}  // namespace

std::string glossary_key(const std::string& term) {
  return "x:" + normalize_phrase(term);
}

nlohmann::json Glossary::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const GlossaryEntry& e : entries) {
    out.push_back({{"id", e.id}, {"terms", e.terms}, {"definition", e.definition}});
  }
  return out;
}

Glossary Glossary::from_json(const nlohmann::json& j) {
  Glossary g;
  for (const auto& e : j) {
    g.entries.push_back({e.at("id").get<std::string>(),
                         e.at("terms").get<std::map<std::string, std::vector<std::string>>>(),
                         e.at("definition").get<std::map<std::string, std::string>>()});
  }
  return g;
}

std::vector<const GlossaryEntry*> Glossary::find(const std::string& text) const {
  const std::string needle = normalize_phrase(text);
  std::vector<const GlossaryEntry*> out;
  for (const GlossaryEntry& e : entries) {
    bool match = needle.empty() || e.id.find(needle) != std::string::npos;
    for (const auto& [lang, terms] : e.terms) {
      for (const std::string& t : terms) match = match || contains_folded(t, needle);
    }
    for (const auto& [lang, d] : e.definition) match = match || contains_folded(d, needle);
    if (match) out.push_back(&e);
  }
  return out;
}

Result<Glossary> load_glossary(const std::string& path) {
  Glossary glossary;
  if (!std::filesystem::exists(path)) return glossary;
  ContentErrors errors;
  auto error = [&](const YAML::Node& node, const std::string& message) {
    errors.push_back({path, line_of(node), message});
  };
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["terms"] || !root["terms"].IsSequence()) {
      return ContentErrors{{path, 1, "expected a map with a list under 'terms:'"}};
    }
    std::set<std::string> ids;
    std::map<std::string, std::map<std::string, std::string>> owner;  // lang -> term -> id
    for (const YAML::Node& node : root["terms"]) {
      if (!node.IsMap()) {
        error(node, "a glossary entry must be a map (id, en, fr, ar, definition)");
        continue;
      }
      GlossaryEntry entry;
      for (const auto& field : node) {
        const std::string key = field.first.as<std::string>();
        const bool is_lang = std::find(schema::kLanguages.begin(), schema::kLanguages.end(), key) !=
                             schema::kLanguages.end();
        if (key != "id" && key != "definition" && !is_lang)
          error(field.first, "unknown glossary key '" + key + "'");
      }
      entry.id = node["id"] && node["id"].IsScalar() ? node["id"].as<std::string>() : "";
      if (!is_valid_id(entry.id)) {
        error(node, "glossary entry needs an id of [a-z0-9-] (got '" + entry.id + "')");
      } else if (!ids.insert(entry.id).second) {
        error(node["id"], "duplicate glossary id '" + entry.id + "'");
      }
      for (std::string_view lang_view : schema::kLanguages) {
        const std::string lang(lang_view);
        const YAML::Node list = node[lang];
        if (!list || !list.IsSequence() || list.size() == 0) {
          error(node,
                "glossary entry '" + entry.id + "' needs a non-empty list of " + lang + " terms");
          continue;
        }
        for (const YAML::Node& t : list) {
          const std::string term = t.IsScalar() ? t.as<std::string>() : "";
          if (normalize_phrase(term).empty()) {
            error(t, "empty " + lang + " term in glossary entry '" + entry.id + "'");
            continue;
          }
          auto [it, fresh] = owner[lang].emplace(normalize_phrase(term), entry.id);
          if (!fresh && it->second != entry.id) {
            error(t, "the " + lang + " term '" + term + "' is already in glossary entry '" +
                         it->second + "'");
          }
          entry.terms[lang].push_back(term);
        }
      }
      if (const YAML::Node d = node["definition"]; d) {
        if (!d.IsMap()) {
          error(d, "definition must map languages to sentences");
        } else {
          for (const auto& kv : d) {
            const std::string lang = kv.first.as<std::string>();
            if (std::find(schema::kLanguages.begin(), schema::kLanguages.end(), lang) ==
                    schema::kLanguages.end() ||
                !kv.second.IsScalar()) {
              error(kv.first, "definition languages are " + std::string("en, fr and ar"));
              continue;
            }
            entry.definition[lang] = kv.second.as<std::string>();
          }
        }
      }
      glossary.entries.push_back(std::move(entry));
    }
  } catch (const YAML::Exception& e) {
    return ContentErrors{{path, e.mark.line + 1, "invalid glossary: " + e.msg}};
  }
  if (!errors.empty()) return errors;
  return glossary;
}

}  // namespace nexuskb
