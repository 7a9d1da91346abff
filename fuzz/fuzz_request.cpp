// libFuzzer target: URL parameters -> SearchRequest -> Xapian query -> search on a fixture index.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static nexuskb::fuzz::FixtureSearch search;
  search.run(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
