/// Per-class precision, recall, F1 and support, with their macro and weighted averages,
/// as scikit-learn's `classification_report(y_true, y_pred, zero_division=0)`.
///
/// For class c, with TP its correct predictions, FP the rows wrongly predicted as c and FN
/// the rows of class c predicted as something else:
///
///     precision_c = TP / (TP + FP)          0 when nothing was predicted as c
///     recall_c    = TP / (TP + FN)          0 when no row is of class c
///     f1_c        = 2·TP / (2·TP + FP + FN) 0 when both are 0 (= 2·P·R / (P + R))
///     support_c   = TP + FN                 the rows of class c
///
///     macro     = mean of the per-class figures over the classes that occur in the true
///                 or the predicted classes (scikit-learn's default labels)
///     weighted  = Σ support_c · figure_c / Σ support_c
///
/// The zero cases follow scikit-learn's `zero_division=0`: a class never predicted has
/// precision 0 (not undefined), and a class with no rows recall 0. ``classes`` lists every
/// class of the matrix, including ones absent from both lists (all figures 0); those do not
/// enter the macro average, and have weight 0 in the weighted one.
///
///     let matrix = ConfusionMatrix(actual: [0, 0, 1, 1], predicted: [0, 1, 1, 1], classCount: 2)
///     let report = ClassificationReport(matrix)
///     report.classes[1].precision   // 2 / 3
///     report.macroAverage.f1        // (0.6667 + 0.8) / 2 = 0.7333
public struct ClassificationReport: Sendable, Equatable {
  /// Precision, recall, F1 and support of one class or of an average.
  public struct Scores: Sendable, Equatable {
    /// TP / (TP + FP); 0 when nothing was predicted as the class.
    public var precision: Float
    /// TP / (TP + FN); 0 when the class has no rows.
    public var recall: Float
    /// 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Float
    /// The rows of the class in the true labels (for an average, all rows).
    public var support: Int

    /// Figures given directly.
    public init(precision: Float, recall: Float, f1: Float, support: Int) {
      self.precision = precision
      self.recall = recall
      self.f1 = f1
      self.support = support
    }
  }

  /// The scores of each class, in class order.
  public let classes: [Scores]
  /// The unweighted mean over the classes that occur in the true or predicted labels.
  public let macroAverage: Scores
  /// The mean weighted by each class's support.
  public let weightedAverage: Scores
  /// The share of rows predicted correctly.
  public let accuracy: Float

  /// The report of a confusion matrix (true classes as rows, predicted as columns).
  public init(_ matrix: ConfusionMatrix) {
    let support = matrix.support
    let predicted = matrix.predictedCounts
    let hits = matrix.truePositives
    func ratio(_ numerator: Int, _ denominator: Int) -> Double {
      denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
    var precisions: [Double] = []
    var recalls: [Double] = []
    var f1s: [Double] = []
    for c in 0..<matrix.classCount {
      precisions.append(ratio(hits[c], predicted[c]))
      recalls.append(ratio(hits[c], support[c]))
      // 2·TP + FP + FN = predicted + support
      f1s.append(ratio(2 * hits[c], predicted[c] + support[c]))
    }
    classes = (0..<matrix.classCount).map { c in
      Scores(precision: Float(precisions[c]), recall: Float(recalls[c]), f1: Float(f1s[c]), support: support[c])
    }
    let total = matrix.total
    let present = (0..<matrix.classCount).filter { support[$0] > 0 || predicted[$0] > 0 }
    func macro(_ values: [Double]) -> Float {
      present.isEmpty ? 0 : Float(present.reduce(0) { $0 + values[$1] } / Double(present.count))
    }
    func weighted(_ values: [Double]) -> Float {
      total == 0 ? 0 : Float(zip(values, support).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(total))
    }
    macroAverage = Scores(precision: macro(precisions), recall: macro(recalls), f1: macro(f1s), support: total)
    weightedAverage = Scores(
      precision: weighted(precisions), recall: weighted(recalls), f1: weighted(f1s), support: total)
    accuracy = matrix.accuracy
  }
}
