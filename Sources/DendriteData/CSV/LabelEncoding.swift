/// How a label column's cells become classes or regression targets, and why.
///
///     let encoding = try LabelEncoding(texts: ["setosa", "virginica", "setosa"], task: nil)
///     encoding.task          // .classification
///     encoding.classNames    // ["setosa", "virginica"]
///     encoding.classIndices  // [0, 1, 0]
///     encoding.reason        // "the labels are text"
///
/// The task, when none is asked for, follows this rule, in order:
/// 1. a label that is not a number (`setosa`) → classification;
/// 2. a number with a fractional part (`2.5`) → regression;
/// 3. integers with at most ``maximumDistinctClasses`` (20) distinct values, or with at most
///    ``maximumDistinctShare`` (5%) as many distinct values as rows → classification;
/// 4. otherwise (many distinct integers: prices, counts) → regression.
///
/// The classes are the distinct labels, numbered 0, 1, …, C−1 in sorted order, so no class
/// is ever empty: texts sorted as Swift sorts strings (by Unicode code point: `"B" < "a"`),
/// integers sorted numerically and named by their values (`-1, 1` → `["-1", "1"]`;
/// `0, 10, 20` → `["0", "10", "20"]`). Integer labels 0…C−1 keep their values as indices.
public struct LabelEncoding: Sendable, Equatable {
  /// The most distinct integer labels rule 3 always takes as classes.
  ///
  ///     LabelEncoding.maximumDistinctClasses   // 20
  public static let maximumDistinctClasses = 20
  /// The largest share of distinct integer labels among the rows that rule 3 takes as classes.
  ///
  ///     LabelEncoding.maximumDistinctShare   // 0.05
  public static let maximumDistinctShare = 0.05

  /// Classification or regression.
  public let task: LearningTask
  /// Why the task was chosen, for a message: `"the labels are text"`, `"asked for"`.
  public let reason: String
  /// Whether ``task`` came from the rule rather than being asked for.
  public let isInferred: Bool
  /// Each class's name, index by index; nil for regression.
  public let classNames: [String]?
  /// Each row's class index; nil for regression.
  public let classIndices: [Int]?
  /// Each row's target; nil for classification.
  public let targets: [Float]?

  /// Encodes the labels `texts` (trimmed cells), whose numeric values are `values` (nil for
  /// text; computed from `texts` when not given). Numeric labels may come as `values` alone
  /// (`texts` empty).
  ///
  ///     try LabelEncoding(texts: ["0", "10", "20"], task: nil).classNames   // ["0", "10", "20"]
  ///
  /// - Parameters:
  ///   - texts: the label cells, trimmed.
  ///   - values: their numeric values (nil for text); nil computes them from `texts`.
  ///   - requested: the task asked for, or nil to apply the rule.
  ///   - maximumClassCount: the most classes accepted.
  /// - Throws: ``Problem``: text labels for regression, fractional labels for
  ///   classification, or more than `maximumClassCount` classes.
  public init(
    texts: [String], values: [Double?]? = nil, task requested: LearningTask?, maximumClassCount: Int = 10_000
  ) throws(Problem) {
    let values = values ?? texts.map { Double($0) }
    let textRow = values.firstIndex { $0 == nil }
    let fractionalRow = values.firstIndex { value in value.map { !Self.isInteger($0) } ?? false }
    let integers = textRow == nil && fractionalRow == nil ? values.map { Int($0 ?? 0) } : nil
    let distinct = integers.map { Set($0).count } ?? 0
    if requested == .regression, let textRow { throw .textForRegression(row: textRow) }
    if requested == .classification, textRow == nil, let fractionalRow { throw .fractionForClassification(row: fractionalRow) }
    let task: LearningTask
    if let requested {
      (task, reason) = (requested, "asked for")
    } else if textRow != nil {
      (task, reason) = (.classification, "the labels are text")
    } else if let fractionalRow {
      (task, reason) = (
        .regression,
        "the labels are numbers with decimals (such as \(texts.indices.contains(fractionalRow) ? texts[fractionalRow] : String(values[fractionalRow] ?? 0)))"
      )
    } else if distinct <= Self.maximumDistinctClasses {
      (task, reason) = (.classification, "the labels are \(distinct) distinct integers (at most \(Self.maximumDistinctClasses))")
    } else if Double(distinct) <= Self.maximumDistinctShare * Double(values.count) {
      (task, reason) = (
        .classification,
        "the labels are \(distinct) distinct integers among \(values.count) rows (at most \(Self.percent) of the rows)"
      )
    } else {
      (task, reason) = (
        .regression,
        "the labels are \(distinct) distinct integers among \(values.count) rows "
          + "(more than \(Self.maximumDistinctClasses) and more than \(Self.percent) of the rows)"
      )
    }
    self.task = task
    isInferred = requested == nil
    guard task == .classification else {
      (classNames, classIndices) = (nil, nil)
      targets = values.map { Float($0 ?? 0) }
      return
    }
    targets = nil
    let names: [String]
    if let integers {
      let sorted = Set(integers).sorted()
      names = sorted.map(String.init)
      let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($0.element, $0.offset) })
      classIndices = integers.map { index[$0] ?? 0 }
    } else {
      names = Set(texts).sorted()
      let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
      classIndices = texts.map { index[$0] ?? 0 }
    }
    guard names.count <= maximumClassCount else { throw .tooManyClasses(names.count) }
    classNames = names
  }

  /// Why labels cannot be encoded for the task asked for.
  public enum Problem: Error, Equatable {
    /// Regression was asked for, but the label in this row (from 0) is text.
    case textForRegression(row: Int)
    /// Classification was asked for, but the label in this row (from 0) is a number with decimals.
    case fractionForClassification(row: Int)
    /// The labels make this many classes, more than the limit.
    case tooManyClasses(Int)
  }

  /// `5%`.
  private static var percent: String { "\(Int((maximumDistinctShare * 100).rounded()))%" }

  /// Whether `value` is a whole number small enough to be an exact `Int` class value.
  private static func isInteger(_ value: Double) -> Bool {
    value == value.rounded() && abs(value) < 9_007_199_254_740_992
  }
}
