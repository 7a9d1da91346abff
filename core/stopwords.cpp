// Builds the stoppers from the word lists embedded at build time.
#include "core/stopwords.h"

#include <sstream>
#include <string>

namespace nexuskb {
namespace stopword_data {
extern const char* const kEnglish;
extern const char* const kFrench;
extern const char* const kArabic;
}  // namespace stopword_data

namespace {

// Stoppers are neither copyable nor movable; these live for the whole process.
const Xapian::SimpleStopper* make_stopper(const char* words) {
  auto* stopper = new Xapian::SimpleStopper;
  std::istringstream in(words);
  std::string w;
  while (in >> w) stopper->add(w);
  return stopper;
}

}  // namespace

const Xapian::SimpleStopper& stopper_for(std::string_view lang) {
  static const Xapian::SimpleStopper* en = make_stopper(stopword_data::kEnglish);
  static const Xapian::SimpleStopper* fr = make_stopper(stopword_data::kFrench);
  static const Xapian::SimpleStopper* ar = make_stopper(stopword_data::kArabic);
  static const Xapian::SimpleStopper* none = make_stopper("");
  if (lang == "en") return *en;
  if (lang == "fr") return *fr;
  if (lang == "ar") return *ar;
  return *none;
}

}  // namespace nexuskb
