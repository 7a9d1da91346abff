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
#include "server/pack.h"
#include "server/search_request.h"
#include "server/search_result.h"
#include "server/url.h"

namespace nexuskb {

class HtmlPages {
 public:
  // Loads *.mustache and i18n/*.json from `templates_dir`. Throws std::runtime_error when a file
  // is missing or a language lacks a message that English has.
  explicit HtmlPages(const std::string& templates_dir);

  std::string home(const SearchResult& overview, const std::string& ui_lang,
                   const PackCarry& carry) const;
  std::string search(const SearchRequest& request, const SearchResult& result,
                     const ParamList& params, const IndexSnapshot& snap, const std::string& ui_lang,
                     const PackCarry& carry) const;
  // `ui_lang` may differ from the item's language (?ui=); the item keeps its own lang and dir.
  std::string document(const DocumentResult& doc, const std::vector<SearchHit>& related,
                       const IndexSnapshot& snap, const std::string& ui_lang,
                       const PackCarry& carry) const;
  // The reading pack page (pack_page.cpp).
  std::string pack(const ReadingPack& pack, const PackRequest& request,
                   const IndexSnapshot& snap) const;
  // `example` is a citation line for an example item (may be empty).
  // The glossary's entries matching `query` (all when empty), one row per entry: the terms in
  // every language and the definition in the UI language.
  std::string glossary(const Glossary& glossary, const std::string& query,
                       const std::string& ui_lang, const PackCarry& carry) const;
  std::string about(const IndexSnapshot& snap, const std::string& example,
                    const std::string& ui_lang, const PackCarry& carry) const;
  std::string error(int status, const std::string& message, const std::string& ui_lang) const;

  // The UI messages of one language (en, fr or ar).
  const Messages& messages(const std::string& ui_lang) const { return strings_.at(ui_lang); }

 private:
  mstch::map base(const std::string& ui_lang, const std::string& page_title,
                  const ParamList& params, const std::string& path, const PackCarry& carry) const;
  std::string render(const std::string& name, const mstch::map& context) const;

  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> partials_;
  std::map<std::string, mstch::map> messages_;  // ui lang -> message map, for templates
  std::map<std::string, Messages> strings_;     // the same, for C++
};

// The UI language: ?ui= then ?lang= (if en/fr/ar), then the best of Accept-Language (a quality
// of 0 means "not acceptable"), else "en".
std::string choose_ui_language(const QueryParams& params, const std::string& accept_language);

// Helpers shared by the page files.
std::string url_with(const std::string& path, const ParamList& params);  // path?a=1&b=2
mstch::array hidden_inputs(const ParamList& params);  // [{name, value}] for hidden form fields

// "rtl" for Arabic, else "ltr".
const char* text_direction(const std::string& lang);
// A language's name in that language ("Français").
std::string language_name(const std::string& code);

}  // namespace nexuskb
