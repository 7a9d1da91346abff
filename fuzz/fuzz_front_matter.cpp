// libFuzzer target: front matter + body parsing and validation never crash on any bytes.
#include <cstdint>
#include <string>

#include "core/content_item.h"
#include "fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nexuskb::Taxonomy taxonomy = nexuskb::fuzz::fixture_taxonomy();
  nexuskb::fuzz::front_matter(taxonomy, std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
