import Dendrite

/// Digits with a 64-32-10 network (sigmoid hidden layer): softmax outputs with the
/// log-likelihood loss against sigmoid outputs with MSE on one-hot targets (rule 2).
///
/// Softmax + log-likelihood gives ∂J/∂z = a − y for every class; sigmoid + MSE gives
/// 2(a − y)·κ′(z) per output, and its outputs are not a distribution.
enum SoftmaxLogLikelihood {
  static let id = "softmax-log-likelihood"

  static func run(quick: Bool) throws -> ExperimentOutcome {
    let data = try LabConventions.prepare("digits", quick: quick)
    let epochs = quick ? 3 : 30
    let learningRate: Float = 0.1

    func train(outputActivation: Activation, loss: Loss, objective: ((Tensor, Dataset.Labels) -> Tensor)?) throws
      -> (model: Sequential, history: [Float])
    {
      var model = LabConventions.network(
        inputs: data.train.featureCount, hidden: [32], activation: .sigmoid, outputs: 10,
        outputActivation: outputActivation)
      var optimizer = SGD(learningRate: learningRate)
      let recorder = TrainingAccuracyRecorder(data: data.test, loss: loss)
      try model.fit(
        data.train, loss: loss, optimizer: &optimizer, epochs: epochs, batchSize: 32,
        seed: LabConventions.trainingSeed, callbacks: [recorder], objective: objective)
      return (model, recorder.accuracies)
    }

    let softmaxRun = try train(outputActivation: .linear, loss: .softmaxCrossEntropy, objective: nil)
    let sigmoidRun = try train(
      outputActivation: .sigmoid, loss: .meanSquaredError, objective: LabConventions.studyMeanSquaredError)
    // The same with Keras's convention (averaged over the 10 outputs): a 10× smaller gradient.
    let averagedRun = try train(outputActivation: .sigmoid, loss: .meanSquaredError, objective: nil)

    let softmaxAccuracy = LabConventions.accuracy(softmaxRun.model, on: data.test, loss: .softmaxCrossEntropy)
    let sigmoidAccuracy = LabConventions.accuracy(sigmoidRun.model, on: data.test, loss: .meanSquaredError)
    let averagedAccuracy = LabConventions.accuracy(averagedRun.model, on: data.test, loss: .meanSquaredError)
    let probabilities = softmax(softmaxRun.model(data.test.features))
    let rowSums = probabilities.sum(alongAxis: -1).scalars
    let largestDeviation = rowSums.map { Swift.abs($0 - 1) }.max() ?? .nan
    let sigmoidSums = sigmoidRun.model(data.test.features).sum(alongAxis: -1).scalars
    let verdict: Verdict = softmaxAccuracy > sigmoidAccuracy ? .confirmed : (softmaxAccuracy == sigmoidAccuracy ? .inconclusive : .refuted)

    let metrics: [String: JSONValue] = [
      "epochs": .integer(epochs),
      "learning_rate": .float(learningRate),
      "test_accuracy_softmax_nll": .float(softmaxAccuracy),
      "test_accuracy_sigmoid_mse": .float(sigmoidAccuracy),
      "test_accuracy_sigmoid_mse_averaged_over_outputs": .float(averagedAccuracy),
      "max_softmax_row_sum_deviation": .float(largestDeviation),
      "sigmoid_output_row_sum_range": .floats([sigmoidSums.min() ?? .nan, sigmoidSums.max() ?? .nan]),
      "test_accuracy_per_epoch_softmax_nll": .floats(softmaxRun.history),
      "test_accuracy_per_epoch_sigmoid_mse": .floats(sigmoidRun.history),
    ]
    let epochAxis = (1...epochs).map(Double.init)
    let chart = SVGChart(
      title: "Digits, 64-32-10 network (sigmoid hidden): test accuracy per epoch",
      xLabel: "epoch", yLabel: "test accuracy (fraction)", yRange: 0...1,
      series: [
        SVGChart.Series(name: "softmax + log-likelihood", x: epochAxis, y: softmaxRun.history.map(Double.init), paletteIndex: 1),
        SVGChart.Series(name: "sigmoid + MSE (summed over outputs)", x: epochAxis, y: sigmoidRun.history.map(Double.init), paletteIndex: 0),
        SVGChart.Series(
          name: "sigmoid + MSE (averaged over outputs)", x: epochAxis, y: averagedRun.history.map(Double.init), dashed: true,
          paletteIndex: 0),
      ])
    let section = HTMLReport.Section(
      heading: "Classification: softmax with log-likelihood against sigmoid outputs with MSE",
      verdict: verdict,
      blocks: [
        .paragraph(
          "Digits, 64 inputs, 32 sigmoid hidden units, 10 outputs; batch 32, plain SGD at learning rate 0.1, "
            + "\(epochs) epochs, identical initial weights. Softmax + log-likelihood reaches a test accuracy of "
            + "\(figure(softmaxAccuracy)); sigmoid outputs + MSE on one-hot targets reach \(figure(sigmoidAccuracy))."),
        .chart(chart),
        .table(
          HTMLReport.Table(
            header: ["output and loss", "test accuracy"],
            rows: [
              ["softmax + log-likelihood", figure(softmaxAccuracy)],
              ["sigmoid + MSE summed over the 10 outputs (the study's form)", figure(sigmoidAccuracy)],
              ["sigmoid + MSE averaged over the 10 outputs (Keras's form)", figure(averagedAccuracy)],
            ])),
        .paragraph(
          "Softmax rows are probability distributions: the largest deviation of a row sum from 1 is "
            + "\(figure(largestDeviation)). The sigmoid outputs are not: their row sums range from "
            + "\(figure(sigmoidSums.min())) to \(figure(sigmoidSums.max())). The MSE convention matters: averaging "
            + "over the outputs instead of summing divides every gradient by 10, the same as a 10× smaller "
            + "learning rate, and moves the sigmoid result from \(figure(sigmoidAccuracy)) to \(figure(averagedAccuracy))."),
      ])
    return ExperimentOutcome(
      result: ExperimentResult(
        id: id, claim: "For classification, softmax outputs with the log-likelihood loss beat sigmoid outputs with MSE (rule 2)",
        verdict: verdict, metrics: .object(metrics)),
      section: section, charts: [NamedChart(fileName: "\(id).svg", svg: chart.svg())],
      headline: "test accuracy: softmax+NLL \(figure(softmaxAccuracy)), sigmoid+MSE \(figure(sigmoidAccuracy))")
  }
}
