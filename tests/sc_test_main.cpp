// libsystemc defines main() and calls sc_main(): a GoogleTest binary that touches SystemC
// runs its tests from here. Tests build their benches before the first sc_start.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
