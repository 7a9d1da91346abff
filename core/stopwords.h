// Stop-word lists shipped in the repository (core/stopwords/*.txt), compiled into the binary.
#pragma once

#include <string_view>

#include <xapian.h>

namespace nexuskb {

// A stopper for `lang` ("en", "fr", "ar"); unknown languages get an empty stopper.
// The returned object is immutable and may be shared between threads.
const Xapian::SimpleStopper& stopper_for(std::string_view lang);

}  // namespace nexuskb
