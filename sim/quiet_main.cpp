// libsystemc's own main() prints the kernel's banner on stderr before sc_main runs; users of
// a tool should see only its own messages there. Linked into every executable that has an
// sc_main (imcsim, SystemC tests, benches) in place of libsystemc's main().
#include <cstdlib>

#include <systemc>

int main(int argc, char* argv[]) {
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
