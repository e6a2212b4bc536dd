import Dendrite
import DendriteData
import Testing

@Suite("CSV labels: classes, names and the task rule")
struct LabelEncodingTests {
  @Test("text labels are classes named by their texts, in sorted order")
  func textLabels() throws {
    let encoding = try LabelEncoding(texts: ["virginica", "setosa", "versicolor", "setosa"], task: nil)
    #expect(encoding.task == .classification)
    #expect(encoding.isInferred)
    #expect(encoding.reason == "the labels are text")
    #expect(encoding.classNames == ["setosa", "versicolor", "virginica"])
    #expect(encoding.classIndices == [2, 0, 1, 0])
    #expect(encoding.targets == nil)
  }

  @Test("integer labels that are not 0…C−1 make C classes named by their values, sorted numerically")
  func oddIntegers() throws {
    let cases: [([String], [String], [Int])] = [
      (["1", "2", "3", "2"], ["1", "2", "3"], [0, 1, 2, 1]),
      (["20", "0", "10"], ["0", "10", "20"], [2, 0, 1]),
      (["-1", "1", "1"], ["-1", "1"], [0, 1, 1]),
      (["0", "1", "2"], ["0", "1", "2"], [0, 1, 2]),
      (["1.0", "2"], ["1", "2"], [0, 1]),
    ]
    for (texts, names, indices) in cases {
      let encoding = try LabelEncoding(texts: texts, task: nil)
      #expect(encoding.task == .classification)
      #expect(encoding.classNames == names)
      #expect(encoding.classIndices == indices)
    }
    #expect(try LabelEncoding(texts: ["20", "0", "10"], task: nil).reason == "the labels are 3 distinct integers (at most 20)")
  }

  @Test("decimals are regression targets")
  func decimals() throws {
    let encoding = try LabelEncoding(texts: ["0.5", "2", "-1.25"], task: nil)
    #expect(encoding.task == .regression)
    #expect(encoding.targets == [0.5, 2, -1.25])
    #expect(encoding.classNames == nil)
    #expect(encoding.reason == "the labels are numbers with decimals (such as 0.5)")
  }

  @Test("more than 20 distinct integers: classes only when they are at most 5% of the rows")
  func manyIntegers() throws {
    let hundredRows = (0..<100).map { String($0 % 21) }
    let regression = try LabelEncoding(texts: hundredRows, task: nil)
    #expect(regression.task == .regression)
    #expect(regression.reason == "the labels are 21 distinct integers among 100 rows (more than 20 and more than 5% of the rows)")
    let manyRows = (0..<500).map { String($0 % 21) }
    let classes = try LabelEncoding(texts: manyRows, task: nil)
    #expect(classes.task == .classification)
    #expect(classes.classNames?.count == 21)
    #expect(classes.reason == "the labels are 21 distinct integers among 500 rows (at most 5% of the rows)")
  }

  @Test("a task asked for overrides the rule; impossible requests throw")
  func requested() throws {
    let regression = try LabelEncoding(texts: ["1", "2", "1"], task: .regression)
    #expect(regression.task == .regression)
    #expect(!regression.isInferred)
    #expect(regression.reason == "asked for")
    #expect(regression.targets == [1, 2, 1])
    #expect(throws: LabelEncoding.Problem.textForRegression(row: 1)) {
      try LabelEncoding(texts: ["1", "cat"], task: .regression)
    }
    #expect(throws: LabelEncoding.Problem.fractionForClassification(row: 0)) {
      try LabelEncoding(texts: ["1.5", "2"], task: .classification)
    }
    #expect(throws: LabelEncoding.Problem.tooManyClasses(3)) {
      try LabelEncoding(texts: ["a", "b", "c"], task: .classification, maximumClassCount: 2)
    }
  }

  @Test("loadLabeled names the label column by header, else by index, and keeps class names through a split")
  func labeledCSV() throws {
    let loaded = try CSVLoader.loadLabeled(
      bytes: Array("species,x\nsetosa,1\nvirginica,2\nsetosa,3\nvirginica,4\n".utf8), labelColumn: .name("species"))
    #expect(loaded.labelColumnIndex == 0)
    #expect(loaded.labelColumnDescription == "species")
    #expect(try loaded.dataset().classNames == ["setosa", "virginica"])
    #expect(try loaded.dataset().classIndices == [0, 1, 0, 1])
    #expect(try loaded.dataset().featureNames == ["x"])
    #expect(try loaded.dataset().split(testFraction: 0.5, seed: 1).train.classNames == ["setosa", "virginica"])
    let bare = try CSVLoader.loadLabeled(bytes: Array("1,2,0\n3,4,1\n".utf8), labelColumn: .index(-1))
    #expect(bare.labelColumnName == nil)
    #expect(bare.labelColumnDescription == "2")
  }
}

@Suite("CSV header detection with text labels")
struct TextLabelHeaderTests {
  @Test("a file without a header whose labels are text keeps its first row; a header above text labels is a header")
  func headerDetection() throws {
    let bare = try CSVLoader.load(text: "5.1,3.5,setosa\n4.9,3.0,setosa\n6.7,3.0,virginica\n")
    #expect(bare.count == 3)
    #expect(bare.featureNames == nil)
    #expect(bare.classNames == ["setosa", "virginica"])
    #expect(bare.classIndices == [0, 0, 1])
    let headed = try CSVLoader.load(text: "sepal,petal,species\n5.1,3.5,setosa\n6.7,3.0,virginica\n")
    #expect(headed.count == 2)
    #expect(headed.featureNames == ["sepal", "petal"])
    #expect(headed.classNames == ["setosa", "virginica"])
    #expect(throws: DataError.noDataRows(file: "input.csv")) { try CSVLoader.load(text: "a,b,species\n") }
  }
}
