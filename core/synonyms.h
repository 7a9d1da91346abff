// Synonym groups from content/synonyms.yaml: per language, lists of equivalent terms.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace nexuskb {

// lang -> groups; each group is a list of lower-case terms or phrases that mean the same.
using SynonymGroups = std::map<std::string, std::vector<std::vector<std::string>>>;

// A missing file yields no groups; a malformed one yields errors with lines.
Result<SynonymGroups> load_synonyms(const std::string& path);

// The normal form a synonym key is stored and looked up under: Unicode lower case, single spaces.
std::string normalize_phrase(const std::string& phrase);

// The key a phrase's alternatives are stored under in the index: "<lang>:<normal form>".
// Synonyms are per language so that a French expansion never enters an English query.
std::string synonym_key(const std::string& lang, const std::string& phrase);

}  // namespace nexuskb
