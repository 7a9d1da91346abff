// HTML view models.
#include "server/html_pages.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nexuskb {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read template file " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* text_dir(const std::string& lang) {
  return lang == "ar" ? "rtl" : "ltr";
}

std::string lang_name(const std::string& code) {
  if (code == "fr") return "Français";
  if (code == "ar") return "العربية";
  return "English";
}

std::string url_with(const std::string& path, const ParamList& params) {
  std::string qs = query_string(params);
  return qs.empty() ? path : path + "?" + qs;
}

mstch::array tag_labels(const StoredItem& item, const IndexSnapshot& snap,
                        const std::string& lang) {
  mstch::array tags;
  for (const auto& a : item.actors) tags.push_back(snap.taxonomy.value_label("actor", a, lang));
  for (const auto& r : item.regions) tags.push_back(snap.taxonomy.value_label("region", r, lang));
  return tags;
}

}  // namespace

std::string choose_ui_language(const QueryParams& params, const std::string& accept_language) {
  auto valid = [](const std::string& l) { return l == "en" || l == "fr" || l == "ar"; };
  if (auto it = params.find("lang"); it != params.end() && valid(it->second)) return it->second;
  // Accept-Language: "fr-FR,fr;q=0.9,en;q=0.8" — pick the supported language with the highest q.
  std::string best = "en";
  double best_q = -1;
  std::istringstream in(accept_language);
  std::string part;
  while (std::getline(in, part, ',')) {
    part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
    std::string tag = part.substr(0, part.find(';'));
    double q = 1.0;
    if (auto pos = part.find(";q="); pos != std::string::npos)
      q = std::atof(part.c_str() + pos + 3);
    std::string primary = tag.substr(0, tag.find('-'));
    for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (valid(primary) && q > 0 && q > best_q) {  // q=0 means "not acceptable"
      best = primary;
      best_q = q;
    }
  }
  return best;
}

HtmlPages::HtmlPages(const std::string& templates_dir) {
  const fs::path dir(templates_dir);
  for (const char* name : {"home", "search", "doc", "error"}) {
    templates_[name] = slurp(dir / (std::string(name) + ".mustache"));
  }
  for (const char* name : {"head", "foot", "searchbox"}) {
    partials_[name] = slurp(dir / (std::string(name) + ".mustache"));
  }
  for (const char* lang : {"en", "fr", "ar"}) {
    auto j = nlohmann::json::parse(slurp(dir / "i18n" / (std::string(lang) + ".json")));
    mstch::map m;
    for (const auto& [k, v] : j.items()) {
      m[k] = v.get<std::string>();
      strings_[lang][k] = v.get<std::string>();
    }
    messages_[lang] = std::move(m);
  }
}

std::string HtmlPages::render(const std::string& name, const mstch::map& context) const {
  return mstch::render(templates_.at(name), context, partials_);
}

mstch::map HtmlPages::base(const std::string& ui_lang, const std::string& page_title,
                           const ParamList& params, const std::string& path) const {
  mstch::array languages;
  for (const char* code : {"en", "fr", "ar"}) {
    languages.push_back(mstch::map{
        {"code", std::string(code)},
        {"name", lang_name(code)},
        {"current", ui_lang == code},
        {"url", url_with(path, set_param(set_param(params, "page", ""), "lang", code))}});
  }
  return mstch::map{{"ui_lang", ui_lang},       {"dir", std::string(text_dir(ui_lang))},
                    {"page_title", page_title}, {"t", messages_.at(ui_lang)},
                    {"languages", languages},   {"query", std::string()}};
}

std::string HtmlPages::home(const SearchResult& overview, const IndexSnapshot& snap,
                            const std::string& ui_lang) const {
  mstch::map ctx = base(ui_lang, strings_.at(ui_lang).at("tagline"), {}, "/");
  mstch::array browse;
  const auto& t = strings_.at(ui_lang);
  (void)snap;
  for (const auto& facet : overview.facets) {
    std::string heading_key;
    if (facet.name == "practice") heading_key = "browse_practice";
    if (facet.name == "actor") heading_key = "browse_actor";
    if (facet.name == "region") heading_key = "browse_region";
    if (heading_key.empty()) continue;
    mstch::array values;
    std::vector<FacetCount> sorted = facet.values;
    if (facet.name == "practice") {
      std::sort(sorted.begin(), sorted.end(), [](const FacetCount& a, const FacetCount& b) {
        return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
      });
    }
    for (const FacetCount& c : sorted) {
      values.push_back(
          mstch::map{{"label", c.label},
                     {"count", std::to_string(c.count)},
                     {"url", url_with("/search", {{facet.name, c.value}, {"lang", ui_lang}})}});
    }
    browse.push_back(mstch::map{{"heading", t.at(heading_key)}, {"values", values}});
  }
  ctx["browse"] = browse;
  ctx["lang_filter"] = mstch::array{ui_lang};
  return render("home", ctx);
}

std::string HtmlPages::search(const SearchRequest& request, const SearchResult& result,
                              const ParamList& params, const IndexSnapshot& snap,
                              const std::string& ui_lang) const {
  mstch::map ctx =
      base(ui_lang, request.query.empty() ? strings_.at(ui_lang).at("results") : request.query,
           params, "/search");
  ctx["query"] = request.query;
  ctx["total"] = std::to_string(result.total);
  ctx["sort_number"] = request.sort == SortOrder::kNumber;
  ctx["sort_relevance_url"] =
      url_with("/search", set_param(set_param(params, "page", ""), "sort", ""));
  ctx["sort_number_url"] =
      url_with("/search", set_param(set_param(params, "page", ""), "sort", "number"));
  mstch::array lang_filter;
  if (auto it = request.filters.find("lang"); it != request.filters.end()) {
    for (const auto& l : it->second) lang_filter.push_back(l);
  }
  ctx["lang_filter"] = lang_filter;

  mstch::array facets, chips;
  for (const FacetResult& f : result.facets) {
    mstch::array values;
    for (const FacetCount& c : f.values) {
      values.push_back(mstch::map{{"facet", f.name},
                                  {"value", c.value},
                                  {"label", c.label},
                                  {"count", std::to_string(c.count)},
                                  {"selected", c.selected}});
      if (c.selected) {
        chips.push_back(
            mstch::map{{"label", f.label + ": " + c.label},
                       {"remove_url", url_with("/search", toggle_param(params, f.name, c.value))}});
      }
    }
    if (!values.empty()) facets.push_back(mstch::map{{"label", f.label}, {"values", values}});
  }
  ctx["facets"] = facets;
  ctx["has_chips"] = !chips.empty();
  ctx["chips"] = chips;
  ParamList cleared;
  if (!request.query.empty()) cleared.emplace_back("q", request.query);
  ctx["clear_url"] = url_with("/search", cleared);

  if (!result.corrected_query.empty()) {
    ctx["corrected"] =
        mstch::map{{"text", result.corrected_query},
                   {"applied", result.correction_applied},
                   {"url", url_with("/search", set_param(params, "q", result.corrected_query))}};
  }
  ctx["syntax_fallback"] = result.syntax_fallback;

  const auto& t = strings_.at(ui_lang);
  mstch::array hits;
  for (const SearchHit& h : result.hits) {
    mstch::map hit{{"url", h.url},
                   {"title", h.item.title},
                   {"lang", h.item.lang},
                   {"dir", std::string(text_dir(h.item.lang))},
                   {"kind_label", snap.taxonomy.value_label("kind", h.item.kind, ui_lang)},
                   {"verified", h.item.verified},
                   {"passage", h.passage},
                   {"snippet_html", h.snippet_html},
                   {"practice_prefix", t.at("practice_prefix")},
                   {"tags", tag_labels(h.item, snap, ui_lang)}};
    if (h.item.number) hit["number"] = std::to_string(*h.item.number);
    hits.push_back(hit);
  }
  ctx["hits"] = hits;

  const long pages = (static_cast<long>(result.total) + request.per_page - 1) / request.per_page;
  if (pages > 1) {
    mstch::map pg{{"page", std::to_string(request.page)}, {"pages", std::to_string(pages)}};
    if (request.page > 1)
      pg["prev_url"] =
          url_with("/search", set_param(params, "page", std::to_string(request.page - 1)));
    if (request.page < pages)
      pg["next_url"] =
          url_with("/search", set_param(params, "page", std::to_string(request.page + 1)));
    ctx["pagination"] = pg;
  }
  return render("search", ctx);
}

std::string HtmlPages::document(const DocumentResult& doc, const std::vector<SearchHit>& related,
                                const IndexSnapshot& snap, const std::string& ui_lang) const {
  const StoredItem& it = doc.item;
  ParamList params{{"lang", it.lang}};
  mstch::map ctx = base(ui_lang, it.title, params, "/doc/" + it.id);
  const auto& t = strings_.at(ui_lang);
  ctx["title"] = it.title;
  ctx["item_lang"] = it.lang;
  ctx["item_dir"] = std::string(text_dir(it.lang));
  ctx["summary"] = it.summary;
  ctx["verified"] = it.verified;
  ctx["html"] = it.html;
  ctx["kind_label"] = snap.taxonomy.value_label("kind", it.kind, ui_lang);
  ctx["section_label"] = snap.taxonomy.value_label("section", it.section, ui_lang);
  ctx["practice_prefix"] = t.at("practice_prefix");
  if (it.number) ctx["number"] = std::to_string(*it.number);
  mstch::array passages;
  for (const StoredPassage& p : it.passages) {
    if (p.anchor == "overview") continue;
    passages.push_back(mstch::map{{"anchor", p.anchor}, {"heading", p.heading}});
  }
  ctx["passages"] = passages;
  ctx["citation"] = doc.citation.text;
  ctx["stable_url"] = doc.citation.stable_url;
  ctx["source_url"] = doc.citation.source_url;
  ctx["document_title"] = doc.citation.document_title;
  ctx["page"] = doc.citation.page;
  mstch::array translations;
  for (const Translation& tr : doc.translations) {
    translations.push_back(mstch::map{{"url", tr.url},
                                      {"lang", tr.lang},
                                      {"title", tr.title},
                                      {"lang_label", lang_name(tr.lang)}});
  }
  ctx["has_translations"] = !translations.empty();
  ctx["translations"] = translations;
  mstch::array rel;
  for (const SearchHit& h : related) {
    mstch::map r{
        {"url", h.url}, {"title", h.item.title}, {"practice_prefix", t.at("practice_prefix")}};
    if (h.item.number) r["number"] = std::to_string(*h.item.number);
    rel.push_back(r);
  }
  ctx["has_related"] = !rel.empty();
  ctx["related"] = rel;
  return render("doc", ctx);
}

std::string HtmlPages::error(int status, const std::string& message,
                             const std::string& ui_lang) const {
  mstch::map ctx = base(ui_lang, strings_.at(ui_lang).at("error_title"), {}, "/");
  ctx["status"] = std::to_string(status);
  ctx["message"] = message;
  return render("error", ctx);
}

}  // namespace nexuskb
