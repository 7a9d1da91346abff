// JSON (de)serialisation of StoredItem.
#include "core/stored_item.h"

namespace nexuskb {

std::string StoredItem::to_data() const {
  nlohmann::json j{
      {"id", id},
      {"lang", lang},
      {"kind", kind},
      {"title", title},
      {"section", section},
      {"summary", summary},
      {"html", html},
      {"path", path},
      {"practices", practices},
      {"actors", actors},
      {"regions", regions},
      {"themes", themes},
      {"source", {{"document", source_document}, {"url", source_url}, {"page", source_page}}},
      {"verified", verified}};
  j["number"] = number ? nlohmann::json(*number) : nlohmann::json(nullptr);
  j["passages"] = nlohmann::json::array();
  for (const StoredPassage& p : passages) {
    j["passages"].push_back(
        {{"anchor", p.anchor}, {"heading", p.heading}, {"text", p.text}, {"pos", p.first_pos}});
  }
  return j.dump();
}

StoredItem StoredItem::from_data(const std::string& data) {
  const nlohmann::json j = nlohmann::json::parse(data);
  StoredItem s;
  s.id = j.at("id");
  s.lang = j.at("lang");
  s.kind = j.at("kind");
  s.title = j.at("title");
  s.section = j.at("section");
  s.summary = j.at("summary");
  s.html = j.at("html");
  s.path = j.value("path", "");
  if (!j.at("number").is_null()) s.number = j.at("number").get<int>();
  s.practices = j.at("practices").get<std::vector<int>>();
  s.actors = j.at("actors").get<std::vector<std::string>>();
  s.regions = j.at("regions").get<std::vector<std::string>>();
  s.themes = j.at("themes").get<std::vector<std::string>>();
  s.source_document = j.at("source").at("document");
  s.source_url = j.at("source").at("url");
  s.source_page = j.at("source").at("page");
  s.verified = j.at("verified");
  for (const auto& p : j.at("passages")) {
    s.passages.push_back({p.at("anchor"), p.at("heading"), p.at("text"), p.value("pos", 0u)});
  }
  return s;
}

}  // namespace nexuskb
