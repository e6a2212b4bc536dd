// A small persistent pool of worker threads for the kernels (GEMM hands each thread
// one block of C per call). `enum Kernels` is declared in Kernels.swift.

import CDendriteKernels
import Foundation

extension Kernels {
  /// Threads the kernels may use: the `DENDRITE_THREADS` environment variable (a
  /// positive integer), read once, else every active core. 1 runs everything on the
  /// calling thread.
  static let threadCount: Int = {
    if let text = ProcessInfo.processInfo.environment["DENDRITE_THREADS"],
       let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 1 {
      return min(n, 256)
    }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
  }()

  /// The pool behind `threadCount`: threadCount - 1 workers plus the calling thread.
  static let workerPool = WorkerPool(workers: threadCount - 1)
}

/// A fixed set of worker threads, started once, that run one parallel job at a time
/// together with the calling thread.
///
/// `run(tasks:participants:_:)` calls `body(participant, task)` once for each task,
/// handing the tasks out in order to whichever participant (thread) is free, and
/// returns when all are done. A participant index (0 is the calling thread) lets the
/// body use per-thread scratch memory; which thread runs a task must not change its
/// result. If another job is running (gemm called from several threads at once), the
/// caller runs all the tasks itself instead of waiting.
///
/// Latency matters more than anything here: a training step's products take tens of
/// µs, and waking a thread parked on a condition variable costs about as much. So a
/// job is published with an atomic generation counter, tasks are claimed and counted
/// with atomics, and an idle worker spins (with PAUSE) for `spinNanoseconds` watching
/// the counter before it parks on the condition variable; the training loop's
/// back-to-back GEMMs then start within a microsecond or two. The spin is bounded, so
/// an idle pool costs no CPU.
final class WorkerPool: @unchecked Sendable {
  /// Number of worker threads (not counting the caller).
  let workers: Int
  /// How long an idle worker watches for a new job before parking. Between the GEMMs
  /// of a training step there are elementwise ops of a few tens of µs.
  static let spinNanoseconds: UInt64 = 150_000

  /// Shared counters, each on its own 64-byte line: [0] the job generation (bumped
  /// by each `run` that uses the workers).
  private let counters: UnsafeMutablePointer<Int>
  private var generation: UnsafeMutablePointer<Int> { counters }
  /// Parking: workers that stopped spinning wait on `condition`; `sleepers` (guarded
  /// by it) says whether `run` must signal.
  private let condition = NSCondition()
  private var sleepers = 0
  /// Held by the one `run` that uses the workers.
  private let busy = NSLock()
  /// The current job, guarded by `jobLock`.
  private let jobLock = NSLock()
  private var job: Job?

  /// One parallel loop. Tasks are claimed in order with an atomic counter; the caller
  /// waits until every task has finished, not for every worker to wake up, so a worker
  /// that wakes late finds no task left and goes back to waiting without ever calling
  /// `body`.
  private final class Job: @unchecked Sendable {
    let tasks: Int, helpers: Int
    let body: (Int, Int) -> Void
    /// [0] next task to claim, [16] tasks finished (separate cache lines).
    let counters: UnsafeMutablePointer<Int>

    init(tasks: Int, helpers: Int, body: @escaping (Int, Int) -> Void) {
      self.tasks = tasks
      self.helpers = helpers
      self.body = body
      counters = .allocate(capacity: 32)
      counters.initialize(repeating: 0, count: 32)
    }

    deinit { counters.deallocate() }

    /// Claims and runs tasks until none is left.
    func share(_ participant: Int) {
      while true {
        let task = dendrite_atomic_fetch_add(counters, 1)
        if task >= tasks { return }
        body(participant, task)
        _ = dendrite_atomic_fetch_add(counters + 16, 1)
      }
    }

    func waitUntilFinished() {
      var spins = 0
      while dendrite_atomic_load(counters + 16) < tasks {
        spins += 1
        // A helper descheduled mid-task (a loaded machine) may take a while: yield
        // the core rather than spin on it.
        if spins < 4096 { dendrite_spin_pause() } else { sched_yield() }
      }
    }
  }

  init(workers: Int) {
    self.workers = max(0, workers)
    counters = .allocate(capacity: 16)
    counters.initialize(repeating: 0, count: 16)
    for index in 0..<self.workers {
      let thread = Thread { [self] in self.workerLoop(index: index + 1) }
      thread.name = "Dendrite worker \(index + 1)"
      thread.start()
    }
  }

  /// Runs body(participant, task) for task in 0..<tasks on up to `participants`
  /// threads; participant < participants, and no two threads share one.
  func run(tasks: Int, participants: Int, _ body: @escaping (_ participant: Int, _ task: Int) -> Void) {
    let helpers = min(workers, participants - 1, tasks - 1)
    guard helpers > 0, busy.try() else {
      for task in 0..<tasks { body(0, task) }
      return
    }
    defer { busy.unlock() }
    let job = Job(tasks: tasks, helpers: helpers, body: body)
    jobLock.lock()
    self.job = job
    jobLock.unlock()
    // Only the holder of `busy` writes the generation.
    dendrite_atomic_store(generation, dendrite_atomic_load(generation) &+ 1)
    // A worker about to park re-checks the generation under `condition` after
    // counting itself in `sleepers`, so this cannot miss it.
    condition.lock()
    if sleepers > 0 { condition.broadcast() }
    condition.unlock()

    job.share(0)
    job.waitUntilFinished()

    jobLock.lock()
    if self.job === job { self.job = nil }
    jobLock.unlock()
  }

  private func workerLoop(index: Int) {
    var seen = dendrite_atomic_load(generation)
    while true {
      var current = dendrite_atomic_load(generation)
      if current == seen {
        // Spin a while for the next job, then park.
        let start = dendrite_now_ns()
        var spins = 0
        while current == seen {
          dendrite_spin_pause()
          spins &+= 1
          if spins & 63 == 0 && dendrite_now_ns() &- start > Self.spinNanoseconds { break }
          current = dendrite_atomic_load(generation)
        }
        if current == seen {
          condition.lock()
          sleepers += 1
          while dendrite_atomic_load(generation) == seen { condition.wait() }
          sleepers -= 1
          condition.unlock()
          current = dendrite_atomic_load(generation)
        }
      }
      seen = current
      jobLock.lock()
      let job = self.job
      jobLock.unlock()
      // Workers numbered above the job's helpers sit it out.
      if let job, index <= job.helpers { job.share(index) }
    }
  }
}
