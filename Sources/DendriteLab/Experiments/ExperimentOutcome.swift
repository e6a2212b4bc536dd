/// One experiment's contribution to a lab run: its results entry, its report section, its
/// charts (also written as `<file name>` beside the report) and a line for the printed
/// summary table.
public struct ExperimentOutcome: Sendable {
  /// The `results.json` entry.
  public var result: ExperimentResult
  /// The report section, charts inline.
  public var section: HTMLReport.Section
  /// The charts as standalone SVG files.
  public var charts: [NamedChart]
  /// The key figures in a few words, for the terminal.
  public var headline: String

  /// Creates an outcome.
  public init(result: ExperimentResult, section: HTMLReport.Section, charts: [NamedChart], headline: String) {
    self.result = result
    self.section = section
    self.charts = charts
    self.headline = headline
  }
}

/// A chart and the file name it is written under (`<experiment id>.svg`, …).
public struct NamedChart: Sendable {
  /// The file name, ending in `.svg`.
  public var fileName: String
  /// The SVG document.
  public var svg: String

  /// Creates a named chart.
  public init(fileName: String, svg: String) {
    self.fileName = fileName
    self.svg = svg
  }
}
