/// The reverse-mode gradient tape.
///
/// Every differentiable op appends one entry: the tape positions of its inputs and a
/// pullback closure that maps the gradient of the op's output to the gradients of its
/// inputs. Because ops run in order, the tape is already in topological order, so the
/// backward pass simply walks it from the output towards the start, accumulating each
/// input's gradient with `+=`:
///
///     for entry in tape.reversed():
///         for (input, g) in zip(entry.inputs, entry.pullback(gradient[entry])):
///             gradient[input] += g
///
/// A tape belongs to one `valueWithGradient` call and one thread.
final class Tape: @unchecked Sendable {
  /// How an entry maps its output's gradient to its inputs' gradients.
  ///
  /// Ops of one, two or three inputs (nearly all) return their gradients directly or as
  /// a tuple, so that no array is allocated per op; the binary and ternary forms return
  /// nil for an input that is not being differentiated.
  enum Pullback {
    case unary((Tensor) -> Tensor)
    case binary((Tensor, DifferentiatedInputs) -> (Tensor?, Tensor?))
    case ternary((Tensor, DifferentiatedInputs) -> (Tensor?, Tensor?, Tensor?))
    /// One gradient for every input (the public ``Tensor/recording(_:from:pullback:)``).
    case all((Tensor) -> [Tensor])
  }

  /// One recorded op (or a leaf, which has no inputs and no pullback).
  ///
  /// The bookkeeping per op is kept small, because for tiny networks it is most of the
  /// cost of a step: the inputs' tape positions live in one array shared by all entries
  /// (`inputPositions[firstInput ..< firstInput + inputCount]`), and the gradient shape
  /// checks use the shape each entry already holds.
  struct Entry {
    /// Where this entry's input positions start in `inputPositions`.
    let firstInput: Int
    /// How many inputs the op has.
    let inputCount: Int
    /// Which of them are being differentiated (have a position on this tape).
    let differentiated: DifferentiatedInputs
    /// The shape of the op's value: every gradient that flows into it has this shape.
    let shape: [Int]
    let pullback: Pullback?
  }

  private(set) var entries: [Entry] = []
  /// The tape positions of every entry's inputs, −1 for an input that is a constant here.
  private var inputPositions: [Int] = []
  /// False while the backward pass runs, so that pullbacks record nothing.
  private(set) var isRecording = true

  /// A tape with room for a small network's step (a few dozen ops) before it grows.
  init() {
    entries.reserveCapacity(32)
    inputPositions.reserveCapacity(64)
  }

  /// Drops every entry. Pullbacks capture the tensors they need, and those tensors refer
  /// back to this tape, so a finished differentiation clears its tape to free them.
  func clear() {
    entries.removeAll()
    inputPositions.removeAll()
  }

  /// Appends a leaf (a tensor being differentiated) of the given shape and returns its position.
  func appendLeaf(shape: [Int]) -> Int {
    entries.append(Entry(firstInput: 0, inputCount: 0, differentiated: DifferentiatedInputs(bits: 0),
                         shape: shape, pullback: nil))
    return entries.count - 1
  }

  /// Appends an op whose value has `shape`, computed from `inputs`, and returns its position.
  func append(shape: [Int], inputs: [Tensor], pullback: Pullback) -> Int {
    let first = inputPositions.count
    var bits: UInt64 = 0
    for (index, input) in inputs.enumerated() { appendPosition(of: input, index: index, bits: &bits) }
    return appendEntry(shape: shape, firstInput: first, bits: bits, pullback: pullback)
  }

  /// Appends an op of one to three inputs (no array of inputs needed) and returns its position.
  func append(shape: [Int], _ a: Tensor, _ b: Tensor? = nil, _ c: Tensor? = nil, pullback: Pullback) -> Int {
    let first = inputPositions.count
    var bits: UInt64 = 0
    appendPosition(of: a, index: 0, bits: &bits)
    if let b { appendPosition(of: b, index: 1, bits: &bits) }
    if let c { appendPosition(of: c, index: 2, bits: &bits) }
    return appendEntry(shape: shape, firstInput: first, bits: bits, pullback: pullback)
  }

  /// Records the tape position of input number `index` (−1 when it is a constant here).
  private func appendPosition(of input: Tensor, index: Int, bits: inout UInt64) {
    if let handle = input.tapeHandle, handle.tape === self {
      inputPositions.append(handle.position)
      if index < 64 { bits |= 1 << UInt64(index) }
    } else {
      inputPositions.append(-1)
    }
  }

  private func appendEntry(shape: [Int], firstInput: Int, bits: UInt64, pullback: Pullback) -> Int {
    entries.append(Entry(firstInput: firstInput, inputCount: inputPositions.count - firstInput,
                         differentiated: DifferentiatedInputs(bits: bits), shape: shape, pullback: pullback))
    return entries.count - 1
  }

  /// Runs the backward pass from `output`, seeded with `seed`, and returns the gradient
  /// of every tape position (`nil` where no gradient flowed).
  func backward(from output: Int, seed: Tensor) -> [Tensor?] {
    isRecording = false
    defer { isRecording = true }
    var gradients: [Tensor?] = []
    gradients.reserveCapacity(entries.count)
    for _ in entries.indices { gradients.append(nil) }  // cheaper than Array(repeating:count:), see Tensor(repeating:shape:)
    gradients[output] = seed
    for position in stride(from: output, through: 0, by: -1) {
      guard let upstream = gradients[position], let pullback = entries[position].pullback else {
        continue
      }
      if position != output { gradients[position] = nil }  // not needed again: free it early
      let entry = entries[position]
      switch pullback {
      case .unary(let pullback):
        accumulate(pullback(upstream), into: &gradients, input: inputPositions[entry.firstInput])
      case .binary(let pullback):
        let (a, b) = pullback(upstream, entry.differentiated)
        accumulate(a, into: &gradients, of: entry, index: 0)
        accumulate(b, into: &gradients, of: entry, index: 1)
      case .ternary(let pullback):
        let (a, b, c) = pullback(upstream, entry.differentiated)
        accumulate(a, into: &gradients, of: entry, index: 0)
        accumulate(b, into: &gradients, of: entry, index: 1)
        accumulate(c, into: &gradients, of: entry, index: 2)
      case .all(let pullback):
        let inputGradients = pullback(upstream)
        precondition(
          inputGradients.count == entry.inputCount,
          "pullback returned \(inputGradients.count) gradients for \(entry.inputCount) inputs")
        for (index, gradient) in inputGradients.enumerated() {
          accumulate(gradient, into: &gradients, input: inputPositions[entry.firstInput + index])
        }
      }
    }
    return gradients
  }

  /// Adds the gradient a binary or ternary pullback returned for input `index` of `entry`; nil is
  /// allowed only for an input that is not being differentiated.
  private func accumulate(_ gradient: Tensor?, into gradients: inout [Tensor?], of entry: Entry, index: Int) {
    let input = inputPositions[entry.firstInput + index]
    guard input >= 0 else { return }
    guard let gradient else { preconditionFailure("pullback returned no gradient for a differentiated input") }
    accumulate(gradient, into: &gradients, input: input)
  }

  /// Adds `gradient` to the gradient of tape position `input` (nothing for a constant, −1).
  private func accumulate(_ gradient: Tensor, into gradients: inout [Tensor?], input: Int) {
    guard input >= 0 else { return }
    precondition(
      entries[input].shape == gradient.shape,
      "pullback returned a gradient of shape \(gradient.shape) for an input of shape \(entries[input].shape)")
    if let existing = gradients[input] {
      gradients[input] = existing + gradient
    } else {
      gradients[input] = gradient
    }
  }
}

/// Which inputs of a recorded op are being differentiated, so that its pullback computes
/// gradients only for those (a layer's input data, say, needs none). Inputs past the
/// 64th always count as differentiated.
struct DifferentiatedInputs: Sendable {
  let bits: UInt64

  subscript(index: Int) -> Bool { index >= 64 || bits & (1 << UInt64(index)) != 0 }
}

/// A tensor's place on a tape.
struct TapeHandle: Sendable {
  let tape: Tape
  let position: Int
}

extension Tensor {
  /// Records `value` as the result of an op on `inputs` with the given pullback, so that
  /// differentiation can flow through it, and returns it.
  ///
  /// This is how every differentiable op in Dendrite is built, and how you add your own:
  ///
  ///     func cube(_ x: Tensor) -> Tensor {
  ///       Tensor.recording(x * x * x, from: [x]) { upstream in [upstream * 3 * x * x] }
  ///     }
  ///
  /// `pullback` receives the gradient of the loss with respect to `value` (same shape) and
  /// returns one gradient per input, each with that input's shape. Outside a
  /// differentiation, or when no input is being differentiated, nothing is recorded and
  /// `pullback` is never called.
  public static func recording(
    _ value: Tensor, from inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor]
  ) -> Tensor {
    guard let tape = inputs.lazy.compactMap({ $0.tapeHandle?.tape }).first, tape.isRecording else {
      return value.withoutDerivative()
    }
    return value.recorded(on: tape, at: tape.append(shape: value.shape, inputs: inputs, pullback: .all(pullback)))
  }

  /// Records an op of one input; `pullback` returns that input's gradient.
  static func recording(_ value: Tensor, from x: Tensor, pullback: @escaping (Tensor) -> Tensor) -> Tensor {
    guard let tape = x.tapeHandle?.tape, tape.isRecording else { return value.withoutDerivative() }
    return value.recorded(on: tape, at: tape.append(shape: value.shape, x, pullback: .unary(pullback)))
  }

  /// Records an op of two inputs, for ops whose input gradients are expensive: `pullback`
  /// also receives which inputs need a gradient (those being differentiated) and returns
  /// nil for the other, so that, say, a layer's input data gets no gradient computed for it.
  static func recording(
    _ value: Tensor, from a: Tensor, _ b: Tensor,
    pullback: @escaping (Tensor, _ needed: DifferentiatedInputs) -> (Tensor?, Tensor?)
  ) -> Tensor {
    guard let tape = a.tapeHandle?.tape ?? b.tapeHandle?.tape, tape.isRecording else {
      return value.withoutDerivative()
    }
    return value.recorded(on: tape, at: tape.append(shape: value.shape, a, b, pullback: .binary(pullback)))
  }

  /// Records an op of three inputs, as the two-input form does.
  static func recording(
    _ value: Tensor, from a: Tensor, _ b: Tensor, _ c: Tensor,
    pullback: @escaping (Tensor, _ needed: DifferentiatedInputs) -> (Tensor?, Tensor?, Tensor?)
  ) -> Tensor {
    guard let tape = a.tapeHandle?.tape ?? b.tapeHandle?.tape ?? c.tapeHandle?.tape, tape.isRecording else {
      return value.withoutDerivative()
    }
    return value.recorded(on: tape, at: tape.append(shape: value.shape, a, b, c, pullback: .ternary(pullback)))
  }

  /// This value, placed on `tape` at `position`.
  private func recorded(on tape: Tape, at position: Int) -> Tensor {
    var result = self
    result.tapeHandle = TapeHandle(tape: tape, position: position)
    return result
  }
}
