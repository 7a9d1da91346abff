// HTML view models for the item page and the about page.
#include <algorithm>
#include <tuple>

#include "server/html_pages.h"

#include "core/schema.h"
#include "server/pack.h"
#include "server/url.h"

namespace nexuskb {
namespace {

constexpr const char* kUiLangs[] = {"en", "fr", "ar"};

}  // namespace

std::string HtmlPages::document(const DocumentResult& doc, const std::vector<SearchHit>& related,
                                const IndexSnapshot& snap, const std::string& ui_lang,
                                const PackCarry& carry) const {
  const StoredItem& it = doc.item;
  const auto& t = strings_.at(ui_lang);
  ParamList params{{"lang", it.lang}};
  for (auto& p : carry_params(carry)) params.push_back(p);
  mstch::map ctx = base(ui_lang, it.title, params, "/doc/" + it.id, carry);

  // The language switcher opens a translation where there is one, else this item in another UI.
  mstch::array languages;
  for (const char* code : kUiLangs) {
    bool has_version = it.lang == code;
    for (const Translation& tr : doc.translations) has_version = has_version || tr.lang == code;
    ParamList p{{"lang", has_version ? std::string(code) : it.lang}};
    if (!has_version) p.emplace_back("ui", code);
    for (auto& c : carry_params(carry)) p.push_back(c);
    languages.push_back(mstch::map{{"code", std::string(code)},
                                   {"name", language_name(code)},
                                   {"current", ui_lang == code},
                                   {"url", url_with("/doc/" + it.id, p)}});
  }
  ctx["languages"] = languages;

  ctx["id"] = it.id;
  ctx["title"] = it.title;
  ctx["item_lang"] = it.lang;
  ctx["item_dir"] = std::string(text_direction(it.lang));
  ctx["summary"] = it.summary;
  ctx["verified"] = it.verified;
  ctx["html"] = it.html;
  ctx["kind_label"] = snap.taxonomy.value_label("kind", it.kind, ui_lang);
  ctx["section_label"] = snap.taxonomy.value_label("section", it.section, ui_lang);
  const FacetDefinition* section = snap.taxonomy.facet("section");
  ctx["section_name"] = section ? section->labels.get(ui_lang, "section") : std::string("Section");
  ctx["number"] = it.number ? std::to_string(*it.number) : std::string();
  mstch::array passages;
  for (const StoredPassage& p : it.passages) {
    if (p.anchor == "overview" || p.heading.empty()) continue;
    passages.push_back(mstch::map{{"anchor", p.anchor}, {"heading", p.heading}});
  }
  ctx["passages"] = passages;

  // Facts: each value links to the items that share it.
  mstch::array facts;
  auto add_fact = [&](const std::string& facet, const std::vector<std::string>& values) {
    if (values.empty()) return;
    mstch::array links;
    for (const auto& v : values) {
      ParamList link{{facet, v}, {"lang", it.lang}};
      for (auto& c : carry_params(carry)) link.push_back(c);
      links.push_back(
          mstch::map{{"label", facet == "practice" ? t.at("practice_prefix") + " " + v
                                                   : snap.taxonomy.value_label(facet, v, ui_lang)},
                     {"url", url_with("/search", link)}});
    }
    const FacetDefinition* def = snap.taxonomy.facet(facet);
    const std::string label = facet == "practice" ? t.at("practices_label")
                              : def               ? def->labels.get(ui_lang, facet)
                                                  : facet;
    facts.push_back(mstch::map{{"label", label}, {"links", links}});
  };
  std::vector<std::string> practices;
  for (int n : it.practices) practices.push_back(std::to_string(n));
  add_fact("practice", practices);
  add_fact("actor", it.actors);
  add_fact("region", it.regions);
  add_fact("theme", it.themes);
  ctx["facts"] = facts;

  ctx["citation"] = citation_text(it, doc.citation, t);
  ctx["stable_url"] = doc.citation.stable_url;
  ctx["source_url"] = doc.citation.source_url;
  ctx["document_title"] = doc.citation.document_title;
  ctx["page"] = doc.citation.page;
  const bool in_pack = std::find(carry.ids.begin(), carry.ids.end(), it.id) != carry.ids.end();
  ctx["in_pack"] = in_pack;
  ctx["add_url"] = pack_url(pack_with(carry.ids, it.id), carry.title, ui_lang);

  mstch::array translations;
  for (const Translation& tr : doc.translations) {
    translations.push_back(mstch::map{{"url", with_carry(tr.url, carry)},
                                      {"lang", tr.lang},
                                      {"dir", std::string(text_direction(tr.lang))},
                                      {"title", tr.title},
                                      {"lang_label", language_name(tr.lang)}});
  }
  ctx["has_translations"] = !translations.empty();
  ctx["translations"] = translations;
  mstch::array rel;
  for (const SearchHit& h : related) {
    rel.push_back(
        mstch::map{{"url", with_carry(h.url, carry)},
                   {"title", h.item.title},
                   {"lang", h.item.lang},
                   {"number", h.item.number ? std::to_string(*h.item.number) : std::string()}});
  }
  ctx["has_related"] = !rel.empty();
  ctx["related"] = rel;
  return render("doc", ctx);
}

std::string HtmlPages::about(const IndexSnapshot& snap, const std::string& example,
                             const std::string& ui_lang, const PackCarry& carry) const {
  mstch::map ctx =
      base(ui_lang, strings_.at(ui_lang).at("about_title"), carry_params(carry), "/about", carry);
  // The dated GCTF and UNICRI documents first, by year; collections next; nexuskb's own last.
  std::vector<const SourceDocument*> docs;
  for (const auto& [key, d] : snap.taxonomy.documents()) docs.push_back(&d);
  auto rank = [](const SourceDocument* d) {
    return std::make_tuple(d->publisher == "nexuskb", d->year == 0, d->year, d->title);
  };
  std::sort(docs.begin(), docs.end(),
            [&](const SourceDocument* a, const SourceDocument* b) { return rank(a) < rank(b); });
  mstch::array sources;
  for (const SourceDocument* doc : docs) {
    const SourceDocument& d = *doc;
    sources.push_back(mstch::map{{"title", d.title},
                                 {"publisher", d.publisher},
                                 {"year", d.year ? std::to_string(d.year) : std::string()},
                                 {"url", d.url}});
  }
  ctx["sources"] = sources;
  ctx["example"] = example;
  return render("about", ctx);
}

std::string HtmlPages::glossary(const Glossary& glossary, const std::string& query,
                                const std::string& ui_lang, const PackCarry& carry) const {
  const auto& t = strings_.at(ui_lang);
  ParamList params = carry_params(carry);
  if (!query.empty()) params.emplace_back("q", query);
  mstch::map ctx = base(ui_lang, t.at("glossary"), params, "/glossary", carry);
  ctx["query"] = query;
  mstch::array entries;
  const auto found = glossary.find(query);
  for (const GlossaryEntry* e : found) {
    mstch::array columns;
    for (std::string_view lang : schema::kLanguages) {
      const std::string code(lang);
      mstch::array terms;
      auto it = e->terms.find(code);
      if (it != e->terms.end()) {
        for (const std::string& term : it->second) terms.push_back(term);
      }
      columns.push_back(
          mstch::map{{"lang", code}, {"dir", std::string(text_direction(code))}, {"terms", terms}});
    }
    auto d = e->definition.find(ui_lang);
    entries.push_back(mstch::map{
        {"id", e->id},
        {"columns", columns},
        {"definition", d == e->definition.end() ? std::string() : d->second},
        {"search_url",
         with_carry("/search?lang=" + ui_lang + "&q=" +
                        url_encode(e->terms.count(ui_lang) ? e->terms.at(ui_lang).front()
                                                           : e->terms.begin()->second.front()),
                    carry)}});
  }
  ctx["has_entries"] = !entries.empty();
  ctx["entries"] = entries;
  ctx["count"] = std::to_string(found.size());
  ctx["glossary_url"] = with_carry("/glossary?lang=" + ui_lang, carry);
  return render("glossary", ctx);
}

}  // namespace nexuskb
