import ArgumentParser
import Dendrite
import DendriteData

/// `dendrite evaluate`: scores a saved model on a data set: on the model's own training data
/// only its held-out test rows (unless `--all-rows`), on other data every row.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a saved model on a data set (bundled name, CSV or IDX).",
    discussion: """
      On the data the model was trained on (the same bundled set, or a file with the same \
      SHA-256, recorded in the model file) only the held-out test rows of the model's split \
      are scored, unless --all-rows is given; any other data is scored whole.
      Classifiers: accuracy, loss, the confusion matrix (true classes as rows, predicted \
      as columns) and per-class precision, recall, F1 and support with macro and \
      weighted averages. Regressors: loss, MAE, RMSE and R² (1 − SS_res/SS_tot).
      """)

  @Option(help: ArgumentHelp("A model file written by `dendrite train --save`.", valueName: "FILE"))
  var model: String

  @Option(help: ArgumentHelp("A bundled data set, a CSV file or an IDX images file.", valueName: "NAME|FILE"))
  var dataset: String

  @Option(parsing: .unconditional, help: ArgumentHelp("A CSV's label column: a header name, or an index from 0 (negative counts from the end); default the column the model was trained on, when the file has it, else the last.", valueName: "COLUMN"))
  var label: String?

  @Flag(help: "Score every row, even when the data is the model's own training data.")
  var allRows = false

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  @OptionGroup var threadOption: ThreadOption

  func run() throws {
    threadOption.apply()
    try reportingErrors {
      let file = try ModelFile.load(from: model)
      // Missing cells are filled when the model stores fill values (rows with a missing label
      // are left out), rows with them dropped when training dropped them, else they are an error.
      let fills = file.featureEncoding?.columns.contains { column in
        switch column.kind {
        case .number(let fill): fill != nil
        case .oneHot(_, let fill): fill != nil
        }
      } ?? false
      let loaded = try DatasetSource.loadLabeled(
        dataset, labelColumn: label.map(LabelColumn.init(argument:)),
        task: file.task == .regression ? .regression : .classification,
        missing: file.dataset?.missing == .drop ? .drop : fills ? .mean : nil,
        recordedLabel: file.labelColumn.map(LabelColumn.init(argument:)))
      if let csv = loaded.csv, csv.droppedRowCount > 0 {
        let why = csv.missing == .drop ? "with missing cells (the model was trained with --missing drop)" : "with a missing label"
        Terminal.printError("note: \(csv.droppedRowCount) of \(csv.sourceRowCount) rows \(why) left out")
      }
      let (table, hasHeader) = loaded.table
      let columnCount = file.featureEncoding?.columns.count ?? file.inputSize
      let (inputs, notes) = try FeatureMatching.inputs(table, hasHeader: hasHeader, for: file, source: dataset, model: model) {
        "\(dataset) has \(table.columnCount) features but the model \(model) takes \(columnCount); evaluate it on data like the data it was trained on"
      }
      for note in notes { Terminal.printError(note) }
      var data = try Dataset(features: inputs, labels: loaded.labels, name: loaded.name, classNames: loaded.classNames)
      if file.task == .classification { data = try data.numberingClasses(like: file, source: dataset) }
      if file.task == .regression, let classes = data.classIndices {
        data = try Dataset(features: data.features, targets: Tensor(shape: [classes.count, 1], scalars: classes.map(Float.init)), name: data.name)
      }
      if let modelClasses = file.classCount, data.classIndices == nil {
        throw CommandError(
          "\(dataset): the labels are not class indices (whole numbers 0…\(modelClasses - 1)) but the model \(model) is a classifier of \(modelClasses) classes; evaluate it on data labelled with its classes")
      }
      if let classes = data.classCount, let modelClasses = file.classCount, classes > modelClasses {
        throw CommandError(
          "\(dataset) has labels up to \(classes - 1) but the model knows \(modelClasses) classes (labels 0…\(modelClasses - 1)); evaluate it on data with the same classes")
      }
      if let modelClasses = file.classCount, let indices = data.classIndices {
        data = try Dataset(features: data.features, classIndices: indices, classCount: modelClasses, name: data.name)
      }
      // The labels are now numbered as in training, so the model's split finds the same rows.
      let scored = try HeldOutRows(
        of: data, argument: dataset, record: file.dataset, labelColumn: loaded.csv?.labelColumnDescription,
        sourceRowCount: loaded.csv?.sourceRowCount, allRows: allRows)
      data = scored.data
      let scaled = data.replacingFeatures(file.preprocessing.apply(data.features))
      var outputs = file.model(scaled.features)
      if let targets = data.targets, targets.shape != outputs.shape {
        throw CommandError(
          "\(dataset) has \(targets.shape[1]) target columns but the model \(model) predicts \(outputs.shape[1]); evaluate it on data like the data it was trained on")
      }
      // A regressor trained on standardised targets: the loss on standardised targets (as in
      // training), MAE, RMSE and R² in the targets' own units.
      // (The model file guarantees one scaling column per output, and the check above one
      // target column per output.)
      var scores: [String: Float]
      if let scaling = file.targetScaling, let targets = scaled.targets {
        scores = file.model.evaluate(scaled.replacingTargets(scaling.apply(targets)), loss: file.loss)
        outputs = scaling.invert(outputs)
        scores["mae"] = RegressionReport(predictions: outputs, targets: targets).meanAbsoluteError
      } else {
        scores = file.model.evaluate(scaled, loss: file.loss)
      }
      let classNames = (0..<(file.classCount ?? 0)).map(file.className)
      let evaluation = Evaluation(data: scaled, outputs: outputs, loss: file.loss, classNames: classNames)
      if json {
        var object = scores.mapValues { JSONValue.float($0) }
        object["samples"] = .number(Double(data.count))
        object["rows"] = .number(Double(data.count))
        object["scored_on"] = .string(scored.scope.rawValue)
        object.merge(evaluation.json) { _, new in new }
        JSONOutput.print(.object(object))
      } else {
        let figures = scores.keys.sorted().map { "\($0) \(String(format: "%.4f", scores[$0] ?? .nan))" }
        print("\(data.name): \(data.count) rows  " + figures.joined(separator: "  "))
        print(scored.summary)
        print(evaluation.text)
      }
    }
  }
}

extension Dataset {
  /// The same rows with each class numbered as `file` numbers it, matched by name (a
  /// model file without class names names its classes "0", "1", …), so that a CSV holding
  /// only some of the classes, or ordering them otherwise, is scored correctly.
  func numberingClasses(like file: ModelFile, source: String) throws -> Dataset {
    guard let names = classNames, let indices = classIndices, let modelClasses = file.classCount else { return self }
    let modelIndex = Dictionary((0..<modelClasses).map { (file.className($0), $0) }, uniquingKeysWith: { first, _ in first })
    var renumbered: [Int] = []
    renumbered.reserveCapacity(indices.count)
    for index in indices {
      guard let number = modelIndex[names[index]] else {
        let known = (0..<min(modelClasses, 10)).map(file.className).joined(separator: ", ")
        throw CommandError(
          "\(source): the label \"\(names[index])\" is not one of the model's classes (\(known)\(modelClasses > 10 ? ", …" : "")); evaluate it on data with the same classes")
      }
      renumbered.append(number)
    }
    return try Dataset(
      features: features, classIndices: renumbered, classCount: modelClasses, name: name, featureNames: featureNames,
      classNames: (0..<modelClasses).map(file.className))
  }
}
