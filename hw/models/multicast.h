// A SEND to several tiles at once (docs/isa.md, `mcast`): the extension a write carries when it
// goes to more tiles than the one its address names. The NoC sends it along the union of the XY
// paths to them (a multicast tree), each link of which carries the packet once.
#pragma once

#include <cstdint>

#include <tlm>

namespace imc::models {

struct MulticastExtension : tlm::tlm_extension<MulticastExtension> {
  uint32_t more = 0;  // bit k: also tile `addressed tile + 1 + k`
  tlm_extension_base* clone() const override { return new MulticastExtension(*this); }
  void copy_from(const tlm_extension_base& e) override {
    *this = static_cast<const MulticastExtension&>(e);
  }
};

}  // namespace imc::models
