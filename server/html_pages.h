// Server-rendered HTML pages: view models built in C++, rendered by logic-less Mustache templates.
//
// Everything printed is escaped by the templates ({{x}}); the only raw fields are snippet_html
// (escaped and marked up by Xapian) and the body HTML rendered by cmark-gfm with raw HTML off.
// Templates and messages are loaded once at construction; rendering is thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "server/index_snapshot.h"
#include "server/search_request.h"
#include "server/search_result.h"
#include "server/url.h"

namespace nexuskb {

class HtmlPages {
 public:
  // Loads *.mustache and i18n/*.json from `templates_dir`; throws std::runtime_error if missing.
  explicit HtmlPages(const std::string& templates_dir);

  std::string home(const SearchResult& overview, const IndexSnapshot& snap,
                   const std::string& ui_lang) const;
  std::string search(const SearchRequest& request, const SearchResult& result,
                     const ParamList& params, const IndexSnapshot& snap,
                     const std::string& ui_lang) const;
  std::string document(const DocumentResult& doc, const std::vector<SearchHit>& related,
                       const IndexSnapshot& snap, const std::string& ui_lang) const;
  std::string error(int status, const std::string& message, const std::string& ui_lang) const;

 private:
  mstch::map base(const std::string& ui_lang, const std::string& page_title,
                  const ParamList& params, const std::string& path) const;
  std::string render(const std::string& name, const mstch::map& context) const;

  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> partials_;
  std::map<std::string, mstch::map> messages_;  // ui lang -> message map, for templates
  std::map<std::string, std::map<std::string, std::string>> strings_;  // the same, for C++
};

// The UI language: ?lang= first (if en/fr/ar), then the best of Accept-Language, else "en".
std::string choose_ui_language(const QueryParams& params, const std::string& accept_language);

}  // namespace nexuskb
