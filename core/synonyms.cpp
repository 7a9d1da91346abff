// Loading synonyms.yaml.
#include "core/synonyms.h"

#include <filesystem>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include <xapian.h>

namespace nexuskb {

std::string normalize_phrase(const std::string& phrase) {
  std::istringstream in(Xapian::Unicode::tolower(phrase));
  std::string word, out;
  while (in >> word) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string synonym_key(const std::string& lang, const std::string& phrase) {
  return lang + ":" + normalize_phrase(phrase);
}

Result<SynonymGroups> load_synonyms(const std::string& path) {
  SynonymGroups groups;
  if (!std::filesystem::exists(path)) return groups;
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return ContentErrors{{path, 1, "expected a map of language -> groups"}};
    ContentErrors errors;
    for (const auto& lang : root) {
      std::string code = lang.first.as<std::string>();
      if (code != "en" && code != "fr" && code != "ar") {
        errors.push_back({path, lang.first.Mark().line + 1, "unknown language '" + code + "'"});
        continue;
      }
      for (const auto& group : lang.second) {
        if (!group.IsSequence() || group.size() < 2) {
          errors.push_back(
              {path, group.Mark().line + 1, "a synonym group needs two or more terms"});
          continue;
        }
        std::vector<std::string> terms;
        for (const auto& t : group) terms.push_back(normalize_phrase(t.as<std::string>()));
        groups[code].push_back(std::move(terms));
      }
    }
    if (!errors.empty()) return errors;
  } catch (const YAML::Exception& e) {
    return ContentErrors{{path, e.mark.line + 1, "invalid synonyms file: " + e.msg}};
  }
  return groups;
}

}  // namespace nexuskb
