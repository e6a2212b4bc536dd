import Dendrite

/// Puts a file's feature columns in the order the model was trained on: by name when both
/// the file (a header) and the model (its `feature_names`) have names, else by count.
///
/// A feature the model needs that the file lacks is an error listing what is missing; a
/// column the model does not use is dropped, and `note` says which. A header that shares no
/// name with the model's features (the user's own naming) is matched by position, with a note.
enum FeatureMatching {
  /// The features `[N, model.inputSize]` in the model's order, and a note about dropped columns.
  ///
  /// - Throws: ``CommandError`` naming the missing features, or `countMismatch()` when
  ///   names cannot be matched and the column count differs.
  static func match(
    _ features: Tensor, names: [String]?, to file: ModelFile, source: String, model: String,
    countMismatch: () -> String
  ) throws -> (features: Tensor, note: String?) {
    guard let names, let wanted = file.featureNames, names != wanted else {
      guard features.shape[1] == file.inputSize else { throw CommandError(countMismatch()) }
      return (features, nil)
    }
    let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let missing = wanted.filter { position[$0] == nil }
    if missing.count == wanted.count {
      // No name in common: a header of the user's own naming. Match by position, and say so.
      guard features.shape[1] == file.inputSize else { throw CommandError(countMismatch()) }
      return (features, "note: \(source): no column name matches the model's features, so columns are matched by position")
    }
    guard missing.isEmpty else {
      let shown = missing.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
      throw CommandError(
        "\(source) lacks \(missing.count) feature\(missing.count == 1 ? "" : "s") the model \(model) was trained on: \(shown)")
    }
    let columns = wanted.compactMap { position[$0] }
    let (rows, width) = (features.shape[0], features.shape[1])
    var scalars: [Float] = []
    scalars.reserveCapacity(rows * columns.count)
    for row in 0..<rows {
      for column in columns { scalars.append(features.scalars[row * width + column]) }
    }
    let unused = names.filter { !wanted.contains($0) }
    let note = unused.isEmpty ? nil : "note: \(source): ignoring column\(unused.count == 1 ? "" : "s") the model does not use: "
      + unused.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ") + (unused.count > 10 ? ", …" : "")
    return (Tensor(shape: [rows, columns.count], scalars: scalars), note)
  }
}
