import Foundation

/// A self-contained HTML page: title, introduction, a contents list with each section's
/// verdict, and sections of paragraphs, lists, tables and inline SVG charts.
///
/// No scripts and no external resources: the CSS is inline and charts are embedded as `<svg>`
/// markup, so the file opens offline and prints cleanly (verdict badges carry words, not just
/// colour). All text is escaped; paragraphs and list items accept a tiny inline markup:
/// `**strong**`, `*emphasis*` and code between single backticks (an asterisk inside a word, as in `2*3*4`, stays
/// literal). The same report always gives the same bytes.
///
///     let report = HTMLReport(
///       title: "Dendrite lab",
///       intro: ["Each section tests one claim of the study."],
///       sections: [
///         .init(heading: "Vanishing gradients", verdict: .confirmed, blocks: [
///           .paragraph("With **sigmoid**, the first layer's gradient falls below `1e-6` by depth 10."),
///           .chart(gradientChart, caption: "Gradient norm of the first layer."),
///           .table(.init(header: ["depth", "‖g₁‖"], rows: [["2", "3.1e-2"], ["10", "4.0e-7"]])),
///         ])
///       ])
///     try AtomicFile.write(Array(report.html().utf8), to: "report.html")
public struct HTMLReport: Sendable {
  /// One part of a section's body.
  public enum Block: Sendable {
    /// A paragraph of text, with the inline markup described on ``HTMLReport``.
    case paragraph(String)
    /// A bulleted list; items take the same inline markup as paragraphs.
    case list([String])
    /// A table.
    case table(Table)
    /// SVG markup (from ``SVGChart/svg()`` or ``SVGBarChart/svg()``) embedded as-is, with an
    /// optional caption. The markup is trusted: do not pass SVG from elsewhere.
    case figure(svg: String, caption: String?)
    /// Monospaced text kept as written, such as a command line or a log excerpt.
    case preformatted(String)

    /// A line chart as a figure.
    ///
    ///     .chart(lossChart, caption: "Training loss, mean of 3 seeds.")
    public static func chart(_ chart: SVGChart, caption: String? = nil) -> Block {
      .figure(svg: chart.svg(), caption: caption)
    }

    /// A bar chart as a figure.
    ///
    ///     .chart(accuracyChart, caption: "Test accuracy after 20 epochs.")
    public static func chart(_ chart: SVGBarChart, caption: String? = nil) -> Block {
      .figure(svg: chart.svg(), caption: caption)
    }
  }

  /// A table: a header row and body rows of plain text. Columns of numbers (`0.97`, `-3e-5`,
  /// `12 %`, with `n/a` or `—` for missing ones) are right-aligned, heading included.
  ///
  ///     HTMLReport.Table(header: ["activation", "accuracy"], rows: [["relu", "0.97"]], caption: "Depth 10.")
  public struct Table: Sendable, Equatable {
    /// The column headings.
    public var header: [String]
    /// The rows; a short row leaves its last cells empty.
    public var rows: [[String]]
    /// Text shown above the table, or `nil`.
    public var caption: String?

    /// Creates a table.
    ///
    ///     HTMLReport.Table(header: ["seed", "loss"], rows: [["1", "0.142"], ["2", "0.139"]])
    public init(header: [String], rows: [[String]], caption: String? = nil) {
      self.header = header
      self.rows = rows
      self.caption = caption
    }
  }

  /// A titled section, optionally carrying the verdict on the claim it tests.
  ///
  ///     HTMLReport.Section(heading: "Worked examples", verdict: .confirmed, blocks: [.paragraph("…")])
  public struct Section: Sendable {
    /// The section's heading.
    public var heading: String
    /// The verdict shown as a badge beside the heading and in the contents, or `nil`.
    public var verdict: Verdict?
    /// The section's body, in order.
    public var blocks: [Block]

    /// Creates a section.
    ///
    ///     HTMLReport.Section(heading: "Setup", blocks: [.preformatted("dendrite lab --seed 1")])
    public init(heading: String, verdict: Verdict? = nil, blocks: [Block]) {
      self.heading = heading
      self.verdict = verdict
      self.blocks = blocks
    }
  }

  /// The page title and top heading.
  public var title: String
  /// Paragraphs under the title (inline markup allowed).
  public var intro: [String]
  /// The sections, in order.
  public var sections: [Section]
  /// A closing line in small print (e.g. the Dendrite version and command), or `nil`.
  public var footer: String?

  /// Creates a report.
  ///
  ///     HTMLReport(title: "Dendrite lab", intro: ["…"], sections: [section], footer: "dendrite 0.3.0")
  public init(title: String, intro: [String] = [], sections: [Section], footer: String? = nil) {
    self.title = title
    self.intro = intro
    self.sections = sections
    self.footer = footer
  }

  /// The complete page, from `<!DOCTYPE html>` to `</html>`.
  ///
  ///     let page = report.html()
  public func html() -> String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out += "<title>\(xmlEscaped(title))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n<main>\n"
    out += "<h1>\(xmlEscaped(title))</h1>\n"
    for paragraph in intro { out += "<p>\(inlineMarkup(paragraph))</p>\n" }
    if sections.count > 1 || sections.contains(where: { $0.verdict != nil }) {
      out += "<nav class=\"contents\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
      for (index, section) in sections.enumerated() {
        out += "<li><a href=\"#section-\(index + 1)\">\(xmlEscaped(section.heading))</a>"
        out += section.verdict.map { " " + badge($0) } ?? ""
        out += "</li>\n"
      }
      out += "</ol>\n</nav>\n"
    }
    for (index, section) in sections.enumerated() {
      out += "<section id=\"section-\(index + 1)\">\n<h2>\(xmlEscaped(section.heading))"
      out += section.verdict.map { " " + badge($0) } ?? ""
      out += "</h2>\n"
      for block in section.blocks { out += blockHTML(block) }
      out += "</section>\n"
    }
    if let footer { out += "<footer>\(xmlEscaped(footer))</footer>\n" }
    return out + "</main>\n</body>\n</html>\n"
  }
}

extension HTMLReport {
  private func badge(_ verdict: Verdict) -> String {
    let text = switch verdict {
    case .confirmed: "✓ Confirmed"
    case .refuted: "✗ Refuted"
    case .inconclusive: "? Inconclusive"
    }
    return "<span class=\"verdict verdict-\(verdict.rawValue)\">\(text)</span>"
  }

  private func blockHTML(_ block: Block) -> String {
    switch block {
    case .paragraph(let text):
      return "<p>\(inlineMarkup(text))</p>\n"
    case .list(let items):
      return "<ul>\n" + items.map { "<li>\(inlineMarkup($0))</li>\n" }.joined() + "</ul>\n"
    case .preformatted(let text):
      return "<pre>\(xmlEscaped(text))</pre>\n"
    case .figure(let svg, let caption):
      var out = "<figure>\n\(svg.hasSuffix("\n") ? svg : svg + "\n")"
      if let caption { out += "<figcaption>\(inlineMarkup(caption))</figcaption>\n" }
      return out + "</figure>\n"
    case .table(let table):
      var out = "<div class=\"table\"><table>\n"
      if let caption = table.caption { out += "<caption>\(xmlEscaped(caption))</caption>\n" }
      let columns = max(table.header.count, table.rows.map(\.count).max() ?? 0)
      let numeric = (0..<columns).map { column in
        let cells = table.rows.compactMap { column < $0.count ? $0[column] : nil }
        return cells.contains(where: Self.isNumeric) && cells.allSatisfy { Self.isNumeric($0) || Self.isPlaceholder($0) }
      }
      func open(_ tag: String, _ column: Int) -> String { numeric[column] ? "<\(tag) class=\"num\">" : "<\(tag)>" }
      out += "<thead><tr>"
      out += table.header.enumerated().map { open("th", $0) + xmlEscaped($1) + "</th>" }.joined()
      out += "</tr></thead>\n<tbody>\n"
      for row in table.rows {
        out += "<tr>"
        for column in 0..<columns {
          out += open("td", column) + xmlEscaped(column < row.count ? row[column] : "") + "</td>"
        }
        out += "</tr>\n"
      }
      return out + "</tbody>\n</table></div>\n"
    }
  }

  /// Whether a cell stands in for a missing number: empty, `n/a`, `NaN`, `inf`, `—`, `–`, `-`.
  static func isPlaceholder(_ cell: String) -> Bool {
    ["", "n/a", "na", "nan", "inf", "-inf", "∞", "—", "–", "-"].contains(cell.trimmingCharacters(in: .whitespaces).lowercased())
  }

  /// Whether a cell reads as a number: `0.97`, `-3e-5`, `12 %`, `−0.5` (with a minus sign).
  static func isNumeric(_ cell: String) -> Bool {
    var text = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
    if text.hasSuffix("%") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
    return !text.isEmpty && Double(text) != nil
  }

  /// Escapes `text` and turns `**strong**`, `*emphasis*` and `` `code` `` into HTML. A marker
  /// opens only before a non-space and not inside a word, and closes only after a non-space.
  func inlineMarkup(_ text: String) -> String {
    let characters = Array(text)
    var out = ""
    var index = 0
    func closing(_ marker: [Character], from start: Int) -> Int? {
      guard start < characters.count, !characters[start].isWhitespace else { return nil }
      var i = start + 1
      while i + marker.count <= characters.count {
        if Array(characters[i..<(i + marker.count)]) == marker, !characters[i - 1].isWhitespace {
          return i
        }
        i += 1
      }
      return nil
    }
    while index < characters.count {
      let character = characters[index]
      let afterWord = index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
      if character == "`", let end = characters[(index + 1)...].firstIndex(of: "`"), end > index + 1 {
        out += "<code>" + xmlEscaped(String(characters[(index + 1)..<end])) + "</code>"
        index = end + 1
        continue
      }
      if character == "*", !afterWord {
        let strong = index + 1 < characters.count && characters[index + 1] == "*"
        let marker: [Character] = strong ? ["*", "*"] : ["*"]
        if let end = closing(marker, from: index + marker.count) {
          let tag = strong ? "strong" : "em"
          out += "<\(tag)>" + xmlEscaped(String(characters[(index + marker.count)..<end])) + "</\(tag)>"
          index = end + marker.count
          continue
        }
      }
      out += xmlEscaped(String(character))
      index += 1
    }
    return out
  }

  static let css = """
    body { margin: 0; background: #ffffff; color: #1a1a1a; font-family: system-ui, "Segoe UI", "DejaVu Sans", sans-serif; line-height: 1.5; }
    main { max-width: 60em; margin: 0 auto; padding: 1.5em 1.25em 3em; }
    h1 { font-size: 1.8em; line-height: 1.2; margin: 0.5em 0; }
    h2 { font-size: 1.35em; line-height: 1.3; margin: 2em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid #dddddd; }
    nav.contents h2 { font-size: 1.1em; margin-top: 1.5em; }
    nav.contents li { margin: 0.2em 0; }
    a { color: #0a5aa0; }
    .verdict { display: inline-block; padding: 0.05em 0.55em; border: 2px solid; border-radius: 0.35em; font-size: 0.75rem; font-weight: 700; letter-spacing: 0.02em; vertical-align: 0.15em; white-space: nowrap; }
    .verdict-confirmed { color: #00573f; background: #e2f4ec; border-color: #009e73; }
    .verdict-refuted { color: #8a3300; background: #fbe5d8; border-color: #d55e00; }
    .verdict-inconclusive { color: #333333; background: #eeeeee; border-color: #888888; border-style: dashed; }
    figure { margin: 1.5em 0; }
    figure svg { display: block; max-width: 100%; height: auto; }
    figcaption { margin-top: 0.4em; color: #444444; font-size: 0.9em; }
    .table { overflow-x: auto; margin: 1em 0; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; color: #444444; font-size: 0.9em; padding-bottom: 0.3em; }
    th, td { border: 1px solid #cccccc; padding: 0.3em 0.65em; text-align: left; vertical-align: top; }
    th { background: #f2f2f2; }
    th.num, td.num { text-align: right; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
    code { background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }
    pre { background: #f6f6f6; padding: 0.75em 1em; overflow-x: auto; border-radius: 4px; }
    footer { margin-top: 3em; color: #555555; font-size: 0.85em; }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      a { color: inherit; text-decoration: none; }
      h2 { break-after: avoid; }
      figure, table, pre { break-inside: avoid; }
      .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      pre, code { background: none; }
    }

    """
}
