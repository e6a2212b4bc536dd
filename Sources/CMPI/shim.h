// Open MPI for Dendrite's opt-in `MPI` trait (data-parallel training):
//   apt-get install openmpi-bin libopenmpi-dev      (Debian, Ubuntu)
//   dnf install openmpi-devel                       (Fedora, RHEL)
// MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM and MPI_IN_PLACE are macros over Open MPI's globals,
// which Swift cannot import; these inline functions hand Swift what it needs instead.
#include <mpi.h>

/// 1 once MPI_Init has run in this process.
static inline int dendrite_mpi_is_initialized(void) {
  int flag = 0;
  MPI_Initialized(&flag);
  return flag;
}

/// 1 once MPI_Finalize has run in this process.
static inline int dendrite_mpi_is_finalized(void) {
  int flag = 0;
  MPI_Finalized(&flag);
  return flag;
}

/// MPI_Init_thread (the calling thread makes every MPI call), then errors are returned to
/// the caller instead of aborting the job. MPI_SUCCESS or an error code.
static inline int dendrite_mpi_initialize(void) {
  int provided = 0;
  int status = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
  if (status != MPI_SUCCESS) return status;
  return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static inline int dendrite_mpi_finalize(void) { return MPI_Finalize(); }

static inline int dendrite_mpi_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }

static inline int dendrite_mpi_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }

/// Sums `count` floats element-wise over every rank, in place.
static inline int dendrite_mpi_allreduce_sum(float *buffer, int count) {
  return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}

/// Copies `count` floats from rank `root` to every rank.
static inline int dendrite_mpi_broadcast(float *buffer, int count, int root) {
  return MPI_Bcast(buffer, count, MPI_FLOAT, root, MPI_COMM_WORLD);
}

static inline int dendrite_mpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }

/// Ends every rank of the job with `code` (for a rank that cannot go on alone).
static inline void dendrite_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

static inline int dendrite_mpi_success(void) { return MPI_SUCCESS; }

/// The text of an MPI error code, into `text` (at least MPI_MAX_ERROR_STRING bytes).
static inline void dendrite_mpi_error_text(int code, char *text, int capacity) {
  int length = 0;
  if (capacity < MPI_MAX_ERROR_STRING) { if (capacity > 0) text[0] = 0; return; }
  MPI_Error_string(code, text, &length);
}

static inline int dendrite_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
