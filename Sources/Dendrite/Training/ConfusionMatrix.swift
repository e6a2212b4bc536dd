/// Counts of rows by true class (rows of the matrix) and predicted class (columns), as
/// scikit-learn's `confusion_matrix(y_true, y_pred, labels=range(classCount))`.
///
///     counts[t][p] = number of rows whose true class is t and predicted class is p
///
/// The diagonal holds the correct predictions; row t sums to the support of class t,
/// column p to the rows predicted as p.
///
///     let matrix = ConfusionMatrix(actual: [0, 0, 1, 2], predicted: [0, 1, 1, 2], classCount: 3)
///     matrix.counts     // [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
///     matrix.accuracy   // 0.75
public struct ConfusionMatrix: Sendable, Equatable {
  /// The number of classes: the matrix is `classCount × classCount`.
  public let classCount: Int
  /// `counts[trueClass][predictedClass]`.
  public private(set) var counts: [[Int]]

  /// An empty matrix for `classCount` classes.
  public init(classCount: Int) {
    self.classCount = Swift.max(classCount, 0)
    counts = Array(repeating: Array(repeating: 0, count: self.classCount), count: self.classCount)
  }

  /// The matrix of true classes `actual` against `predicted`, pair by pair (the shorter
  /// list decides how many rows count).
  ///
  /// - Precondition: every class is in `0..<classCount`.
  public init(actual: [Int], predicted: [Int], classCount: Int) {
    self.init(classCount: classCount)
    for (truth, guess) in zip(actual, predicted) { add(actual: truth, predicted: guess) }
  }

  /// The matrix of network outputs `[N, outputs]` against the rows' true classes. The
  /// predicted class is ``Metric/predictedClasses(outputs:loss:)``'s: argmax for several
  /// outputs; for one output, 1 above its threshold (0 for a logit, 0.5 for a probability).
  ///
  ///     let matrix = ConfusionMatrix(
  ///       outputs: model(test.features), classIndices: test.classIndices ?? [], classCount: 3,
  ///       loss: .softmaxCrossEntropy)
  ///
  /// - Precondition: every class index is in `0..<classCount`.
  public init(outputs: Tensor, classIndices: [Int], classCount: Int, loss: Loss) {
    self.init(
      actual: classIndices, predicted: Metric.predictedClasses(outputs: outputs, loss: loss), classCount: classCount)
  }

  /// Counts one row whose true class is `actual` and predicted class `predicted`.
  ///
  /// - Precondition: both are in `0..<classCount`.
  public mutating func add(actual: Int, predicted: Int) {
    precondition(
      (0..<classCount).contains(actual) && (0..<classCount).contains(predicted),
      "class \(actual) or \(predicted) outside 0..<\(classCount)")
    counts[actual][predicted] += 1
  }

  /// The rows counted.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

  /// The rows of each class in the true labels (row sums): the support.
  public var support: [Int] { counts.map { $0.reduce(0, +) } }

  /// The rows predicted as each class (column sums).
  public var predictedCounts: [Int] {
    (0..<classCount).map { column in counts.reduce(0) { $0 + $1[column] } }
  }

  /// The correct predictions of each class (the diagonal): its true positives.
  public var truePositives: [Int] { (0..<classCount).map { counts[$0][$0] } }

  /// The share of rows predicted correctly, trace / total; 0 when nothing was counted.
  public var accuracy: Float {
    total == 0 ? 0 : Float(Double(truePositives.reduce(0, +)) / Double(total))
  }
}
