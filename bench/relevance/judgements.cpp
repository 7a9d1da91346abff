// Loading tests/relevance/queries.yaml with yaml-cpp.
#include "bench/relevance/judgements.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace nexuskb::relevance {
namespace {

std::vector<std::string> string_list(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsSequence()) {
    for (const auto& v : node) out.push_back(v.as<std::string>());
  } else {
    out.push_back(node.as<std::string>());
  }
  return out;
}

}  // namespace

int JudgedQuery::grade(const std::string& item_id) const {
  if (std::find(relevant.begin(), relevant.end(), item_id) != relevant.end()) return 2;
  if (std::find(also_relevant.begin(), also_relevant.end(), item_id) != also_relevant.end()) {
    return 1;
  }
  return 0;
}

std::vector<JudgedQuery> load_judgements(const std::string& path,
                                         const std::set<std::string>& known_items,
                                         std::vector<std::string>& errors) {
  std::vector<JudgedQuery> out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ": " + e.what());
    return out;
  }
  const YAML::Node list = root["queries"];
  if (!list || !list.IsSequence()) {
    errors.push_back(path + ": expected a top-level 'queries' list");
    return out;
  }
  std::set<std::string> seen;
  for (const YAML::Node& node : list) {
    const std::string where = path + ":" + std::to_string(node.Mark().line + 1);
    try {
      JudgedQuery q;
      q.id = node["id"].as<std::string>("");
      q.who = node["who"].as<std::string>("");
      q.query = node["query"].as<std::string>("");
      q.query_lang = node["query_lang"].as<std::string>("en");
      q.note = node["note"].as<std::string>("");
      q.relevant = string_list(node["relevant"]);
      q.also_relevant = string_list(node["also_relevant"]);
      if (const YAML::Node f = node["filters"]) {
        if (!f.IsMap()) throw YAML::Exception(f.Mark(), "filters must be a map");
        for (const auto& kv : f) q.filters[kv.first.as<std::string>()] = string_list(kv.second);
      }
      bool ok = true;
      auto fail = [&](const std::string& message) {
        errors.push_back(where + ": " + (q.id.empty() ? "" : q.id + ": ") + message);
        ok = false;
      };
      if (q.id.empty()) fail("missing id");
      if (!seen.insert(q.id).second) fail("duplicate id");
      if (std::find(kUserGroups.begin(), kUserGroups.end(), q.who) == kUserGroups.end()) {
        fail("who must be policymaker, judiciary or trainer");
      }
      if (std::find(kQueryLanguages.begin(), kQueryLanguages.end(), q.query_lang) ==
          kQueryLanguages.end()) {
        fail("query_lang must be en, fr or ar");
      }
      if (q.query.empty()) fail("missing query");
      if (q.relevant.empty()) fail("relevant must name at least one item");
      for (const auto* ids : {&q.relevant, &q.also_relevant}) {
        for (const std::string& id : *ids) {
          if (known_items.count(id) == 0) fail("unknown item id '" + id + "'");
        }
      }
      for (const std::string& id : q.also_relevant) {
        if (std::find(q.relevant.begin(), q.relevant.end(), id) != q.relevant.end()) {
          fail("'" + id + "' is in both relevant and also_relevant");
        }
      }
      if (ok) out.push_back(std::move(q));
    } catch (const YAML::Exception& e) {
      errors.push_back(where + ": " + e.what());
    }
  }
  return out;
}

}  // namespace nexuskb::relevance
