// When one NoC link is taken: disjoint intervals of cycles reserved by packets. A packet
// takes the first gap long enough for its flits at or after the cycle its head reaches the
// link, so a packet that is reserved ahead of time (a global-buffer read's reply, known when
// the request is made) does not hold the link before its flits are there. Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

namespace imc::models {

class LinkCalendar {
 public:
  // Reserves `cycles` consecutive cycles starting no earlier than `earliest`; returns the
  // first of them.
  int64_t reserve(int64_t earliest, int64_t cycles);
  // Forgets the reservations that ended by `cycle`: no later request starts before it.
  void forget_until(int64_t cycle);
  size_t intervals() const { return busy_.size(); }

 private:
  std::map<int64_t, int64_t> busy_;  // first cycle -> one past the last; disjoint, not touching
};

}  // namespace imc::models
