import Dendrite

/// The study's worked examples, computed by Dendrite beside the values the study quotes.
///
/// 1. softmax(3, 1, −3): exponentials e³, e¹, e⁻³, their sum, and the probabilities
///    ≈ (0.88, 0.12, 0.00).
/// 2. Logits (1, 5, 3) with the second class (index 1) true: probabilities
///    ≈ (0.015, 0.866, 0.117), the log-likelihood loss −ln a₁, and its gradient with respect
///    to the logits, a − y ≈ (0.015, −0.134, 0.117) in the study (exactly −0.1332 in the
///    middle: the study rounds).
/// 3. A small output layer z = W·a^(L−1) + b producing those logits, whose gradients
///    ∂J/∂W = (a − y)·a^(L−1)ᵀ and ∂J/∂b = a − y are computed by autodiff and by the closed
///    form, side by side.
///
///     let examples = WorkedExamples.compute()
///     print(examples.gradient)   // [0.015876241, -0.13318667, 0.117310435]
public struct WorkedExamples: Sendable {
  /// e³, e¹, e⁻³.
  public let softmaxExponentials: [Float]
  /// e³ + e¹ + e⁻³ (the study prints 22.75; it is 22.85).
  public let softmaxNormalizer: Float
  /// softmax(3, 1, −3).
  public let softmaxProbabilities: [Float]
  /// e¹, e⁵, e³.
  public let logitExponentials: [Float]
  /// e¹ + e⁵ + e³.
  public let logitNormalizer: Float
  /// softmax(1, 5, 3).
  public let probabilities: [Float]
  /// −ln a₁, the log-likelihood loss with class 1 true.
  public let loss: Float
  /// ∂J/∂z by autodiff.
  public let gradient: [Float]
  /// a − y, the closed form.
  public let closedFormGradient: [Float]
  /// The layer's input a^(L−1).
  public let layerInput: [Float]
  /// ∂J/∂W by autodiff, `[3, 2]` row-major (PyTorch's `[out, in]` layout).
  public let weightGradient: [Float]
  /// (a − y)·a^(L−1)ᵀ, the closed form.
  public let closedFormWeightGradient: [Float]
  /// ∂J/∂b by autodiff.
  public let biasGradient: [Float]

  /// The values the study quotes.
  public enum Study {
    /// softmax(3, 1, −3) as the study rounds it.
    public static let softmaxProbabilities: [Float] = [0.88, 0.12, 0.00]
    /// e³ + e¹ + e⁻³ as the study prints it (a slip: it is 22.85).
    public static let softmaxNormalizer: Float = 22.75
    /// softmax(1, 5, 3) as the study quotes it.
    public static let probabilities: [Float] = [0.015, 0.866, 0.117]
    /// The gradient a − y for logits (1, 5, 3), class 1 true, as the study quotes it.
    public static let gradient: [Float] = [0.015, -0.134, 0.117]
  }

  /// Computes every example with the library.
  public static func compute() -> WorkedExamples {
    let scores = Tensor([3, 1, -3])
    let scoreExponentials = exp(scores)
    let logits = Tensor([[1, 5, 3]])
    let trueClass = [1]
    let (loss, gradient) = valueWithGradient(at: logits) {
      softmaxCrossEntropy(logits: $0, classIndices: trueClass)
    }
    let a = softmax(logits)
    let y = Tensor(oneHotClassIndices: trueClass, classCount: 3)
    let closedForm = a - y

    // A 2-input, 3-output layer chosen so that W·a^(L−1) + b = (1, 5, 3).
    let input = Tensor([[1, 0.5]])
    let weight = Tensor([[0.5, 1], [2, 2], [1, 2]])
    let bias = Tensor([0, 2, 1])
    let layerGradients = gradients(at: [weight, bias]) { p in
      softmaxCrossEntropy(logits: matmul(input, p[0].transposed()) + p[1], classIndices: trueClass)
    }
    return WorkedExamples(
      softmaxExponentials: scoreExponentials.scalars,
      softmaxNormalizer: scoreExponentials.sum().scalar,
      softmaxProbabilities: softmax(scores).scalars,
      logitExponentials: exp(logits).scalars,
      logitNormalizer: exp(logits).sum().scalar,
      probabilities: a.scalars,
      loss: loss.scalar,
      gradient: gradient.scalars,
      closedFormGradient: closedForm.scalars,
      layerInput: input.scalars,
      weightGradient: layerGradients[0].scalars,
      closedFormWeightGradient: matmul(closedForm.transposed(), input).scalars,
      biasGradient: layerGradients[1].scalars)
  }

  /// Whether autodiff and the closed forms agree to within 1e-6.
  public var autodiffMatchesClosedForm: Bool {
    func close(_ a: [Float], _ b: [Float]) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-6 }
    }
    return close(gradient, closedFormGradient) && close(weightGradient, closedFormWeightGradient)
      && close(biasGradient, closedFormGradient)
  }

  /// Whether the exact values agree with the study's to within one unit of the last digit
  /// it quotes (it rounds some values and truncates others: 0.0159 appears as 0.015).
  public var agreesWithStudy: Bool {
    func close(_ a: [Float], _ b: [Float], unit: Float) -> Bool {
      zip(a, b).allSatisfy { Swift.abs($0 - $1) <= unit }
    }
    return close(softmaxProbabilities, Study.softmaxProbabilities, unit: 0.01)
      && close(probabilities, Study.probabilities, unit: 0.001) && close(gradient, Study.gradient, unit: 0.001)
  }

  /// The `worked-examples` entry of `results.json`.
  public var result: ExperimentResult {
    ExperimentResult(
      id: "worked-examples",
      claim: "softmax(3, 1, −3) ≈ (0.88, 0.12, 0.00); for logits (1, 5, 3) with the second class true, "
        + "softmax + log-likelihood gives a ≈ (0.015, 0.866, 0.117) and ∂J/∂z = a − y ≈ (0.015, −0.134, 0.117), "
        + "with ∂J/∂b = a − y and ∂J/∂W = (a − y)·a^(L−1)",
      verdict: autodiffMatchesClosedForm && agreesWithStudy ? .confirmed : .refuted,
      metrics: [
        "softmax_3_1_neg3": .floats(softmaxProbabilities),
        "softmax_3_1_neg3_exponentials": .floats(softmaxExponentials),
        "softmax_3_1_neg3_normalizer": .float(softmaxNormalizer),
        "probabilities_1_5_3": .floats(probabilities),
        "exponentials_1_5_3": .floats(logitExponentials),
        "normalizer_1_5_3": .float(logitNormalizer),
        "loss_1_5_3": .float(loss),
        "gradient_1_5_3": .floats(gradient),
        "gradient_1_5_3_closed_form": .floats(closedFormGradient),
        "layer_input": .floats(layerInput),
        "weight_gradient": .floats(weightGradient),
        "weight_gradient_closed_form": .floats(closedFormWeightGradient),
        "bias_gradient": .floats(biasGradient),
        "study_softmax_3_1_neg3": .floats(Study.softmaxProbabilities),
        "study_normalizer_3_1_neg3": .float(Study.softmaxNormalizer),
        "study_probabilities_1_5_3": .floats(Study.probabilities),
        "study_gradient_1_5_3": .floats(Study.gradient),
        "autodiff_matches_closed_form": .bool(autodiffMatchesClosedForm),
      ])
  }

  /// One line of the printed comparison.
  public struct Row: Sendable {
    /// What the line shows.
    public let quantity: String
    /// Dendrite's exact value.
    public let dendrite: String
    /// The study's value, or "—" where it quotes none.
    public let study: String
    /// Where they differ, why.
    public let note: String
  }

  /// The comparison table `dendrite lab` prints.
  public var rows: [Row] {
    [
      Row(quantity: "e^3, e^1, e^-3", dendrite: format(softmaxExponentials), study: "—", note: ""),
      Row(
        quantity: "Σ e^z for (3, 1, −3)", dendrite: format(softmaxNormalizer), study: "22.75",
        note: "the study's 22.75 is a slip: e³ + e + e⁻³ = 22.85"),
      Row(
        quantity: "softmax(3, 1, −3)", dendrite: format(softmaxProbabilities), study: "(0.88, 0.12, 0.00)",
        note: "study rounds to 2 places"),
      Row(quantity: "e^1, e^5, e^3", dendrite: format(logitExponentials), study: "—", note: ""),
      Row(quantity: "Σ e^z for (1, 5, 3)", dendrite: format(logitNormalizer), study: "—", note: ""),
      Row(
        quantity: "a = softmax(1, 5, 3)", dendrite: format(probabilities), study: "(0.015, 0.866, 0.117)",
        note: "study truncates a₀ = 0.0159 to 0.015"),
      Row(quantity: "J = −ln a₁", dendrite: format(loss), study: "—", note: ""),
      Row(
        quantity: "∂J/∂z (autodiff)", dendrite: format(gradient), study: "(0.015, −0.134, 0.117)",
        note: "exact middle value −0.1332; the study rounds to −0.134"),
      Row(quantity: "a − y (closed form)", dendrite: format(closedFormGradient), study: "a − y", note: ""),
      Row(quantity: "∂J/∂b (autodiff)", dendrite: format(biasGradient), study: "a − y", note: ""),
      Row(
        quantity: "∂J/∂W (autodiff)", dendrite: format(weightGradient), study: "(a − y)·a^(L−1)",
        note: "a^(L−1) = \(format(layerInput)), rows = outputs"),
      Row(quantity: "(a − y)·a^(L−1) (closed form)", dendrite: format(closedFormWeightGradient), study: "", note: ""),
    ]
  }

  private func format(_ value: Float) -> String { String(format4(value)) }
  private func format(_ values: [Float]) -> String {
    "(" + values.map(format4).joined(separator: ", ") + ")"
  }
}

/// A value with four significant decimals after the point, as the table shows it.
private func format4(_ value: Float) -> String {
  let scaled = (Double(value) * 10_000).rounded() / 10_000
  var text = "\(scaled)"
  if scaled == 0 { text = "0.0000" }
  if let dot = text.firstIndex(of: ".") {
    let decimals = text.distance(from: dot, to: text.endIndex) - 1
    if decimals < 4 { text += String(repeating: "0", count: 4 - decimals) }
  }
  return text
}

extension WorkedExamples {
  /// The lab's `worked-examples` entry and report section.
  public var outcome: ExperimentOutcome {
    let table = HTMLReport.Table(
      header: ["quantity", "Dendrite (exact)", "study", "note"],
      rows: rows.map { [$0.quantity, $0.dendrite, $0.study, $0.note] })
    return ExperimentOutcome(
      result: result,
      section: HTMLReport.Section(
        heading: "Worked examples: softmax and the log-likelihood gradient a − y",
        verdict: result.verdict,
        blocks: [
          .paragraph(
            "The study's hand calculations, recomputed by the library. The gradient with respect to the logits "
              + "comes from reverse-mode autodiff and equals the closed form a − y; the layer's gradients "
              + "∂J/∂W = (a − y)·a^(L−1) and ∂J/∂b = a − y agree too."),
          .table(table),
        ]),
      charts: [],
      headline: "∂J/∂z = (\(gradient.map { figure($0) }.joined(separator: ", "))) = a − y")
  }
}
