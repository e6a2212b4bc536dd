import Foundation

/// What the environment says about an MPI launch, readable without MPI itself: `mpirun`
/// (Open MPI) sets `OMPI_COMM_WORLD_SIZE` and `OMPI_COMM_WORLD_RANK` in every process it
/// starts; MPICH and Slurm's PMI set `PMI_SIZE` and `PMI_RANK`.
///
///     MPIEnvironment.launch?.size   // 4 under `mpirun -np 4`, nil when started directly
public enum MPIEnvironment {
  /// The rank and size the launcher gave this process; nil when no MPI launcher started it.
  public static var launch: (rank: Int, size: Int)? {
    launch(in: ProcessInfo.processInfo.environment)
  }

  /// ``launch`` read from `environment`.
  public static func launch(in environment: [String: String]) -> (rank: Int, size: Int)? {
    for (sizeKey, rankKey) in [("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"), ("PMI_SIZE", "PMI_RANK")] {
      if let size = environment[sizeKey].flatMap({ Int($0) }), let rank = environment[rankKey].flatMap({ Int($0) }),
        size >= 1, (0..<size).contains(rank)
      {
        return (rank, size)
      }
    }
    return nil
  }

  /// Whether this build has the `MPI` trait, and so ``MPICommunicator``.
  public static var isAvailable: Bool {
    #if MPI && canImport(CMPI)
      true
    #else
      false
    #endif
  }
}
