// The reading pack page: cover, contents, the items in order, and links that rewrite the pack.
#include "server/html_pages.h"

namespace nexuskb {

std::string HtmlPages::pack(const ReadingPack& pack, const PackRequest& request,
                            const IndexSnapshot& snap) const {
  const std::string& lang = pack.lang;
  const auto& t = strings_.at(lang);
  // Links are built from the items found, so a removed item drops out of the pack's URL.
  const std::vector<std::string> ids = pack.ids();
  const PackCarry carry{ids, request.title};
  std::string items_param;
  for (const auto& id : ids) items_param += (items_param.empty() ? "" : ",") + id;
  ParamList params{{"items", items_param}};
  if (!request.title.empty()) params.emplace_back("title", request.title);
  mstch::map ctx = base(lang, pack.title, params, "/pack", carry);

  ctx["title"] = pack.title;
  ctx["custom_title"] = request.title;
  ctx["date"] = pack.date;
  ctx["count"] = std::to_string(pack.items.size());
  ctx["has_items"] = !pack.items.empty();
  ctx["items_param"] = items_param;
  ctx["md_url"] = pack_url(ids, request.title, lang) + "&format=md";
  ctx["find_more_url"] = with_carry("/search?lang=" + lang, carry);
  ctx["clear_url"] = pack_url({}, "", lang);
  ctx["canonical_url"] = pack_url(ids, request.title, lang);
  mstch::array missing;
  for (const auto& id : pack.missing) missing.push_back(id);
  ctx["missing"] = missing;
  ctx["has_missing"] = !missing.empty();

  mstch::array items;
  const size_t n = pack.items.size();
  for (size_t i = 0; i < n; ++i) {
    const StoredItem& it = pack.items[i].doc.item;
    const Citation& c = pack.items[i].doc.citation;
    const std::string anchor = "item-" + it.id;
    auto rewrite = [&](const std::vector<std::string>& order) {
      return pack_url(order, request.title, lang) + "#" + anchor;
    };
    items.push_back(
        mstch::map{{"position", std::to_string(i + 1)},
                   {"id", it.id},
                   {"anchor", anchor},
                   {"title", it.title},
                   {"number", it.number ? std::to_string(*it.number) : std::string()},
                   {"lang", it.lang},
                   {"dir", std::string(text_direction(it.lang))},
                   {"fallback", !pack.items[i].requested_lang},
                   {"kind_label", snap.taxonomy.value_label("kind", it.kind, lang)},
                   {"section_label", snap.taxonomy.value_label("section", it.section, lang)},
                   {"verified", it.verified},
                   {"summary", it.summary},
                   {"html", nest_body_html(it.html, it.id + "--")},
                   {"citation", citation_text(it, c, t)},
                   {"stable_url", c.stable_url},
                   {"open_url", with_carry(c.stable_url, carry)},
                   {"source_url", c.source_url},
                   {"document_title", c.document_title},
                   {"page", c.page},
                   {"up_url", i > 0 ? rewrite(pack_swapped(ids, i, i - 1)) : std::string()},
                   {"down_url", i + 1 < n ? rewrite(pack_swapped(ids, i, i + 1)) : std::string()},
                   // After removing an item, land on the one that took its place (or the list).
                   {"remove_url", pack_url(pack_without(ids, i), request.title, lang) +
                                      (i + 1 < n ? "#item-" + pack.items[i + 1].doc.item.id
                                                 : std::string("#pack-contents"))}});
  }
  ctx["items"] = items;
  return render("pack", ctx);
}

}  // namespace nexuskb
