// OpenBLAS's CBLAS interface, for Dendrite's opt-in `OpenBLAS` trait (Linux only):
//   apt-get install libopenblas-dev      (Debian, Ubuntu)
//   dnf install openblas-devel           (Fedora, RHEL)
// pkg-config (openblas.pc) puts OpenBLAS's own include directory first, so this is its
// cblas.h (with openblas_set_num_threads), not another BLAS's.
#include <cblas.h>
