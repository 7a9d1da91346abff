#include "bench/peer_query.h"

#include <algorithm>
#include <regex>

namespace nexuskb::bench {
namespace {

// Appends code point `c` as UTF-8.
void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c >= 0xA0 && c <= 0xBF) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation: ’ – — … « »
  if (c == 0x060C || c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D)) return false;
  return true;
}

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x152) return 0x153;
  return c;
}

// Optimal string alignment distance, or 3 once it must exceed 2.
int osa_within_2(const std::u32string& a, const std::u32string& b) {
  const size_t n = a.size(), m = b.size();
  if (n > m + 2 || m > n + 2) return 3;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > 2) return 3;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], 3);
}

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

}  // namespace

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = s[i];
    char32_t c = b;
    size_t len = 1;
    if (b >= 0xF0 && i + 3 < s.size()) {
      c = (b & 0x07) << 18 | (s[i + 1] & 0x3F) << 12 | (s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
      len = 4;
    } else if (b >= 0xE0 && i + 2 < s.size()) {
      c = (b & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
      len = 3;
    } else if (b >= 0xC0 && i + 1 < s.size()) {
      c = (b & 0x1F) << 6 | (s[i + 1] & 0x3F);
      len = 2;
    }
    out += c;
    i += len;
  }
  return out;
}

int facet_index(std::string_view name) {
  for (size_t i = 0; i < kFacetCount; ++i) {
    if (name == kFacetNames[i]) return static_cast<int>(i);
  }
  return -1;
}

PeerRequest peer_request(const Params& params) {
  PeerRequest r;
  for (const auto& [k, v] : params) {
    if (k == "q")
      r.text = v;
    else if (k == "page")
      r.page = std::max(1, std::stoi(v));
    else if (k == "per_page")
      r.per_page = std::clamp(std::stoi(v), 1, 100);
    else if (facet_index(k) >= 0)
      r.filters[k].push_back(v);
  }
  return r;
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char32_t c : to_u32(text)) {
    if (is_word_char(c)) {
      append_utf8(cur, lower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

QueryText read_query(std::string text, const std::unordered_set<std::string>& stopwords) {
  QueryText q;
  // nexuskb's pattern for practice mentions (server/query_builder.cpp).
  static const std::regex mention(
      R"((?:\b(?:good|bonnes?)\s+(?:practices?|pratiques?)|\bgps?|\bbps?)\s*(?:no\.?|n°|#)?\s*(\d{1,3})\b)");
  const std::string lowered = ascii_lower(text);
  std::string kept;
  size_t last = 0;
  for (auto it = std::sregex_iterator(lowered.begin(), lowered.end(), mention);
       it != std::sregex_iterator(); ++it) {
    q.practices.push_back(std::stoi((*it)[1].str()));
    kept.append(text, last, it->position() - last);
    kept += ' ';
    last = it->position() + it->length();
  }
  kept.append(text, last, std::string::npos);

  std::vector<std::vector<std::string>> parts;
  bool quoted = false;
  std::string chunk;
  auto flush = [&](bool phrase) {
    if (phrase) {
      if (auto t = tokenize(chunk); !t.empty()) parts.push_back(std::move(t));
    } else {
      size_t start = 0;
      while (start < chunk.size()) {
        size_t end = chunk.find_first_of(" \t\n", start);
        if (end == std::string::npos) end = chunk.size();
        const std::string word = chunk.substr(start, end - start);
        start = end + 1;
        if (word == "AND" || word == "OR" || word == "NOT") continue;  // operators
        if (auto t = tokenize(word); !t.empty()) parts.push_back(std::move(t));
      }
    }
    chunk.clear();
  };
  for (char c : kept) {
    if (c == '"') {
      flush(quoted);
      quoted = !quoted;
    } else {
      chunk += c;
    }
  }
  flush(quoted);
  for (auto& p : parts) {
    if (std::find(q.parts.begin(), q.parts.end(), p) != q.parts.end()) continue;
    q.parts.push_back(std::move(p));
  }
  // Stop words go, unless nothing else is left.
  std::vector<std::vector<std::string>> content;
  for (const auto& p : q.parts) {
    if (p.size() > 1 || !stopwords.count(p[0])) content.push_back(p);
  }
  if (!content.empty()) q.parts = std::move(content);
  return q;
}

std::string query_string(const QueryText& q) {
  std::string out;
  for (const auto& p : q.parts) {
    std::string s;
    for (const auto& t : p) s += (s.empty() ? "" : " ") + t;
    out += (out.empty() ? "" : " ") + (p.size() > 1 ? "\"" + s + "\"" : s);
  }
  for (int n : q.practices) out += (out.empty() ? "GP " : " GP ") + std::to_string(n);
  return out;
}

namespace {

// FNV-1a of `w` without its letter at `skip` (skip >= size: the whole word).
uint64_t fnv1a(const std::u32string& w, size_t skip) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i == skip) continue;
    h = (h ^ static_cast<uint64_t>(w[i])) * 1099511628211ull;
  }
  return h;
}

}  // namespace

void Speller::add(const std::string& word, long freq) {
  auto [it, fresh] = freq_.emplace(word, freq);
  if (!fresh) return;
  std::u32string w = to_u32(word);
  const auto id = static_cast<uint32_t>(words_.size());
  if (by_length_.size() <= w.size()) by_length_.resize(w.size() + 1);
  by_length_[w.size()].push_back(id);
  deletes_.emplace_back(fnv1a(w, w.size()), id);  // the word itself
  for (size_t i = 0; i < w.size(); ++i) deletes_.emplace_back(fnv1a(w, i), id);
  words_.emplace_back(std::move(w), freq);
  sorted_ = false;
}

std::string Speller::suggest(const std::string& word) const {
  const std::u32string w = to_u32(word);
  if (w.size() < 3) return "";  // too short to correct safely
  if (!sorted_) {
    std::sort(deletes_.begin(), deletes_.end());
    sorted_ = true;
  }
  int best_d = 3;
  long best_f = -1;
  const std::u32string* best = nullptr;
  auto consider = [&](uint32_t id) {
    const auto& [cand, f] = words_[id];
    const int d = osa_within_2(w, cand);
    if (d < best_d || (d == best_d && d <= 2 && f > best_f)) {
      best_d = d;
      best_f = f;
      best = &cand;
    }
  };
  for (size_t skip = 0; skip <= w.size(); ++skip) {  // skip == size: the word itself
    const uint64_t h = fnv1a(w, skip);
    auto range =
        std::equal_range(deletes_.begin(), deletes_.end(), std::pair<uint64_t, uint32_t>{h, 0},
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) consider(it->second);
  }
  if (best_d > 1) {  // nothing within one edit: compare the words of similar length
    const size_t lo = w.size() > 2 ? w.size() - 2 : 0;
    for (size_t len = lo; len <= w.size() + 2 && len < by_length_.size(); ++len) {
      for (uint32_t id : by_length_[len]) consider(id);
    }
  }
  if (!best || best_d > 2) return "";
  std::string out;
  for (char32_t c : *best) append_utf8(out, c);
  return out;
}

bool Speller::correct(QueryText& q) const {
  bool changed = false;
  for (auto& part : q.parts) {
    for (auto& token : part) {
      if (known(token)) continue;
      std::string s = suggest(token);
      if (s.empty()) continue;
      token = std::move(s);
      changed = true;
    }
  }
  return changed;
}

void FacetTable::add(int code, size_t facet, const std::string& value) {
  if (code < 0) return;
  if (facet_.size() <= static_cast<size_t>(code)) {
    facet_.resize(code + 1, 255);
    value_.resize(code + 1);
  }
  facet_[code] = static_cast<uint8_t>(facet);
  value_[code] = value;
  codes_[{facet, value}] = code;
}

int FacetTable::code(size_t facet, const std::string& value) const {
  auto it = codes_.find({facet, value});
  return it == codes_.end() ? -1 : it->second;
}

}  // namespace nexuskb::bench
