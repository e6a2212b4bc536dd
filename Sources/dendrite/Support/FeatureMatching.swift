import Dendrite

/// Turns a file's feature columns into the model's inputs: puts the columns in the order
/// the model was trained on — by name when both the file (a header) and the model (its
/// column encoding or `feature_names`) have names, else by count — then encodes them as
/// training did (one-hot categories, fill values for missing cells: the model file's
/// ``FeatureEncoding``).
///
/// A column the model needs that the file lacks is an error listing what is missing; a
/// column the model does not use is dropped, with a note. A header that shares no name with
/// the model's columns (the user's own naming) is matched by position, with a note.
enum FeatureMatching {
  /// The model's inputs `[N, model.inputSize]` for `table`, and notes (dropped columns,
  /// unseen categories, filled cells) to print.
  ///
  /// - Parameters:
  ///   - hasHeader: whether `table`'s names come from a header row.
  ///   - countMismatch: the message when columns are matched by count and the count differs.
  /// - Throws: ``CommandError`` naming the missing columns, a missing cell the model has no
  ///   fill value for, or `countMismatch()`.
  static func inputs(
    _ table: FeatureTable, hasHeader: Bool, for file: ModelFile, source: String, model: String,
    countMismatch: () -> String
  ) throws -> (features: Tensor, notes: [String]) {
    let encoding = file.featureEncoding
      ?? FeatureEncoding(
        columns: (file.featureNames ?? (0..<file.inputSize).map { "column \($0 + 1)" }).map {
          FeatureEncoding.ColumnEncoding(name: $0, kind: .number(fill: nil))
        })
    var notes: [String] = []
    let wanted = encoding.columnNames
    var matched = table
    let names = table.names
    if hasHeader, (file.featureEncoding != nil || file.featureNames != nil), names != wanted {
      let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      let missing = wanted.filter { position[$0] == nil }
      if missing.count == wanted.count {
        // No name in common: a header of the user's own naming. Match by position, and say so.
        guard table.columnCount == wanted.count else { throw CommandError(countMismatch()) }
        notes.append("note: \(source): no column name matches the model's features, so columns are matched by position")
        matched = FeatureTable(names: wanted, columns: table.columns)
      } else {
        guard missing.isEmpty else {
          let shown = missing.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
          throw CommandError(
            "\(source) lacks \(missing.count) feature\(missing.count == 1 ? "" : "s") the model \(model) was trained on: \(shown)")
        }
        matched = table.selectingColumns(wanted.compactMap { position[$0] })
        let unused = names.filter { !wanted.contains($0) }
        if !unused.isEmpty {
          notes.append(
            "note: \(source): ignoring column\(unused.count == 1 ? "" : "s") the model does not use: "
              + unused.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ") + (unused.count > 10 ? ", …" : ""))
        }
      }
    } else {
      guard table.columnCount == wanted.count else { throw CommandError(countMismatch()) }
      matched = FeatureTable(names: wanted, columns: table.columns)
    }
    do {
      let (features, unseen, filled) = try encoding.apply(to: matched)
      if !unseen.isEmpty {
        let counts = unseen.keys.sorted().map { "\($0): \(unseen[$0] ?? 0)" }.joined(separator: ", ")
        notes.append(
          "warning: \(unseen.values.reduce(0, +)) cells hold categories the model never saw in training (\(counts)); they encode as all zeros")
      }
      if filled > 0 { notes.append("note: \(filled) missing cells filled with the model's training means and most frequent values") }
      return (features, notes)
    } catch {
      switch error {
      case .missingCell(let column, let row):
        throw CommandError(
          "\(source) row \(row + 1), column \"\(column)\": the cell is missing and the model \(model) has no value to fill it with "
            + "(train with --missing mean to store one); fill the cell or drop the row")
      default:
        throw CommandError("\(source): \(error)")
      }
    }
  }
}
