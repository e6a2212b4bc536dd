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
  /// One recorded op (or a leaf, which has no inputs and no pullback).
  struct Entry {
    /// Tape positions of the inputs; `nil` for an input that is a constant here.
    let inputs: [Int?]
    /// Maps the output's gradient to one gradient per input, in `inputs` order.
    let pullback: ((Tensor) -> [Tensor])?
  }

  private(set) var entries: [Entry] = []
  /// False while the backward pass runs, so that pullbacks record nothing.
  private(set) var isRecording = true

  /// Drops every entry. Pullbacks capture the tensors they need, and those tensors refer
  /// back to this tape, so a finished differentiation clears its tape to free them.
  func clear() {
    entries.removeAll()
  }

  /// Appends an entry and returns its position.
  func append(_ entry: Entry) -> Int {
    entries.append(entry)
    return entries.count - 1
  }

  /// Runs the backward pass from `output`, seeded with `seed`, and returns the gradient
  /// of every tape position (`nil` where no gradient flowed).
  func backward(from output: Int, seed: Tensor) -> [Tensor?] {
    isRecording = false
    defer { isRecording = true }
    var gradients = [Tensor?](repeating: nil, count: entries.count)
    gradients[output] = seed
    for position in stride(from: output, through: 0, by: -1) {
      guard let upstream = gradients[position], let pullback = entries[position].pullback else {
        continue
      }
      if position != output { gradients[position] = nil }  // not needed again: free it early
      let inputGradients = pullback(upstream)
      for (input, gradient) in zip(entries[position].inputs, inputGradients) {
        guard let input else { continue }
        if let existing = gradients[input] {
          gradients[input] = existing + gradient
        } else {
          gradients[input] = gradient
        }
      }
    }
    return gradients
  }
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
    recording(value, from: inputs) { upstream, _ in pullback(upstream).map { Optional($0) } }
  }

  /// Like ``recording(_:from:pullback:)``, for ops whose input gradients are expensive:
  /// `pullback` also receives which inputs need a gradient (those being differentiated)
  /// and returns nil for the others, so that, say, a layer's input data gets no gradient
  /// computed for it.
  static func recording(
    _ value: Tensor, from inputs: [Tensor], pullback: @escaping (Tensor, _ needed: [Bool]) -> [Tensor?]
  ) -> Tensor {
    guard let tape = inputs.lazy.compactMap({ $0.tapeHandle?.tape }).first, tape.isRecording
    else {
      return value.withoutDerivative()
    }
    let positions = inputs.map { input -> Int? in
      guard let handle = input.tapeHandle, handle.tape === tape else { return nil }
      return handle.position
    }
    let needed = positions.map { $0 != nil }
    let inputShapes = inputs.map(\.shape)
    let checkedPullback: (Tensor) -> [Tensor] = { upstream in
      let gradients = pullback(upstream, needed)
      precondition(
        gradients.count == inputShapes.count,
        "pullback returned \(gradients.count) gradients for \(inputShapes.count) inputs")
      return zip(inputShapes, zip(needed, gradients)).map { inputShape, pair in
        let (isNeeded, gradient) = pair
        guard isNeeded else { return Tensor(shape: [0], scalars: []) }  // never read: no tape position
        guard let gradient else { preconditionFailure("pullback returned no gradient for a differentiated input") }
        precondition(
          inputShape == gradient.shape,
          "pullback returned a gradient of shape \(gradient.shape) for an input of shape \(inputShape)")
        return gradient
      }
    }
    let position = tape.append(Tape.Entry(inputs: positions, pullback: checkedPullback))
    var result = value
    result.tapeHandle = TapeHandle(tape: tape, position: position)
    return result
  }
}
