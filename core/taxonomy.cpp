// Loading, validating and serialising the taxonomy.
#include "core/taxonomy.h"

#include <regex>

#include <yaml-cpp/yaml.h>

namespace nexuskb {
namespace {

const std::regex kKeyPattern("[a-z0-9][a-z0-9-]*");

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

Labels read_labels(const YAML::Node& node) {
  Labels labels;
  for (const char* lang : {"en", "fr", "ar"}) {
    if (node[lang]) labels.by_lang[lang] = node[lang].as<std::string>();
  }
  return labels;
}

}  // namespace

std::string Labels::get(const std::string& lang, const std::string& fallback) const {
  if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
  if (auto it = by_lang.find("en"); it != by_lang.end()) return it->second;
  return fallback;
}

const FacetValue* FacetDefinition::find(const std::string& key) const {
  for (const FacetValue& v : values) {
    if (v.key == key) return &v;
  }
  return nullptr;
}

Result<Taxonomy> Taxonomy::load_file(const std::string& path) {
  ContentErrors errors;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    return ContentErrors{{path, e.mark.line + 1, "invalid YAML: " + e.msg}};
  } catch (const YAML::Exception& e) {
    return ContentErrors{{path, 0, "cannot read taxonomy: " + e.msg}};
  }
  Taxonomy t;
  try {
    const YAML::Node facets = root["facets"];
    if (!facets || !facets.IsMap()) return ContentErrors{{path, 1, "missing 'facets' map"}};
    for (const auto& f : facets) {
      FacetDefinition def;
      def.name = f.first.as<std::string>();
      def.labels = read_labels(f.second["label"]);
      for (const auto& v : f.second["values"]) {
        FacetValue value;
        value.key = v.first.as<std::string>();
        if (!std::regex_match(value.key, kKeyPattern)) {
          errors.push_back({path, line_of(v.first), "bad value key '" + value.key + "'"});
        }
        value.labels = read_labels(v.second);
        if (value.labels.by_lang.count("en") == 0) {
          errors.push_back({path, line_of(v.first), "value '" + value.key + "' has no en label"});
        }
        if (v.second["synonyms"]) {
          for (const auto& s : v.second["synonyms"]) value.synonyms.push_back(s.as<std::string>());
        }
        def.values.push_back(std::move(value));
      }
      t.facets_.push_back(std::move(def));
    }
    for (const auto& d : root["documents"]) {
      SourceDocument doc;
      doc.key = d.first.as<std::string>();
      doc.title = d.second["title"].as<std::string>("");
      doc.publisher = d.second["publisher"].as<std::string>("");
      doc.url = d.second["url"].as<std::string>("");
      doc.year = d.second["year"].as<int>(0);
      if (doc.title.empty()) {
        errors.push_back({path, line_of(d.first), "document '" + doc.key + "' has no title"});
      }
      t.documents_[doc.key] = std::move(doc);
    }
  } catch (const YAML::Exception& e) {
    errors.push_back({path, e.mark.line + 1, "malformed taxonomy: " + e.msg});
  }
  if (!errors.empty()) return errors;
  return t;
}

const FacetDefinition* Taxonomy::facet(const std::string& name) const {
  for (const FacetDefinition& f : facets_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const SourceDocument* Taxonomy::document(const std::string& key) const {
  auto it = documents_.find(key);
  return it == documents_.end() ? nullptr : &it->second;
}

std::string Taxonomy::practice_label(const std::string& lang) const {
  if (lang == "fr") return "Bonne pratique";
  if (lang == "ar") return "الممارسة الجيدة";
  return "Good practice";
}

std::string Taxonomy::value_label(const std::string& facet, const std::string& key,
                                  const std::string& lang) const {
  if (facet == "practice") {
    if (lang == "fr") return "BP " + key;
    if (lang == "ar") return "الممارسة " + key;
    return "GP " + key;
  }
  if (const FacetDefinition* f = this->facet(facet)) {
    if (const FacetValue* v = f->find(key)) return v->labels.get(lang, key);
  }
  return key;
}

nlohmann::json Taxonomy::to_json() const {
  nlohmann::json j;
  j["facets"] = nlohmann::json::array();
  for (const FacetDefinition& f : facets_) {
    nlohmann::json jf{
        {"name", f.name}, {"labels", f.labels.by_lang}, {"values", nlohmann::json::array()}};
    for (const FacetValue& v : f.values) {
      jf["values"].push_back(
          {{"key", v.key}, {"labels", v.labels.by_lang}, {"synonyms", v.synonyms}});
    }
    j["facets"].push_back(std::move(jf));
  }
  j["documents"] = nlohmann::json::object();
  for (const auto& [key, d] : documents_) {
    j["documents"][key] = {
        {"title", d.title}, {"publisher", d.publisher}, {"url", d.url}, {"year", d.year}};
  }
  return j;
}

Taxonomy Taxonomy::from_json(const nlohmann::json& j) {
  Taxonomy t;
  for (const auto& jf : j.at("facets")) {
    FacetDefinition f;
    f.name = jf.at("name");
    f.labels.by_lang = jf.at("labels").get<std::map<std::string, std::string>>();
    for (const auto& jv : jf.at("values")) {
      FacetValue v;
      v.key = jv.at("key");
      v.labels.by_lang = jv.at("labels").get<std::map<std::string, std::string>>();
      v.synonyms = jv.value("synonyms", std::vector<std::string>{});
      f.values.push_back(std::move(v));
    }
    t.facets_.push_back(std::move(f));
  }
  for (const auto& [key, jd] : j.at("documents").items()) {
    t.documents_[key] = {key, jd.value("title", ""), jd.value("publisher", ""), jd.value("url", ""),
                         jd.value("year", 0)};
  }
  return t;
}

}  // namespace nexuskb
