// The citation line.
#include "server/citation.h"

namespace nexuskb {

CitationWords citation_words(const std::map<std::string, std::string>& messages) {
  CitationWords w;
  auto take = [&](const char* key, std::string& word) {
    if (auto it = messages.find(key); it != messages.end() && !it->second.empty())
      word = it->second;
  };
  take("cite_good_practice", w.good_practice);
  take("colon", w.colon);
  take("cite_paraphrased", w.paraphrased);
  take("page_abbrev", w.page_abbrev);
  take("cite_item", w.item);
  take("cite_unverified", w.unverified);
  return w;
}

std::string citation_line(const StoredItem& item, const Citation& c, const CitationWords& words) {
  std::string label = item.title;
  if (item.number && item.kind == "practice") {
    label = words.good_practice + " " + std::to_string(*item.number) + words.colon + " " + label;
  }
  std::string text = label + ". " + words.paraphrased + " " + c.document_title;
  if (!c.publisher.empty()) {
    text += " (" + c.publisher + (c.year ? ", " + std::to_string(c.year) : "") + ")";
  }
  if (!c.page.empty()) text += ", " + words.page_abbrev + " " + c.page;
  text += ". " + words.item + " " + item.id + " [" + item.lang + "]";
  text += item.verified ? "." : "; " + words.unverified + ".";
  return text;
}

}  // namespace nexuskb
