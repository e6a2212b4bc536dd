import Dendrite

/// What a measurement says about one of the study's claims.
public enum Verdict: String, Sendable, Codable {
  /// The measurement bears the claim out.
  case confirmed
  /// The measurement contradicts the claim.
  case refuted
  /// The measurement neither bears out nor contradicts the claim.
  case inconclusive
}

/// One experiment's entry in `results.json`: the claim it tests, the verdict the
/// measurements give, and the measurements themselves.
///
///     ExperimentResult(id: "worked-examples", claim: "…", verdict: .confirmed, metrics: ["loss": 0.1429317])
public struct ExperimentResult: Sendable, Codable, Equatable {
  /// A stable identifier, such as `worked-examples`.
  public var id: String
  /// The study's claim, in one sentence.
  public var claim: String
  /// What the measurements say about the claim.
  public var verdict: Verdict
  /// The measured figures, keyed as the results schema (docs/results-schema.md) says.
  public var metrics: JSONValue

  /// Creates an experiment result.
  public init(id: String, claim: String, verdict: Verdict, metrics: JSONValue) {
    self.id = id
    self.claim = claim
    self.verdict = verdict
    self.metrics = metrics
  }

  /// The entry as `results.json` holds it, under the same keys as its `Codable` form.
  var json: JSONValue {
    [
      CodingKeys.id.stringValue: .string(id), CodingKeys.claim.stringValue: .string(claim),
      CodingKeys.verdict.stringValue: .string(verdict.rawValue), CodingKeys.metrics.stringValue: metrics,
    ]
  }
}
