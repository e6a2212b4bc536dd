/// Why training stopped with an error, with a message that suggests a fix.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// The loss or a gradient became NaN or infinite (the NaN guard).
  case diverged(epoch: Int, step: Int, loss: Float, firstNonFiniteGradient: String?)
  /// The options make no sense (zero epochs, an empty data set, …).
  case invalidOption(String)
  /// The data does not fit the model (feature count, labels against outputs).
  case dataMismatch(String)

  /// The message, with a suggested fix.
  public var description: String {
    switch self {
    case .diverged(let epoch, let step, let loss, let parameter):
      let whereFirst = parameter.map { "; the gradient of \($0) went non-finite first" } ?? ""
      let lossText = loss.isNaN ? "NaN" : loss.isInfinite ? "infinite" : "\(loss)"   // not "-nan"
      return "training diverged at epoch \(epoch + 1), step \(step + 1): the loss is \(lossText)\(whereFirst). "
        + "Lower the learning rate, clip gradients (global norm 1.0), or check the initialisation"
    case .invalidOption(let message), .dataMismatch(let message):
      return message
    }
  }
}
