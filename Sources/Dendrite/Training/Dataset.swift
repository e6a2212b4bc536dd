/// An in-memory data set: a feature matrix `[N, D]` and one label per row, either a class
/// index (classification) or a target vector (regression).
///
///     let data = try Dataset(features: Tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), classIndices: [0, 1, 1, 0])
///     let (train, test) = data.split(testFraction: 0.25, seed: 42)
public struct Dataset: Sendable {
  /// What the rows are labelled with.
  public enum Labels: Sendable, Equatable {
    /// One class index per row, each in `0..<classCount`.
    case classes([Int], classCount: Int)
    /// One target vector per row, `[N, outputs]`.
    case targets(Tensor)
  }

  /// The features, `[N, D]`.
  public private(set) var features: Tensor
  /// The labels.
  public private(set) var labels: Labels
  /// A short name for messages and model files (`digits`, a file name, …).
  public var name: String
  /// The feature names, when the source had them.
  public var featureNames: [String]?
  /// The range every feature lies in by the source's definition (IDX images of bytes:
  /// 0…255), or nil for tabular data. Image data is scaled by this fixed range by default
  /// (``Preprocessing/fixedRange(_:featureCount:)``) rather than standardised per column,
  /// which would give rare pixels huge z-scores.
  public var featureRange: ClosedRange<Float>?
  /// The shape of one sample when each row is an image read row by row, `[C, H, W]`
  /// (`[1, 28, 28]` for MNIST from IDX files), else nil. A convolutional model turns rows
  /// back into images of this shape (``Unflatten``); see
  /// ``ArchitectureSpecification/makeModel(inputShape:outputSize:outputActivation:seed:)``.
  ///
  ///     try Datasets.mnist5k().sampleShape   // [1, 28, 28]
  public var sampleShape: [Int]?
  /// The name of each class, index by index, when the source had them (a CSV's label
  /// texts, `["setosa", "versicolor", "virginica"]`); nil means the names are the indices.
  ///
  ///     data.classNames?[data.classIndices?[0] ?? 0]   // "setosa"
  public private(set) var classNames: [String]?

  /// A classification data set.
  ///
  ///     let data = try Dataset(features: Tensor([[1], [2]]), classIndices: [0, 1], classNames: ["cat", "dog"])
  ///
  /// - Parameters:
  ///   - features: the rows, `[N, D]`, finite.
  ///   - classIndices: the class of each row, N of them.
  ///   - classCount: the number of classes; nil means the largest index + 1, or the number
  ///     of `classNames` when they are given.
  ///   - name: what messages call the data.
  ///   - featureNames: one name per feature column, or nil.
  ///   - classNames: one name per class, in index order; nil when the classes have none.
  /// - Throws: ``DatasetError`` when the features are not `[N, D]` with finite values, the
  ///   label count differs from N, a label is outside `0..<classCount`, or the class names
  ///   are not one per class.
  public init(
    features: Tensor, classIndices: [Int], classCount: Int? = nil, name: String = "data",
    featureNames: [String]? = nil, classNames: [String]? = nil
  ) throws(DatasetError) {
    try Dataset.validate(features: features, rows: classIndices.count, name: name)
    let classCount = classCount ?? classNames?.count ?? ((classIndices.max() ?? -1) + 1)
    if let (row, label) = classIndices.enumerated().first(where: { $0.element < 0 || $0.element >= classCount }) {
      throw DatasetError.labelOutOfRange(dataset: name, row: row, label: label, classCount: classCount)
    }
    if let classNames, classNames.count != classCount {
      throw DatasetError.classNameCountMismatch(dataset: name, names: classNames.count, classCount: classCount)
    }
    self.features = features
    self.labels = .classes(classIndices, classCount: classCount)
    self.name = name
    self.featureNames = featureNames
    self.classNames = classNames
  }

  /// A regression data set: `targets` is `[N, outputs]`.
  ///
  /// - Throws: ``DatasetError`` when shapes disagree or a value is not finite.
  public init(features: Tensor, targets: Tensor, name: String = "data", featureNames: [String]? = nil) throws(DatasetError) {
    guard targets.rank == 2 else { throw DatasetError.badShape(dataset: name, what: "targets", shape: targets.shape) }
    try Dataset.validate(features: features, rows: targets.shape[0], name: name)
    if let index = targets.scalars.firstIndex(where: { !$0.isFinite }) {
      throw DatasetError.nonFiniteValue(dataset: name, row: index / Swift.max(targets.shape[1], 1), column: nil)
    }
    self.features = features
    self.labels = .targets(targets)
    self.name = name
    self.featureNames = featureNames
  }

  /// A data set of either kind, from ``Labels``.
  ///
  ///     let part = try Dataset(features: encoded, labels: all.labels.rows(trainRows), name: "houses")
  ///
  /// - Throws: ``DatasetError``, as the two initialisers above.
  public init(
    features: Tensor, labels: Labels, name: String = "data", featureNames: [String]? = nil, classNames: [String]? = nil
  ) throws(DatasetError) {
    switch labels {
    case .classes(let indices, let classCount):
      try self.init(
        features: features, classIndices: indices, classCount: classCount, name: name, featureNames: featureNames,
        classNames: classNames)
    case .targets(let targets):
      try self.init(features: features, targets: targets, name: name, featureNames: featureNames)
    }
  }

  private static func validate(features: Tensor, rows: Int, name: String) throws(DatasetError) {
    guard features.rank == 2 else { throw DatasetError.badShape(dataset: name, what: "features", shape: features.shape) }
    guard features.shape[0] == rows else {
      throw DatasetError.labelCountMismatch(dataset: name, rows: features.shape[0], labels: rows)
    }
    guard rows > 0 else { throw DatasetError.empty(dataset: name) }
    if let index = features.scalars.firstIndex(where: { !$0.isFinite }) {
      let width = Swift.max(features.shape[1], 1)
      throw DatasetError.nonFiniteValue(dataset: name, row: index / width, column: index % width)
    }
  }

  /// The number of rows.
  public var count: Int { features.shape[0] }
  /// The number of features per row.
  public var featureCount: Int { features.shape[1] }
  /// The number of classes, or nil for regression.
  public var classCount: Int? {
    if case .classes(_, let count) = labels { return count }
    return nil
  }
  /// The class index of each row, or nil for regression.
  public var classIndices: [Int]? {
    if case .classes(let indices, _) = labels { return indices }
    return nil
  }
  /// The regression targets `[N, outputs]`, or nil for classification.
  public var targets: Tensor? {
    if case .targets(let targets) = labels { return targets }
    return nil
  }

  /// The rows at `indices`, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    var copy = self
    let width = featureCount
    var scalars = [Float]()
    scalars.reserveCapacity(indices.count * width)
    for row in indices { scalars += features.scalars[(row * width)..<((row + 1) * width)] }
    copy.features = Tensor(shape: [indices.count, width], scalars: scalars)
    copy.labels = labels.rows(indices)
    return copy
  }

  /// The same data with new features of the same row count (after preprocessing).
  public func replacingFeatures(_ newFeatures: Tensor) -> Dataset {
    precondition(newFeatures.rank == 2 && newFeatures.shape[0] == count, "replacement features \(newFeatures.shape) for \(count) rows")
    var copy = self
    copy.features = newFeatures
    copy.featureRange = nil  // the new features need not lie in the old range
    if newFeatures.shape[1] != featureCount { copy.sampleShape = nil }
    return copy
  }

  /// The same regression data with new targets of the same shape (standardised, say).
  ///
  ///     let scaled = data.replacingTargets(TargetScaling.fit(data.targets ?? targets).apply(targets))
  ///
  /// - Precondition: the data set has targets of `newTargets`' shape.
  public func replacingTargets(_ newTargets: Tensor) -> Dataset {
    precondition(targets?.shape == newTargets.shape, "replacement targets \(newTargets.shape) for targets \(targets?.shape ?? [])")
    var copy = self
    copy.labels = .targets(newTargets)
    return copy
  }

  /// A shuffled split into a training and a test part. For classification it is
  /// stratified: each class contributes `testFraction` of its rows (rounded) to the test
  /// part, so sorted data sets (iris, wine, MNIST) split fairly.
  ///
  ///     let (train, test) = try Datasets.digits().split(testFraction: 0.2, seed: 42)
  ///
  /// - Precondition: `0 < testFraction < 1`.
  public func split(testFraction: Double, seed: UInt64) -> (train: Dataset, test: Dataset) {
    let rows = labels.splitRows(testFraction: testFraction, seed: seed)
    return (subset(rows.train), subset(rows.test))
  }
}

extension Dataset.Labels {
  /// The number of rows labelled.
  public var count: Int {
    switch self {
    case .classes(let indices, _): indices.count
    case .targets(let targets): targets.shape[0]
    }
  }

  /// The rows of ``Dataset/split(testFraction:seed:)``'s two parts, in their shuffled
  /// order, for data held in another form (a ``FeatureTable`` encoded after the split).
  ///
  ///     let rows = Dataset.Labels.classes([0, 0, 1, 1, 1], classCount: 2).splitRows(testFraction: 0.4, seed: 1)
  ///     rows.test.count   // 2: one row of each class
  ///
  /// - Precondition: `0 < testFraction < 1`.
  public func splitRows(testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
    precondition(testFraction > 0 && testFraction < 1, "testFraction must be in (0, 1), got \(testFraction)")
    var generator = RandomGenerator(seed: seed)
    var trainRows: [Int] = []
    var testRows: [Int] = []
    let groups: [[Int]]
    if case .classes(let classes, let classCount) = self {
      var byClass = [[Int]](repeating: [], count: classCount)
      for (row, label) in classes.enumerated() { byClass[label].append(row) }
      groups = byClass
    } else {
      groups = [Array(0..<count)]
    }
    for group in groups where !group.isEmpty {
      let shuffled = group.shuffled(using: &generator)
      var testCount = Int((Double(group.count) * testFraction).rounded())
      if group.count >= 2 { testCount = Swift.min(Swift.max(testCount, 1), group.count - 1) }
      testRows += shuffled[..<testCount]
      trainRows += shuffled[testCount...]
    }
    return (trainRows.shuffled(using: &generator), testRows.shuffled(using: &generator))
  }

  /// The labels of `rows`, in that order.
  public func rows(_ rows: [Int]) -> Dataset.Labels {
    switch self {
    case .classes(let classes, let classCount):
      return .classes(rows.map { classes[$0] }, classCount: classCount)
    case .targets(let targets):
      let outputs = targets.shape[1]
      var values = [Float]()
      values.reserveCapacity(rows.count * outputs)
      for row in rows { values += targets.scalars[(row * outputs)..<((row + 1) * outputs)] }
      return .targets(Tensor(shape: [rows.count, outputs], scalars: values))
    }
  }
}

/// A problem with a data set's contents, with a message that says what to do.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  /// The features (or targets, `what`) are not a matrix `[rows, columns]`.
  case badShape(dataset: String, what: String, shape: [Int])
  /// The number of labels differs from the number of feature rows.
  case labelCountMismatch(dataset: String, rows: Int, labels: Int)
  /// The data set has no rows.
  case empty(dataset: String)
  /// A feature (or, with no column, a target) is NaN or infinite.
  case nonFiniteValue(dataset: String, row: Int, column: Int?)
  /// A class label is outside `0..<classCount`.
  case labelOutOfRange(dataset: String, row: Int, label: Int, classCount: Int)
  /// The class names are not one per class.
  case classNameCountMismatch(dataset: String, names: Int, classCount: Int)

  /// The message, naming the data set and the row: what is wrong and how to fix it.
  public var description: String {
    switch self {
    case .badShape(let dataset, let what, let shape):
      "\(dataset): \(what) must be a matrix [rows, columns], got shape \(shape)"
    case .labelCountMismatch(let dataset, let rows, let labels):
      "\(dataset): \(rows) feature rows but \(labels) labels; every row needs one label"
    case .empty(let dataset):
      "\(dataset): the data set has no rows"
    case .nonFiniteValue(let dataset, let row, let column):
      "\(dataset): row \(row + 1)\(column.map { ", column \($0 + 1)" } ?? ""): the value is NaN or infinite; clean or drop that row"
    case .labelOutOfRange(let dataset, let row, let label, let classCount):
      "\(dataset): row \(row + 1) has label \(label), outside 0..<\(classCount); class labels must be 0, 1, …, C−1"
    case .classNameCountMismatch(let dataset, let names, let classCount):
      "\(dataset): \(names) class names for \(classCount) classes; give one name per class"
    }
  }
}
