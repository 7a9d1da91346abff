// libFuzzer target: Markdown rendering and passage splitting never crash and never pass raw HTML.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nexuskb::fuzz::markdown(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
