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
    j["passages"].push_back({{"anchor", p.anchor}, {"heading", p.heading}, {"pos", p.first_pos}});
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
    s.passages.push_back({p.at("anchor"), p.at("heading"), "", p.value("pos", 0u)});
  }
  return s;
}

namespace {

// Reads the varint at `pos` and moves past it; false when malformed.
bool read_length(std::string_view packed, size_t& pos, size_t& length) {
  length = 0;
  for (int shift = 0; pos < packed.size() && shift < 35; shift += 7) {
    const auto byte = static_cast<unsigned char>(packed[pos++]);
    length |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return length <= packed.size() - pos;
  }
  return false;
}

}  // namespace

std::string pack_passage_texts(const std::vector<StoredPassage>& passages) {
  std::string out;
  for (const StoredPassage& p : passages) {
    for (size_t n = p.text.size();; n >>= 7) {
      out += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      if (n < 0x80) break;
    }
    out += p.text;
  }
  return out;
}

std::string passage_text(std::string_view packed, size_t index) {
  size_t pos = 0, length = 0;
  for (size_t i = 0; read_length(packed, pos, length); ++i, pos += length) {
    if (i == index) return std::string(packed.substr(pos, length));
  }
  return {};
}

void fill_passage_texts(std::vector<StoredPassage>& passages, std::string_view packed) {
  size_t pos = 0, length = 0;
  for (size_t i = 0; i < passages.size() && read_length(packed, pos, length); ++i, pos += length) {
    passages[i].text = std::string(packed.substr(pos, length));
  }
}

}  // namespace nexuskb
