// SearchGate's timed admission.
#include "server/search_gate.h"

#include "server/api_error.h"

namespace nexuskb {

SearchGate::Pass::Pass(SearchGate& gate) : gate_(gate) {
  if (!gate_.slots_.try_acquire_for(gate_.wait_)) {
    throw Unavailable("busy", "every search worker is busy; try again in a moment");
  }
}

}  // namespace nexuskb
