import Dendrite
import Testing

@Suite("FeatureEncoding: one-hot categories and fill values fitted on training rows")
struct FeatureEncodingTests {
  /// rooms (one missing), city (Lyon, Paris, Nice; one missing).
  static let table = FeatureTable(
    names: ["rooms", "city"],
    columns: [
      .numbers([3, 4, .nan, 5, 1]),
      .categories(codes: [0, 1, 0, -1, 2], names: ["Lyon", "Paris", "Nice"]),
    ])

  @Test("categories come from the training rows, sorted; an unseen one encodes as zeros and is counted")
  func oneHot() throws {
    let encoding = try FeatureEncoding.fit(Self.table, rows: [0, 1], missing: .error)
    #expect(encoding.inputNames == ["rooms", "city=Lyon", "city=Paris"])
    #expect(encoding.oneHotInputs == [1, 2])
    #expect(encoding.inputCount == 3)
    let (features, unseen, filled) = try encoding.apply(to: Self.table, rows: [1, 4, 0])
    #expect(features.shape == [3, 3])
    #expect(features.scalars == [4, 0, 1, 1, 0, 0, 3, 1, 0])  // Nice (row 4) is all zeros
    #expect(unseen == ["city": 1])
    #expect(filled == 0)
  }

  @Test("without fill values a missing cell is an error naming its row and column")
  func missingIsAnError() throws {
    let encoding = try FeatureEncoding.fit(Self.table, rows: [0, 1, 4])
    #expect(throws: FeatureEncoding.Problem.missingCell(column: "rooms", row: 2)) { try encoding.apply(to: Self.table) }
    #expect(throws: FeatureEncoding.Problem.missingCell(column: "city", row: 3)) {
      try encoding.apply(to: Self.table, rows: [3])
    }
  }

  @Test("mean fills numbers with the training mean and categories with the most frequent training value")
  func meanFill() throws {
    let encoding = try FeatureEncoding.fit(Self.table, rows: [0, 1, 2, 3, 4], missing: .mean)
    // rooms: mean of 3, 4, 5, 1 = 3.25; city: Lyon twice, Paris and Nice once.
    #expect(encoding.columns[0].kind == .number(fill: 3.25))
    #expect(encoding.columns[1].kind == .oneHot(categories: ["Lyon", "Nice", "Paris"], fill: "Lyon"))
    let (features, _, filled) = try encoding.apply(to: Self.table, rows: [2, 3])
    #expect(features.scalars == [3.25, 1, 0, 0, 5, 1, 0, 0])
    #expect(filled == 2)
    // A tie goes to the first category in sorted order.
    let tied = try FeatureEncoding.fit(Self.table, rows: [1, 4], missing: .mean)
    #expect(tied.columns[1].kind == .oneHot(categories: ["Nice", "Paris"], fill: "Nice"))
  }

  @Test("a column with no value in the training rows cannot be filled")
  func noValues() {
    #expect(throws: FeatureEncoding.Problem.noValues(column: "rooms")) {
      try FeatureEncoding.fit(Self.table, rows: [2], missing: .mean)
    }
  }

  @Test("a numeric column in new data is matched against text categories by its canonical text")
  func numbersAsCategories() throws {
    let training = FeatureTable(names: ["grade"], columns: [.categories(codes: [0, 1, 2], names: ["1", "2", "x"])])
    let encoding = try FeatureEncoding.fit(training)
    let new = FeatureTable(names: ["grade"], columns: [.numbers([2, 1, 7])])
    let (features, unseen, _) = try encoding.apply(to: new)
    #expect(features.scalars == [0, 1, 0, 1, 0, 0, 0, 0, 0])
    #expect(unseen == ["grade": 1])
    #expect(FeatureTable.categoryName(2) == "2" && FeatureTable.categoryName(2.5) == "2.5")
    #expect(throws: FeatureEncoding.Problem.kindMismatch(column: "rooms", expected: "numbers")) {
      try FeatureEncoding(columns: [.init(name: "rooms", kind: .number(fill: nil))])
        .apply(to: FeatureTable(names: ["rooms"], columns: [.categories(codes: [0], names: ["a"])]))
    }
  }

  @Test("the encoding round-trips through JSON and a model file; malformed JSON is refused")
  func serialization() throws {
    let encoding = try FeatureEncoding.fit(Self.table, missing: .mean)
    #expect(FeatureEncoding(json: encoding.json) == encoding)
    #expect(FeatureEncoding(json: ["columns": [["name": "c", "kind": "one_hot", "categories": ["a"], "fill": "b"]]]) == nil)
    #expect(FeatureEncoding(json: ["columns": [["name": "c", "kind": "one_hot", "categories": ["a", "a"]]]]) == nil)
    #expect(FeatureEncoding(json: ["columns": [["name": "c", "kind": "words"]]]) == nil)
    let model = Sequential.multilayerPerceptron(inputSize: 4, hiddenSizes: [], activation: .relu, outputSize: 1, seed: 1)
    let record = DatasetRecord(
      name: "houses.csv", sha256: String(repeating: "ab", count: 32), rowCount: 5, labelColumn: "price", seed: 7,
      testFraction: 0.2, validationFraction: 0.1, missing: .mean)
    let file = try ModelFile(model: model, loss: .meanSquaredError, classCount: nil, featureEncoding: encoding, dataset: record)
    let reloaded = try ModelFile(safetensors: SafetensorsFile(bytes: file.safetensors().encoded()))
    #expect(reloaded.featureEncoding == encoding)
    #expect(reloaded.featureNames == ["rooms", "city=Lyon", "city=Nice", "city=Paris"])
    #expect(reloaded.dataset == record)
    // A malformed entry is an error that names its key, for either entry.
    for key in ["dendrite.columns", "dendrite.dataset"] {
      var damaged = file.safetensors()
      damaged.metadata[key] = #"{"columns": 3, "name": 7}"#
      #expect(throws: ModelFileError.self) { try ModelFile(safetensors: SafetensorsFile(bytes: damaged.encoded())) }
      do {
        _ = try ModelFile(safetensors: SafetensorsFile(bytes: damaged.encoded()))
      } catch {
        #expect("\(error)".contains(key))
      }
    }
    #expect(throws: ModelFileError.self) {
      try ModelFile(model: Sequential.multilayerPerceptron(inputSize: 3, hiddenSizes: [], activation: .relu, outputSize: 1, seed: 1),
                    loss: .meanSquaredError, classCount: nil, featureEncoding: encoding)
    }
  }

  @Test("the split of rows is the split of the data set")
  func splitRowsMatchesSplit() throws {
    let data = try Dataset(
      features: Tensor(shape: [10, 1], scalars: (0..<10).map(Float.init)), classIndices: [0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
    let (train, test) = data.split(testFraction: 0.3, seed: 5)
    let rows = data.labels.splitRows(testFraction: 0.3, seed: 5)
    #expect(train.features.scalars == rows.train.map(Float.init))
    #expect(test.features.scalars == rows.test.map(Float.init))
    #expect(Set(rows.test.map { data.classIndices?[$0] ?? -1 }) == [0, 1, 2])
  }

  @Test("leavingUnscaled keeps one-hot inputs at 0/1")
  func unscaledColumns() {
    let scaling = Preprocessing.standardize(mean: [1, 0.5, 0.5], standardDeviation: [2, 0.5, 0.5]).leavingUnscaled([1, 2])
    #expect(scaling == .standardize(mean: [1, 0, 0], standardDeviation: [2, 1, 1]))
    #expect(Preprocessing.minMax(minimum: [1, 0.2], maximum: [3, 0.9]).leavingUnscaled([1]) == .minMax(minimum: [1, 0], maximum: [3, 1]))
  }
}
