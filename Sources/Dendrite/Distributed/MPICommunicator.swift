#if MPI && canImport(CMPI)
  import CMPI

  /// ``Communicator`` over Open MPI's `MPI_COMM_WORLD` (the `MPI` package trait): one
  /// `MPI_Allreduce` (`MPI_SUM`, in place), `MPI_Bcast` or `MPI_Barrier` per call. Start the
  /// program with `mpirun -np N …`; every rank calls ``world()`` once.
  ///
  ///     let world = try MPICommunicator.world()
  ///     var gradients: [Float] = …
  ///     try world.allReduceSum(&gradients)
  ///     MPICommunicator.finalize()   // before the process exits
  public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    private init(rank: Int, size: Int) {
      self.rank = rank
      self.size = size
    }

    /// Initialises MPI (once per process; later calls return the same group) and returns
    /// the world communicator. MPI errors are returned, not fatal, so they become
    /// ``CommunicatorError``s.
    ///
    /// - Throws: ``CommunicatorError`` when MPI cannot start (no `mpirun`, a broken install).
    public static func world() throws(CommunicatorError) -> MPICommunicator {
      if dendrite_mpi_is_initialized() == 0 {
        try check(dendrite_mpi_initialize(), "MPI_Init_thread")
      }
      var rank: Int32 = 0
      var size: Int32 = 0
      try check(dendrite_mpi_rank(&rank), "MPI_Comm_rank")
      try check(dendrite_mpi_size(&size), "MPI_Comm_size")
      return MPICommunicator(rank: Int(rank), size: Int(size))
    }

    /// Shuts MPI down (`MPI_Finalize`), once, if it was started; call it before exiting.
    public static func finalize() {
      if dendrite_mpi_is_initialized() != 0 && dendrite_mpi_is_finalized() == 0 { _ = dendrite_mpi_finalize() }
    }

    /// Ends every rank of the job at once with `code` (`MPI_Abort`): for a rank that fails
    /// where the others cannot learn of it.
    public static func abortAll(code: Int32) -> Never {
      dendrite_mpi_abort(code)
      exit(code)
    }

    public func allReduceSum(_ buffer: inout [Float]) throws(CommunicatorError) {
      let count = try Self.count(buffer.count)
      let status = buffer.withUnsafeMutableBufferPointer { dendrite_mpi_allreduce_sum($0.baseAddress, count) }
      try Self.check(status, "MPI_Allreduce")
    }

    public func broadcast(_ buffer: inout [Float], from root: Int) throws(CommunicatorError) {
      guard (0..<size).contains(root) else { throw CommunicatorError("broadcast from rank \(root) in a group of \(size)") }
      let count = try Self.count(buffer.count)
      let status = buffer.withUnsafeMutableBufferPointer { dendrite_mpi_broadcast($0.baseAddress, count, Int32(root)) }
      try Self.check(status, "MPI_Bcast")
    }

    public func barrier() throws(CommunicatorError) {
      try Self.check(dendrite_mpi_barrier(), "MPI_Barrier")
    }

    private static func count(_ count: Int) throws(CommunicatorError) -> Int32 {
      guard let count = Int32(exactly: count) else {
        throw CommunicatorError("a buffer of \(count) floats is more than one MPI call takes (\(Int32.max))")
      }
      return count
    }

    private static func check(_ status: Int32, _ call: String) throws(CommunicatorError) {
      guard status != dendrite_mpi_success() else { return }
      let capacity = Int(dendrite_mpi_max_error_string())
      var text = [CChar](repeating: 0, count: capacity + 1)
      dendrite_mpi_error_text(status, &text, Int32(capacity))
      let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw CommunicatorError("\(call) failed: \(message.isEmpty ? "error \(status)" : message)")
    }
  }

  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif
#endif
