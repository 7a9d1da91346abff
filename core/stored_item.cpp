// JSON (de)serialisation of StoredItem and StoredDocument; packed slot texts.
#include "core/stored_item.h"

namespace nexuskb {
namespace {

nlohmann::json version_json(const StoredItem& item);
StoredItem version_from_json(const nlohmann::json& j);

}  // namespace

const StoredItem* StoredDocument::version(std::string_view lang) const {
  for (const StoredItem& v : versions) {
    if (v.lang == lang) return &v;
  }
  return nullptr;
}

size_t StoredDocument::first_passage(size_t v) const {
  size_t first = 0;
  for (size_t i = 0; i < v && i < versions.size(); ++i) first += versions[i].passages.size();
  return first;
}

std::vector<std::string> StoredDocument::languages() const {
  std::vector<std::string> out;
  for (const StoredItem& v : versions) out.push_back(v.lang);
  return out;
}

std::string StoredDocument::to_data() const {
  nlohmann::json j = nlohmann::json::array();
  for (const StoredItem& v : versions) j.push_back(version_json(v));
  return j.dump();
}

StoredDocument StoredDocument::from_data(const std::string& data) {
  const nlohmann::json j = nlohmann::json::parse(data);
  StoredDocument d;
  for (const auto& v : j) d.versions.push_back(version_from_json(v));
  return d;
}

std::string StoredItem::to_data() const {
  return version_json(*this).dump();
}

StoredItem StoredItem::from_data(const std::string& data) {
  return version_from_json(nlohmann::json::parse(data));
}

namespace {

nlohmann::json version_json(const StoredItem& it) {
  nlohmann::json j{
      {"id", it.id},
      {"lang", it.lang},
      {"kind", it.kind},
      {"title", it.title},
      {"section", it.section},
      {"summary", it.summary},
      {"html", it.html},
      {"path", it.path},
      {"practices", it.practices},
      {"actors", it.actors},
      {"regions", it.regions},
      {"themes", it.themes},
      {"source",
       {{"document", it.source_document}, {"url", it.source_url}, {"page", it.source_page}}},
      {"verified", it.verified}};
  j["number"] = it.number ? nlohmann::json(*it.number) : nlohmann::json(nullptr);
  j["tpos"] = it.title_pos;
  j["passages"] = nlohmann::json::array();
  for (const StoredPassage& p : it.passages) {
    j["passages"].push_back({{"anchor", p.anchor}, {"heading", p.heading}, {"pos", p.first_pos}});
  }
  return j;
}

StoredItem version_from_json(const nlohmann::json& j) {
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
  s.title_pos = j.value("tpos", 0u);
  for (const auto& p : j.at("passages")) {
    s.passages.push_back({p.at("anchor"), p.at("heading"), "", p.value("pos", 0u)});
  }
  return s;
}

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

std::string pack_texts(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& text : texts) {
    for (size_t n = text.size();; n >>= 7) {
      out += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      if (n < 0x80) break;
    }
    out += text;
  }
  return out;
}

std::string pack_passage_texts(const std::vector<StoredPassage>& passages) {
  std::vector<std::string> texts;
  for (const StoredPassage& p : passages) texts.push_back(p.text);
  return pack_texts(texts);
}

std::string passage_text(std::string_view packed, size_t index) {
  return packed_text(packed, index);
}

std::string packed_text(std::string_view packed, size_t index) {
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
