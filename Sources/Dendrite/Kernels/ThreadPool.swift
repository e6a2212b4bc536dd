// A small persistent pool of worker threads for the kernels (GEMM splits its row
// blocks across it). `enum Kernels` is declared in Kernels.swift.

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

/// A fixed set of worker threads, started once and parked on a condition variable,
/// that run one parallel job at a time together with the calling thread.
///
/// `run(tasks:participants:_:)` calls `body(participant, task)` once for each task,
/// handing the tasks out in order to whichever participant (thread) is free, and
/// returns when all are done. A participant index (0 is the calling thread) lets the
/// body use per-thread scratch memory; which thread runs a task must not change its
/// result. If another job is running (gemm called from several threads at once), the
/// caller runs all the tasks itself instead of waiting.
final class WorkerPool: @unchecked Sendable {
  /// Number of worker threads (not counting the caller).
  let workers: Int
  private let condition = NSCondition()
  private let busy = NSLock()
  // Guarded by `condition`: the current job, and a counter bumped for each new one.
  private var job: Job?
  private var generation = 0

  /// One parallel loop. Tasks are claimed in order under `lock`; the caller waits
  /// until every task has finished, not for every worker to wake up, so a worker that
  /// wakes late (its core busy) finds no task left and goes back to sleep without
  /// ever calling `body`.
  private final class Job: @unchecked Sendable {
    let tasks: Int, helpers: Int
    let body: (Int, Int) -> Void
    let lock = NSCondition()
    var next = 0, finished = 0  // guarded by lock

    init(tasks: Int, helpers: Int, body: @escaping (Int, Int) -> Void) {
      self.tasks = tasks
      self.helpers = helpers
      self.body = body
    }

    /// Claims and runs tasks until none is left.
    func share(_ participant: Int) {
      while true {
        lock.lock()
        let task = next
        next += 1
        lock.unlock()
        if task >= tasks { return }
        body(participant, task)
        lock.lock()
        finished += 1
        if finished == tasks { lock.broadcast() }
        lock.unlock()
      }
    }

    func waitUntilFinished() {
      lock.lock()
      while finished < tasks { lock.wait() }
      lock.unlock()
    }
  }

  init(workers: Int) {
    self.workers = max(0, workers)
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
    condition.lock()
    self.job = job
    generation &+= 1
    condition.broadcast()
    condition.unlock()

    job.share(0)
    job.waitUntilFinished()

    condition.lock()
    if self.job === job { self.job = nil }
    condition.unlock()
  }

  private func workerLoop(index: Int) {
    var seen = 0
    while true {
      condition.lock()
      while generation == seen { condition.wait() }
      seen = generation
      let job = self.job
      condition.unlock()
      // Workers numbered above the job's helpers sit it out.
      if let job, index <= job.helpers { job.share(index) }
    }
  }
}
