// libFuzzer target: raw bytes sent to the real server over a loopback connection, so that
// cpp-httplib's request parsing, the router, the handlers and the renderers all see them.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static nexuskb::fuzz::FixtureServer server;
  server.run(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
