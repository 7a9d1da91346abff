// Text utilities.
#include "core/text.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <utility>

#include "core/schema.h"

namespace nexuskb {
namespace {

// Two-byte UTF-8 Latin letters common in French, folded to ASCII for readable anchors.
constexpr std::array<std::pair<std::string_view, char>, 32> kFolds{{
    {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"ç", 'c'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
    {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'}, {"ÿ", 'y'},
    {"À", 'a'}, {"Â", 'a'}, {"Ä", 'a'}, {"Ç", 'c'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'}, {"Ë", 'e'},
    {"Î", 'i'}, {"Ï", 'i'}, {"Ô", 'o'}, {"Ö", 'o'}, {"Ù", 'u'}, {"Û", 'u'}, {"Ü", 'u'}, {"Ÿ", 'y'},
}};

size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 0;
}

}  // namespace

std::string slugify(std::string_view heading) {
  std::string out;
  bool pending_dash = false;
  auto emit = [&](std::string_view piece) {
    if (pending_dash && !out.empty()) out += '-';
    pending_dash = false;
    out += piece;
  };
  for (size_t i = 0; i < heading.size();) {
    unsigned char c = static_cast<unsigned char>(heading[i]);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        emit(std::string(1, static_cast<char>(c)));
      } else if (c >= 'A' && c <= 'Z') {
        emit(std::string(1, static_cast<char>(c - 'A' + 'a')));
      } else {
        pending_dash = true;
      }
      ++i;
      continue;
    }
    size_t len = std::max<size_t>(1, utf8_length(c));
    std::string_view ch = heading.substr(i, len);
    i += len;
    auto fold = std::find_if(kFolds.begin(), kFolds.end(), [&](auto& f) { return f.first == ch; });
    if (fold != kFolds.end()) {
      emit(std::string(1, fold->second));
    } else if (ch == "\xE2\x80\x93" || ch == "\xE2\x80\x94" || ch == "\xE2\x80\x99" ||
               ch == "\xC2\xA0") {
      pending_dash = true;  // dashes, apostrophe, no-break space
    } else {
      emit(ch);
    }
  }
  return out.empty() ? "section" : out;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    size_t len = utf8_length(c);
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    // Reject overlong encodings and surrogates.
    if (len == 2 && c < 0xC2) return false;
    if (len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return false;
    }
    if (len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return false;
    }
    i += len;
  }
  return true;
}

std::string pack_values(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += schema::kPackSeparator;
    out += v;
  }
  return out;
}

std::vector<std::string> unpack_values(std::string_view packed) {
  std::vector<std::string> out;
  while (!packed.empty()) {
    size_t sep = packed.find(schema::kPackSeparator);
    out.emplace_back(packed.substr(0, sep));
    if (sep == std::string_view::npos) break;
    packed.remove_prefix(sep + 1);
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);  // std::gmtime shares one static buffer across threads
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return stamp;
}

}  // namespace nexuskb
