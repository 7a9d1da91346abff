// HTML view models: the page frame, the start page, results and errors (items and the about
// page are in html_pages_item.cpp, the reading pack in pack_page.cpp).
//
// Mustache looks a missing key up in the enclosing contexts, so every map used inside a section
// sets each key its template reads (an item without a number would otherwise show its parent's).
#include "server/html_pages.h"

#include "server/hit_builder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nexuskb {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUiLangs[] = {"en", "fr", "ar"};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read template file " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mstch::array tag_labels(const StoredItem& item, const IndexSnapshot& snap,
                        const std::string& lang) {
  mstch::array tags;
  for (const auto& a : item.actors) tags.push_back(snap.taxonomy.value_label("actor", a, lang));
  for (const auto& r : item.regions) tags.push_back(snap.taxonomy.value_label("region", r, lang));
  return tags;
}

// Numbered page links around the current page, with the first and last always reachable.
mstch::map pagination(const SearchRequest& request, long total, const ParamList& params) {
  // No link past the depth the API answers (page * per_page at most max_result_depth).
  const long deepest = RequestLimits{}.max_result_depth / request.per_page;
  const long pages = std::min((total + request.per_page - 1) / request.per_page, deepest);
  const long current = request.page;
  auto page_url = [&](long n) {
    return url_with("/search", set_param(params, "page", n == 1 ? "" : std::to_string(n)));
  };
  mstch::array links;
  long last_shown = 0;
  for (long n = 1; n <= pages; ++n) {
    if (n != 1 && n != pages && (n < current - 2 || n > current + 2)) continue;
    if (n > last_shown + 1) {
      links.push_back(mstch::map{
          {"n", std::string()}, {"gap", true}, {"current", false}, {"url", std::string()}});
    }
    links.push_back(mstch::map{
        {"n", std::to_string(n)}, {"gap", false}, {"current", n == current}, {"url", page_url(n)}});
    last_shown = n;
  }
  return mstch::map{{"page", std::to_string(current)},
                    {"pages", std::to_string(pages)},
                    {"links", links},
                    {"prev_url", current > 1 ? page_url(current - 1) : std::string()},
                    {"next_url", current < pages ? page_url(current + 1) : std::string()}};
}

}  // namespace

std::string url_with(const std::string& path, const ParamList& params) {
  std::string qs = query_string(params);
  return qs.empty() ? path : path + "?" + qs;
}

mstch::array hidden_inputs(const ParamList& params) {
  mstch::array out;
  for (const auto& [name, value] : params)
    out.push_back(mstch::map{{"name", name}, {"value", value}});
  return out;
}

const char* text_direction(const std::string& lang) {
  return lang == "ar" ? "rtl" : "ltr";
}

std::string language_name(const std::string& code) {
  if (code == "fr") return "Français";
  if (code == "ar") return "العربية";
  return "English";
}

std::string choose_ui_language(const QueryParams& params, const std::string& accept_language) {
  auto valid = [](const std::string& l) { return l == "en" || l == "fr" || l == "ar"; };
  for (const char* key : {"ui", "lang"}) {
    if (auto it = params.find(key); it != params.end() && valid(it->second)) return it->second;
  }
  // Accept-Language: "fr-FR,fr;q=0.9,en;q=0.8" — the supported language with the highest q.
  std::string best = "en";
  double best_q = 0;
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
    if (valid(primary) && q > best_q) {  // q=0 means "not acceptable" (RFC 9110, 12.4.2)
      best = primary;
      best_q = q;
    }
  }
  return best;
}

HtmlPages::HtmlPages(const std::string& templates_dir) {
  const fs::path dir(templates_dir);
  for (const char* name : {"home", "search", "doc", "pack", "about", "error", "glossary"}) {
    templates_[name] = slurp(dir / (std::string(name) + ".mustache"));
  }
  for (const char* name : {"head", "foot", "searchbox", "hit"}) {
    partials_[name] = slurp(dir / (std::string(name) + ".mustache"));
  }
  for (const char* lang : kUiLangs) {
    auto j = nlohmann::json::parse(slurp(dir / "i18n" / (std::string(lang) + ".json")));
    mstch::map m;
    for (const auto& [k, v] : j.items()) {
      m[k] = v.get<std::string>();
      strings_[lang][k] = v.get<std::string>();
    }
    messages_[lang] = std::move(m);
  }
  for (const char* lang : kUiLangs) {
    for (const auto& [key, text] : strings_.at("en")) {
      if (strings_.at(lang).count(key) == 0) {
        throw std::runtime_error("templates/i18n/" + std::string(lang) + ".json lacks '" + key +
                                 "'");
      }
    }
  }
}

std::string HtmlPages::render(const std::string& name, const mstch::map& context) const {
  return mstch::render(templates_.at(name), context, partials_);
}

mstch::map HtmlPages::base(const std::string& ui_lang, const std::string& page_title,
                           const ParamList& params, const std::string& path,
                           const PackCarry& carry) const {
  mstch::array languages;
  for (const char* code : kUiLangs) {
    languages.push_back(mstch::map{
        {"code", std::string(code)},
        {"name", language_name(code)},
        {"current", ui_lang == code},
        {"url", url_with(path, set_param(set_param(set_param(params, "page", ""), "ui", ""), "lang",
                                         code))}});
  }
  return mstch::map{
      {"ui_lang", ui_lang},
      {"dir", std::string(text_direction(ui_lang))},
      {"page_title", page_title},
      {"t", messages_.at(ui_lang)},
      {"languages", languages},
      {"query", std::string()},
      {"home_url", with_carry("/?lang=" + ui_lang, carry)},
      {"about_url", with_carry("/about?lang=" + ui_lang, carry)},
      {"glossary_url", with_carry("/glossary?lang=" + ui_lang, carry)},
      {"pack_url",
       carry.ids.empty() ? "/pack?lang=" + ui_lang : pack_url(carry.ids, carry.title, ui_lang)},
      {"pack_count", carry.ids.empty() ? std::string() : std::to_string(carry.ids.size())},
      {"carry", hidden_inputs(carry_params(carry))},
      {"lang_filter", mstch::array{}}};
}

std::string HtmlPages::home(const SearchResult& overview, const std::string& ui_lang,
                            const PackCarry& carry) const {
  const auto& t = strings_.at(ui_lang);
  mstch::map ctx = base(ui_lang, t.at("tagline"), carry_params(carry), "/", carry);
  mstch::array browse;
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
      ParamList link{{facet.name, c.value}, {"lang", ui_lang}};
      for (auto& p : carry_params(carry)) link.push_back(p);
      values.push_back(mstch::map{{"label", c.label},
                                  {"count", std::to_string(c.count)},
                                  {"url", url_with("/search", link)}});
    }
    browse.push_back(mstch::map{
        {"heading", t.at(heading_key)}, {"id", "browse-" + facet.name}, {"values", values}});
  }
  ctx["browse"] = browse;
  ctx["total"] = std::to_string(overview.total);
  ctx["browse_all_url"] = with_carry("/search?lang=" + ui_lang, carry);
  ctx["lang_filter"] = mstch::array{ui_lang};
  return render("home", ctx);
}

std::string HtmlPages::search(const SearchRequest& request, const SearchResult& result,
                              const ParamList& params, const IndexSnapshot& snap,
                              const std::string& ui_lang, const PackCarry& carry) const {
  const auto& t = strings_.at(ui_lang);
  mstch::map ctx = base(ui_lang, request.query.empty() ? t.at("search_results") : request.query,
                        params, "/search", carry);
  ctx["query"] = request.query;
  ctx["total"] = std::to_string(result.total);
  ctx["sort_number"] = request.sort == SortOrder::kNumber;
  // Without words the default order is by number, so relevance must then be asked for.
  ctx["sort_relevance_url"] = url_with(
      "/search",
      set_param(set_param(params, "page", ""), "sort", request.query.empty() ? "relevance" : ""));
  ctx["sort_number_url"] =
      url_with("/search", set_param(set_param(params, "page", ""), "sort", "number"));
  mstch::array lang_filter;
  if (auto it = request.filters.find("lang"); it != request.filters.end()) {
    for (const auto& l : it->second) lang_filter.push_back(l);
  }
  ctx["lang_filter"] = lang_filter;

  // What the facet form must resend besides its checkboxes.
  ParamList keep;
  if (!request.query.empty()) keep.emplace_back("q", request.query);
  for (const auto& p : params)
    if (p.first == "sort") keep.push_back(p);
  if (request.per_page != SearchRequest{}.per_page)
    keep.emplace_back("per_page", std::to_string(request.per_page));
  for (const auto& p : params)
    if (p.first == "ui") keep.push_back(p);
  for (auto& p : carry_params(carry)) keep.push_back(p);
  ctx["facet_hidden"] = hidden_inputs(keep);

  // The facets people filter by most come first (DESIGN: practice, actor type, region).
  std::vector<const FacetResult*> ordered;
  for (const char* name : {"actor", "region", "practice", "kind", "theme", "section", "lang"}) {
    for (const FacetResult& f : result.facets)
      if (f.name == name) ordered.push_back(&f);
  }
  for (const FacetResult& f : result.facets) {
    if (std::find(ordered.begin(), ordered.end(), &f) == ordered.end()) ordered.push_back(&f);
  }
  mstch::array facets, chips;
  for (const FacetResult* facet : ordered) {
    const FacetResult& f = *facet;
    mstch::array values;
    for (const FacetCount& c : f.values) {
      values.push_back(mstch::map{{"facet", f.name},
                                  {"value", c.value},
                                  {"label", c.label},
                                  {"count", std::to_string(c.count)},
                                  {"selected", c.selected}});
      if (c.selected) {
        chips.push_back(
            mstch::map{{"label", f.label + t.at("colon") + " " + c.label},
                       {"remove_url", url_with("/search", toggle_param(params, f.name, c.value))}});
      }
    }
    if (!values.empty()) {
      facets.push_back(mstch::map{{"label", f.label}, {"name", f.name}, {"values", values}});
    }
  }
  ctx["facets"] = facets;
  ctx["has_chips"] = !chips.empty();
  ctx["chips"] = chips;
  ParamList cleared;
  if (!request.query.empty()) cleared.emplace_back("q", request.query);
  for (auto& p : carry_params(carry)) cleared.push_back(p);
  ctx["clear_url"] = url_with("/search", cleared);

  if (!result.corrected_query.empty()) {
    ctx["corrected"] = mstch::map{
        {"text", result.corrected_query},
        {"applied", result.correction_applied},
        {"url", url_with("/search",
                         set_param(set_param(params, "page", ""), "q", result.corrected_query))}};
  }
  ctx["syntax_fallback"] = result.syntax_fallback;
  ctx["words_dropped"] = result.words_dropped;
  ctx["relaxed"] = result.relaxed;

  // Items with every word first, then those with some of them, shown apart so that nobody takes
  // a partial match for a full one (relevance order only: sorted by number, tiers interleave).
  const bool tiered = request.sort == SortOrder::kRelevance &&
                      result.total_all_words < result.total && !request.query.empty();
  if (tiered) {
    ctx["tiers"] = true;
    ctx["tiers_text"] =
        std::to_string(result.total_all_words) + " " + t.at("tier_all") + ", " + t.at("tier_then") +
        " " + std::to_string(result.total - result.total_all_words) + " " + t.at("tier_some");
  }
  mstch::array hits_all, hits_some;
  for (const SearchHit& h : result.hits) {
    const bool in_pack =
        std::find(carry.ids.begin(), carry.ids.end(), h.item.id) != carry.ids.end();
    mstch::array others;
    for (const std::string& code : h.other_languages) {
      others.push_back(mstch::map{{"code", code},
                                  {"label", snap.taxonomy.value_label("lang", code, ui_lang)},
                                  {"url", with_carry(item_url(h.item.id, code, ""), carry)}});
    }
    (tiered && !h.all_words ? hits_some : hits_all)
        .push_back(mstch::map{
            {"id", h.item.id},
            {"url", with_carry(h.url, carry)},
            {"title", h.item.title},
            {"lang", h.item.lang},
            {"dir", std::string(text_direction(h.item.lang))},
            {"lang_label", snap.taxonomy.value_label("lang", h.item.lang, ui_lang)},
            {"other_languages", others},
            {"kind_label", snap.taxonomy.value_label("kind", h.item.kind, ui_lang)},
            {"verified", h.item.verified},
            {"passage", request.query.empty() ? std::string() : h.passage},
            {"snippet_html", h.snippet_html},
            {"number", h.item.number ? std::to_string(*h.item.number) : std::string()},
            {"tags", tag_labels(h.item, snap, ui_lang)},
            {"in_pack", in_pack},
            {"add_url", pack_url(pack_with(carry.ids, h.item.id), carry.title, ui_lang)}});
  }
  ctx["has_all_hits"] = !hits_all.empty();
  ctx["has_some_hits"] = !hits_some.empty();
  ctx["hits"] = !hits_all.empty() || !hits_some.empty();
  ctx["hits_all"] = hits_all;
  ctx["hits_some"] = hits_some;
  if (result.total > static_cast<Xapian::doccount>(request.per_page)) {
    ctx["pagination"] = pagination(request, static_cast<long>(result.total), params);
  }
  return render("search", ctx);
}

std::string HtmlPages::error(int status, const std::string& message,
                             const std::string& ui_lang) const {
  mstch::map ctx = base(ui_lang, strings_.at(ui_lang).at("error_title"), {}, "/", PackCarry{});
  ctx["status"] = std::to_string(status);
  ctx["message"] = message;
  return render("error", ctx);
}

}  // namespace nexuskb
