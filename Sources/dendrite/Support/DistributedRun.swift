import Dendrite
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How `dendrite train` runs when `mpirun -np N` started it: one rank of a data-parallel
/// group (``Communicator``). Only rank 0 prints, writes the model file and checkpoints; the
/// other ranks' output goes to /dev/null, and what fails on them reaches rank 0 through the
/// collectives (``Communicator/agree(_:)``, the step's all-reduce).
enum DistributedRun {
  /// The MPI world when this process is one of several ranks; nil for a plain run (and for
  /// `mpirun -np 1`).
  ///
  /// - Throws: ``CommandError`` when `mpirun` started several ranks of a `dendrite` built
  ///   without the `MPI` trait, or MPI cannot start.
  static func communicator() throws -> (any Communicator)? {
    guard let launch = MPIEnvironment.launch, launch.size > 1 else { return nil }
    #if MPI
      do {
        let world = try MPICommunicator.world()
        if !world.isLeader { silenceOutput() }
        return TimedCommunicator(world)
      } catch {
        throw CommandError("mpirun started \(launch.size) ranks but MPI did not start: \(error)")
      }
    #else
      throw CommandError(
        "mpirun started \(launch.size) ranks, but this dendrite was built without MPI; build it with "
          + "`swift build -c release --traits MPI` (Open MPI: apt-get install openmpi-bin libopenmpi-dev)")
    #endif
  }

  /// Shuts MPI down before the process exits (nothing without the trait or outside mpirun).
  static func finish() {
    #if MPI
      MPICommunicator.finalize()
    #endif
  }

  /// Whether every rank holds rank 0's parameters, bit for bit: one broadcast and one
  /// all-reduce (the test of data-parallel training's promise, reported by `--json`).
  static func ranksAgree(on model: any Layer, over group: any Communicator) throws -> Bool {
    let mine = model.parameterValues.flatMap(\.scalars) + model.buffers.keys.sorted().flatMap { model.buffers[$0]?.scalars ?? [] }
    var leaders = mine
    try group.broadcast(&leaders, from: 0)
    var mismatches: [Float] = [leaders.elementsEqual(mine) { $0.bitPattern == $1.bitPattern } ? 0 : 1]
    try group.allReduceSum(&mismatches)
    return mismatches[0] == 0
  }

  /// Sends this process's standard output and error to /dev/null.
  private static func silenceOutput() {
    let null = open("/dev/null", O_WRONLY)
    guard null >= 0 else { return }
    fflush(nil)  // every open output stream
    dup2(null, STDOUT_FILENO)
    dup2(null, STDERR_FILENO)
    close(null)
  }
}
